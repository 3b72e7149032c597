package fr.miweb.maven.frankenphp.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the plugin needs to know about the project it runs in.
 *
 * @param baseDirectory the project directory, also the Docker build context
 * @param artifactId    the Maven artifactId (the default image name)
 * @param version       the Maven project version
 * @param name          a human-readable project name, used in generated documentation
 * @param sourceUrl     where the source lives (the pom's {@code <scm><url>}, else its {@code <url>});
 *                      empty when the pom has neither
 */
public record ProjectInfo(Path baseDirectory, String artifactId, String version, String name, Optional<String> sourceUrl) {
    public ProjectInfo {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
        name = name == null || name.isBlank() ? artifactId : name;
        sourceUrl = Objects.requireNonNullElse(sourceUrl, Optional.<String>empty()).filter(url -> !url.isBlank());
    }

    /** A project whose pom names no source location. */
    public ProjectInfo(Path baseDirectory, String artifactId, String version, String name) {
        this(baseDirectory, artifactId, version, name, Optional.empty());
    }
}
