package fr.miweb.maven.frankenphp.context;

import fr.miweb.maven.frankenphp.files.ProjectFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which rendered files are laid over the project in the build context: the files of this render, taken from
 * the output directory, and nothing else found there (a stale file of an earlier render, a file another tool
 * dropped, {@code image.json}). The server-side ones (docker-compose.prod.yml, DEPLOY.md, .env.production.example)
 * are left out by the rendered .dockerignore like any project file; the Dockerfile and .dockerignore always go,
 * as Docker itself sends them.
 */
public final class RenderedOverlays {

    /** Sent whatever the ignore rules say, as {@code docker build} sends them. */
    static final Set<String> ALWAYS_SENT = Set.of("Dockerfile", ".dockerignore");

    private RenderedOverlays() {
    }

    /**
     * @param outputDirectory where {@code generate} wrote the files
     * @param renderedNames   the relative, {@code /}-separated names this configuration renders
     * @throws IOException when one of them is missing, is not a regular file, or lies below a symbolic link in
     *                     the output directory: the plugin writes regular files only, so a link there was put
     *                     by something else, and is never followed
     */
    public static Map<String, Path> select(Path outputDirectory, Collection<String> renderedNames, DockerIgnore ignore)
            throws IOException {
        Map<String, Path> overlays = new TreeMap<>();
        for (String name : renderedNames) {
            if (!ALWAYS_SENT.contains(name) && ignore.isExcluded(name)) {
                continue;
            }
            Path file = outputDirectory.resolve(name);
            java.util.Optional<Path> link = ProjectFiles.firstLink(outputDirectory, file);
            if (link.isPresent()) {
                throw new IOException(outputDirectory.relativize(link.get()) + " in " + outputDirectory
                        + " is a symbolic link, not followed. Run frankenphp:generate to write the file again.");
            }
            ProjectFiles.Kind kind = ProjectFiles.kind(file);
            if (kind != ProjectFiles.Kind.REGULAR_FILE) {
                throw new IOException(name + " in " + outputDirectory + " " + kind.description()
                        + ". Run frankenphp:generate (or mvn package) to render it.");
            }
            overlays.put(name, file);
        }
        return overlays;
    }
}
