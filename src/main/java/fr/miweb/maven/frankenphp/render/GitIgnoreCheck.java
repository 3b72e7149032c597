package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.files.ProjectFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Tells whether a project's .gitignore files keep {@code .env.production} out of version control.
 * A simplified reading of gitignore (enough for the lines people write for it: {@code .env.production},
 * {@code /.env.production}, {@code .env*}, {@code .env.*}, {@code **}{@code /.env.production}); it reads
 * the .gitignore files from the repository root down to the project directory. Not handled: a parent
 * directory ignored as a whole (the check then warns although git ignores the file).
 */
public final class GitIgnoreCheck {

    private GitIgnoreCheck() {
    }

    public static boolean ignoresProductionEnv(Path projectDirectory) throws IOException {
        Path envFile = projectDirectory.toAbsolutePath().normalize().resolve(".env.production");
        // From the repository root down to the project: a deeper .gitignore has the last word, as in git.
        Deque<Path> directories = new ArrayDeque<>();
        for (Path directory = envFile.getParent(); directory != null; directory = directory.getParent()) {
            directories.push(directory);
            if (Files.exists(directory.resolve(".git"))) {
                break;
            }
        }
        boolean ignored = false;
        for (Path directory : directories) {
            Path gitignore = directory.resolve(".gitignore");
            // As git (2.32+): a .gitignore that is a symbolic link is not read; nor is a FIFO, which would block.
            if (ProjectFiles.kind(gitignore) == ProjectFiles.Kind.REGULAR_FILE) {
                String relativePath = directory.relativize(envFile).toString().replace('\\', '/');
                String text = new String(ProjectFiles.readRegularFile(gitignore), StandardCharsets.UTF_8);
                ignored = matches(text.lines().toList(), relativePath, ignored);
            }
        }
        return ignored;
    }

    /**
     * Applies one .gitignore's lines to a path relative to its directory. A pattern with a leading or
     * middle slash is anchored to that directory; one without matches the file name at any depth.
     */
    static boolean matches(List<String> lines, String relativePath, boolean ignoredSoFar) {
        boolean ignored = ignoredSoFar;
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (String raw : lines) {
            String line = raw.stripTrailing(); // git keeps leading spaces as part of the pattern
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            String pattern = (negated ? line.substring(1) : line).replaceFirst("^\\*\\*/", "");
            if (pattern.isEmpty() || pattern.endsWith("/")) {
                continue; // a trailing slash matches directories only
            }
            boolean anchored = pattern.contains("/");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceFirst("^/", ""));
            if (matcher.matches(Path.of(anchored ? relativePath : name))) {
                ignored = !negated;
            }
        }
        return ignored;
    }
}
