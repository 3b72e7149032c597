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
 */
public record DeploymentConfig(
        ProjectInfo project,
        ImageSettings image,
        PhpSettings php,
        OctaneSettings octane,
        ComposeSettings compose,
        Map<String, String> environment,
        ReleaseSettings release) {

    public DeploymentConfig {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(php, "php");
        Objects.requireNonNull(octane, "octane");
        Objects.requireNonNull(compose, "compose");
        Objects.requireNonNull(release, "release");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
}
