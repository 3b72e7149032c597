package fr.miweb.maven.frankenphp.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Tells whether a project's .gitignore files keep {@code .env.production} out of version control.
 * A simplified reading of gitignore (enough for the lines people write for it: {@code .env.production},
 * {@code /.env.production}, {@code .env*}, {@code .env.*}, {@code **}{@code /.env.production}); it looks
 * at the project directory and its parents up to the repository root.
 */
public final class GitIgnoreCheck {

    private GitIgnoreCheck() {
    }

    public static boolean ignoresProductionEnv(Path projectDirectory) throws IOException {
        Path directory = projectDirectory.toAbsolutePath().normalize();
        while (directory != null) {
            Path gitignore = directory.resolve(".gitignore");
            if (Files.isRegularFile(gitignore) && matches(Files.readAllLines(gitignore, StandardCharsets.UTF_8))) {
                return true;
            }
            if (Files.exists(directory.resolve(".git"))) {
                return false;
            }
            directory = directory.getParent();
        }
        return false;
    }

    static boolean matches(List<String> lines) {
        boolean ignored = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            String pattern = (negated ? line.substring(1) : line).replaceFirst("^/", "").replaceFirst("^\\*\\*/", "");
            if (pattern.contains("/") || pattern.isEmpty()) {
                continue;
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            if (matcher.matches(Path.of(".env.production"))) {
                ignored = !negated;
            }
        }
        return ignored;
    }
}
