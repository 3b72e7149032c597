package fr.miweb.maven.frankenphp.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads files of the project (committed copies, .gitignore files, the export record) without following
 * symbolic links and without opening anything but regular files.
 *
 * <p>Those files come from whoever wrote the last commit: a pull request that replaces {@code Dockerfile}
 * by a link to {@code /proc/self/environ} or {@code ~/.docker/config.json} must not get that content read,
 * let alone printed in a CI log; and opening a FIFO would block the build forever.
 */
public final class ProjectFiles {

    private ProjectFiles() {
    }

    /** What a path is, without following a link at its end. */
    public enum Kind {
        MISSING("is missing"),
        REGULAR_FILE("is a file"),
        SYMBOLIC_LINK("is a symbolic link"),
        DIRECTORY("is a directory"),
        OTHER("is not a regular file (a FIFO, socket or device)");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** For messages, after the file's name: "is a symbolic link". Never the link's target. */
        public String description() {
            return description;
        }
    }

    public static Kind kind(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Kind.MISSING;
        }
        if (attributes.isSymbolicLink()) {
            return Kind.SYMBOLIC_LINK;
        }
        if (attributes.isDirectory()) {
            return Kind.DIRECTORY;
        }
        return attributes.isRegularFile() ? Kind.REGULAR_FILE : Kind.OTHER;
    }

    /**
     * The content of a regular file. The open itself refuses a link (O_NOFOLLOW), so a file swapped for a
     * link after {@link #kind} is not followed either.
     *
     * @throws IOException when {@code path} is not a regular file, or cannot be read
     */
    public static byte[] readRegularFile(Path path) throws IOException {
        Kind kind = kind(path);
        if (kind != Kind.REGULAR_FILE) {
            throw new IOException(path + " " + kind.description() + ", not read");
        }
        try (InputStream in = openRegularFile(path)) {
            return in.readAllBytes();
        }
    }

    /** How long an open may take before the file is taken for a FIFO or a device that was swapped in. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);

    /** Reused threads: a context of many thousand files must not start a thread per file. */
    private static final ExecutorService OPENERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "frankenphp-open");
        thread.setDaemon(true); // never keeps Maven alive, even if parked on a device
        return thread;
    });

    /**
     * Opens a file that was just seen to be a regular file, safe against it being swapped meanwhile: a symbolic
     * link is refused by the open itself (O_NOFOLLOW), and an open that blocks (a FIFO without writer, some
     * devices) fails after {@link #OPEN_TIMEOUT} instead of hanging the build. Java cannot open with O_NONBLOCK,
     * so the open runs on a daemon thread; a FIFO that held it is then opened for writing once, which releases
     * that thread with an empty read.
     *
     * @throws IOException when the file cannot be opened, is a link, or blocks on open
     */
    public static InputStream openRegularFile(Path path) throws IOException {
        return openRegularFile(path, OPEN_TIMEOUT);
    }

    static InputStream openRegularFile(Path path, Duration timeout) throws IOException {
        FutureTask<InputStream> open = new FutureTask<>(() -> Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS));
        OPENERS.execute(open);
        try {
            return open.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                if (kind(path) == Kind.SYMBOLIC_LINK) {
                    throw new IOException(path + " " + Kind.SYMBOLIC_LINK.description() + ", not read", io);
                }
                throw io;
            }
            throw new IOException("Cannot open " + path + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            release(path, open);
            throw new IOException(path + " " + Kind.OTHER.description() + " (its open blocked), not read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(path, open);
            throw new InterruptedIOException("Interrupted while opening " + path);
        }
    }

    /** Unblocks an open stuck on a FIFO by being its writer for a moment, and closes what it then returns. */
    private static void release(Path path, FutureTask<InputStream> open) {
        try {
            if (kind(path) == Kind.OTHER) {
                try (OutputStream writer = Files.newOutputStream(path, LinkOption.NOFOLLOW_LINKS,
                        StandardOpenOption.WRITE)) {
                    // opened only so that the reader's open returns
                }
            }
            open.get(1, TimeUnit.SECONDS).close();
        } catch (Exception stillBlocked) {
            // a device, or a FIFO swapped again: the daemon thread stays parked, the build goes on
        }
    }
}
