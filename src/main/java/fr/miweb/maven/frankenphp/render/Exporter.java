package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.files.ProjectFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Copies the rendered files into the project for teams that commit them, and checks committed
 * copies against what the pom renders.
 *
 * <p>Each export records the SHA-256 of what it wrote in {@value #STATE_FILE} (sha256sum format).
 * A later export overwrites a file only if it still has that hash: a file edited by hand since, or
 * one the plugin never wrote (such as the original hand-written Dockerfile), is left alone unless
 * the export is forced.
 *
 * <p>Committed copies are read without following symbolic links ({@link ProjectFiles}): a link or a
 * special file in their place is reported by name, never read, so a pull request cannot get a link to
 * {@code /proc/self/environ} printed in a check's diff.
 */
public final class Exporter {

    public static final String STATE_FILE = ".frankenphp-export.sha256";

    private Exporter() {
    }

    /** Export refused: files were edited by hand. Nothing was written. */
    public static class HandEditedFilesException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> files;

        HandEditedFilesException(List<String> files) {
            super("Not exporting: " + String.join(", ", files) + (files.size() == 1 ? " was" : " were")
                    + " changed by hand since the last export (or not written by the plugin).");
            this.files = List.copyOf(files);
        }

        public List<String> files() {
            return files;
        }
    }

    /**
     * A committed file that differs from what the pom renders.
     *
     * @param missing the file is not there
     * @param diff the unified diff, when the file was read; empty otherwise
     * @param notRead why the file was not read (it is a link, a directory, a FIFO...), or null when it was
     */
    public record Drift(String relativePath, boolean missing, String diff, String notRead) {

        /** One line naming the file and the problem, or the diff. */
        public String describe() {
            if (missing) {
                return relativePath + " is missing";
            }
            return notRead != null ? relativePath + " " + notRead : diff;
        }
    }

    public static FileSetWriter.Result export(Path projectDirectory, List<RenderedFile> files, boolean force)
            throws IOException, HandEditedFilesException {
        Map<String, String> recorded = readState(projectDirectory);
        List<String> handEdited = new ArrayList<>();
        for (RenderedFile file : files) {
            Path target = FileSetWriter.resolveInside(projectDirectory, file.relativePath());
            ProjectFiles.Kind kind = ProjectFiles.kind(target);
            if (kind == ProjectFiles.Kind.SYMBOLIC_LINK || kind == ProjectFiles.Kind.OTHER) {
                // Never written by the plugin, and not read: replaced (not written through) only when forced.
                handEdited.add(file.relativePath());
                continue;
            }
            if (kind != ProjectFiles.Kind.REGULAR_FILE) {
                continue;
            }
            String current = sha256(ProjectFiles.readRegularFile(target));
            boolean upToDate = current.equals(sha256(file.content()));
            if (!upToDate && !current.equals(recorded.get(file.relativePath()))) {
                handEdited.add(file.relativePath());
            }
        }
        if (!handEdited.isEmpty() && !force) {
            throw new HandEditedFilesException(handEdited);
        }
        List<RenderedFile> withState = new ArrayList<>(files);
        withState.add(new RenderedFile(STATE_FILE, state(files).getBytes(StandardCharsets.UTF_8)));
        return FileSetWriter.write(projectDirectory, withState);
    }

    public static List<Drift> drift(Path projectDirectory, List<RenderedFile> files) throws IOException {
        List<Drift> drifts = new ArrayList<>();
        for (RenderedFile file : files) {
            Path committed;
            try {
                committed = FileSetWriter.resolveInside(projectDirectory, file.relativePath());
            } catch (FileSetWriter.LinkLeadingOutsideException e) {
                drifts.add(new Drift(file.relativePath(), false, "",
                        "is below " + e.link() + ", a symbolic link leading outside the project, not read"));
                continue;
            }
            ProjectFiles.Kind kind = ProjectFiles.kind(committed);
            if (kind == ProjectFiles.Kind.MISSING) {
                drifts.add(new Drift(file.relativePath(), true, "", null));
                continue;
            }
            if (kind != ProjectFiles.Kind.REGULAR_FILE) {
                // Named, never read nor followed: the link's target could be a secret, so it is not shown either.
                drifts.add(new Drift(file.relativePath(), false, "", kind.description() + ", not read"));
                continue;
            }
            String actual = new String(ProjectFiles.readRegularFile(committed), StandardCharsets.UTF_8);
            if (!actual.equals(file.text())) {
                drifts.add(new Drift(file.relativePath(), false, UnifiedDiff.diff(
                        file.relativePath() + " (committed)", actual, file.relativePath() + " (rendered from the pom)", file.text()), null));
            }
        }
        return drifts;
    }

    private static String state(List<RenderedFile> files) {
        StringBuilder out = new StringBuilder();
        new TreeMap<String, RenderedFile>(files.stream().collect(
                java.util.stream.Collectors.toMap(RenderedFile::relativePath, f -> f)))
                .forEach((path, file) -> out.append(sha256(file.content())).append("  ").append(path).append('\n'));
        return out.toString();
    }

    private static Map<String, String> readState(Path projectDirectory) throws IOException {
        Path state = projectDirectory.resolve(STATE_FILE);
        Map<String, String> hashes = new TreeMap<>();
        // A link or special file in its place is no record of the plugin's: every file then counts as hand-edited.
        if (ProjectFiles.kind(state) == ProjectFiles.Kind.REGULAR_FILE) {
            for (String line : new String(ProjectFiles.readRegularFile(state), StandardCharsets.UTF_8).lines().toList()) {
                int separator = line.indexOf("  ");
                if (separator == 64) {
                    hashes.put(line.substring(separator + 2), line.substring(0, separator));
                }
            }
        }
        return hashes;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
