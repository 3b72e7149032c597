package fr.miweb.maven.frankenphp.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the plugin needs to know about the project it runs in.
 *
 * @param baseDirectory the project directory, also the Docker build context
 * @param artifactId    the Maven artifactId (the default image name)
 * @param version       the Maven project version
 * @param name          a human-readable project name, used in generated documentation
 */
public record ProjectInfo(Path baseDirectory, String artifactId, String version, String name) {
    public ProjectInfo {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        name = name == null || name.isBlank() ? artifactId : name;
    }
}
