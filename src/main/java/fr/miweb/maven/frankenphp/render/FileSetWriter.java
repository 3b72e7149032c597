package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.files.AtomicFiles;
import fr.miweb.maven.frankenphp.files.ProjectFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a set of rendered files into a directory, all or nothing: every changed file is first
 * written to a temporary file next to its target, and only when all are written are they renamed
 * into place. A file whose content did not change is not touched, so its mtime stays and tools
 * watching it see no change.
 */
public final class FileSetWriter {

    private FileSetWriter() {
    }

    /** A directory on the way to a file is a symbolic link whose real path leaves the base directory. */
    public static final class LinkLeadingOutsideException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String link;

        LinkLeadingOutsideException(String message, String link) {
            super(message);
            this.link = link;
        }

        /** The link, relative to the base directory. */
        public String link() {
            return link;
        }
    }

    /** What a write did. */
    public record Result(List<String> written, List<String> unchanged) {
    }

    public static Result write(Path directory, List<RenderedFile> files) throws IOException {
        Map<Path, Path> staged = new LinkedHashMap<>();
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        try {
            for (RenderedFile file : files) {
                Path target = resolveInside(directory, file.relativePath());
                byte[] content = file.content();
                // Links not followed: a link in the target's place is replaced by the rename, never written through
                // nor kept because what it points to happens to match.
                ProjectFiles.Kind kind = ProjectFiles.kind(target);
                if (kind == ProjectFiles.Kind.REGULAR_FILE && Arrays.equals(ProjectFiles.readRegularFile(target), content)) {
                    unchanged.add(file.relativePath());
                    continue;
                }
                // Checked before anything moves: the rename onto it would fail after earlier files were replaced.
                if (kind == ProjectFiles.Kind.DIRECTORY) {
                    throw new IOException("Cannot write '" + file.relativePath() + "': " + target + " is a directory");
                }
                Files.createDirectories(target.getParent());
                staged.put(AtomicFiles.stage(target, content), target);
                written.add(file.relativePath());
            }
            for (Map.Entry<Path, Path> move : staged.entrySet()) {
                AtomicFiles.moveIntoPlace(move.getKey(), move.getValue());
            }
            staged.clear();
        } finally {
            for (Path leftover : staged.keySet()) {
                Files.deleteIfExists(leftover);
            }
        }
        return new Result(List.copyOf(written), List.copyOf(unchanged));
    }

    /**
     * Resolves a '/'-separated relative path, refusing anything that would land outside the directory,
     * by name ({@code ../}) or through a directory on the way that is a symbolic link leading elsewhere.
     */
    public static Path resolveInside(Path directory, String relativePath) throws IOException {
        Path base = directory.toAbsolutePath().normalize();
        Path target = base.resolve(relativePath).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IOException("Refusing to write '" + relativePath + "': it is outside " + base);
        }
        if (Files.isDirectory(base)) {
            Path realBase = base.toRealPath();
            for (Path parent = target.getParent(); !parent.equals(base); parent = parent.getParent()) {
                if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
                    if (!parent.toRealPath().startsWith(realBase)) {
                        String link = base.relativize(ProjectFiles.firstLink(base, parent).orElse(parent)).toString().replace('\\', '/');
                        throw new LinkLeadingOutsideException("Refusing to write '" + relativePath + "': " + link
                                + " is a symbolic link leading outside " + base, link);
                    }
                    break;
                }
            }
        }
        return target;
    }
}
