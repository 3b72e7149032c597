package fr.miweb.maven.frankenphp.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

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
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            return in.readAllBytes();
        }
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
