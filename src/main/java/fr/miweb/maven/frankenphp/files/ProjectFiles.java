package fr.miweb.maven.frankenphp.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
        try (InputStream in = openRegularFile(path, OPEN_TIMEOUT)) {
            return in.readAllBytes();
        }
    }

    /**
     * How long an open of a file seen as regular may take before it is taken for a FIFO or a device swapped
     * in meanwhile. Far above any real open, even on a network file system.
     */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    /** Reused daemon threads: a context of many thousand files must not start a thread per file. */
    private static final ExecutorService OPENERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "frankenphp-open");
        thread.setDaemon(true); // never keeps Maven alive, even when parked on a FIFO or a device
        return thread;
    });

    /**
     * Opens a file that was seen a moment ago as a regular file, safe against its being swapped since: a
     * symbolic link is refused by the open itself (O_NOFOLLOW), and an open that blocks (a FIFO without a
     * writer, some devices) fails after {@code timeout} instead of holding the build until its deadline.
     *
     * <p>Java cannot open with O_NONBLOCK, so the open runs on a daemon thread. When it blocked on a FIFO, that
     * FIFO is opened for writing for a moment, again on a daemon thread, which lets the blocked open return;
     * the caller never waits on either beyond {@code timeout}.
     *
     * @throws IOException when the file cannot be opened, is a link, or blocks on open
     */
    public static InputStream openRegularFile(Path path, Duration timeout) throws IOException {
        FutureTask<InputStream> open = new FutureTask<>(() -> openSeekable(path));
        OPENERS.execute(open);
        try {
            return open.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                if (kind(path) == Kind.SYMBOLIC_LINK) { // ELOOP from O_NOFOLLOW: say what it means
                    throw new IOException(path + " " + Kind.SYMBOLIC_LINK.description() + ", not read", io);
                }
                throw io;
            }
            throw new IOException("Cannot open " + path + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            Kind kind = kind(path);
            release(path, open);
            // A FIFO or a device swapped in, as a rule; a regular file only on a storage that stopped answering.
            throw new IOException(path + (kind == Kind.REGULAR_FILE ? " could not be opened" : " " + Kind.OTHER.description())
                    + ": its open did not return within " + timeout.toMillis() + " ms, not read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release(path, open);
            throw new InterruptedIOException("Interrupted while opening " + path);
        }
    }

    /**
     * Opens without following a link, and refuses what is not seekable: a FIFO or a socket that an open reached
     * anyway (a writer came, such as another open's release) is not read as if it were the file.
     */
    private static InputStream openSeekable(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            channel.position(0); // lseek: ESPIPE on a FIFO or a socket
        } catch (IOException notSeekable) {
            channel.close();
            throw new IOException(path + " " + Kind.OTHER.description() + ", not read");
        }
        return Channels.newInputStream(channel);
    }

    /**
     * Frees the thread of an open stuck on a FIFO by being that FIFO's writer for a moment, then closes what the
     * open returns. Runs on a daemon thread: opening a FIFO for writing blocks in turn when the path is now
     * another FIFO, which nobody reads.
     */
    private static void release(Path path, FutureTask<InputStream> open) {
        OPENERS.execute(() -> {
            try {
                if (kind(path) == Kind.OTHER) {
                    try (OutputStream writer = Files.newOutputStream(path, LinkOption.NOFOLLOW_LINKS,
                            StandardOpenOption.WRITE)) {
                        // opened only so that the reader's open returns, with nothing to read
                    }
                }
                open.get(1, TimeUnit.SECONDS).close();
            } catch (Exception stillBlocked) {
                open.cancel(true); // a device, or a FIFO swapped again: the reader's thread stays parked
            }
        });
    }

    /**
     * The outermost symbolic link between {@code base} and {@code path} ({@code path} included), if any: what a
     * write or a read below {@code base} must not go through.
     */
    public static java.util.Optional<Path> firstLink(Path base, Path path) {
        Path current = base;
        for (Path name : base.relativize(path)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                return java.util.Optional.of(current);
            }
        }
        return java.util.Optional.empty();
    }
}
