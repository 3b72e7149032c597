package fr.miweb.maven.frankenphp.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole deployment, as configured in the pom, with defaults applied. Plain data: no Maven type.
 *
 * @param project     the project being deployed
 * @param image       the image and its registry
 * @param php         PHP extensions and php.ini
 * @param octane      the Octane server in the container
 * @param compose     the production compose stack
 * @param environment the keys of .env.production.example, in order; secrets have empty values
 * @param release     how a pushed image goes live on the server
 * @param startup     what the image's entrypoint does before the server, queue or scheduler command
 */
public record DeploymentConfig(
        ProjectInfo project,
        ImageSettings image,
        PhpSettings php,
        OctaneSettings octane,
        ComposeSettings compose,
        Map<String, String> environment,
        ReleaseSettings release,
        StartupSettings startup) {

    /** With the default start-up steps (every one on). */
    public DeploymentConfig(ProjectInfo project, ImageSettings image, PhpSettings php, OctaneSettings octane,
                            ComposeSettings compose, Map<String, String> environment, ReleaseSettings release) {
        this(project, image, php, octane, compose, environment, release, StartupSettings.defaults());
    }

    public DeploymentConfig {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(php, "php");
        Objects.requireNonNull(octane, "octane");
        Objects.requireNonNull(compose, "compose");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(startup, "startup");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
}
