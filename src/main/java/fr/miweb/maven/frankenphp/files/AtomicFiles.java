package fr.miweb.maven.frankenphp.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces files by writing a temporary sibling and renaming it over the target, so a reader sees
 * the old content or the new, never a part. Every temporary file carries {@link #TEMP_SUFFIX}, so
 * whoever lists a directory of such files can tell a leftover from a real one.
 */
public final class AtomicFiles {

    public static final String TEMP_SUFFIX = ".frankenphp-tmp";

    private AtomicFiles() {
    }

    /** Writes {@code content} to {@code target} atomically; creates the parent directories. */
    public static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = stage(target, content);
        try {
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes {@code content} to the temporary sibling of {@code target} and returns it; the caller
     * renames it with {@link #moveIntoPlace} (or deletes it). A leftover or planted temporary file,
     * symbolic link included, is replaced, never written through.
     */
    public static Path stage(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        Files.deleteIfExists(temp);
        Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return temp;
    }

    /** Renames a staged file over its target: atomically where the file system can. */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** True for a temporary file of this class (left over by an interrupted write). */
    public static boolean isTemporary(Path file) {
        return file.getFileName().toString().endsWith(TEMP_SUFFIX);
    }
}
