package fr.miweb.maven.frankenphp.plugin;

import java.util.Map;

/**
 * The {@code <image>} element of the plugin configuration. Every field is optional; unset fields
 * take the defaults documented in docs/configuration.md.
 */
// Scalar values are Strings: Maven then cannot refuse one before the plugin has seen the others (ConfigurationMapper).
public class ImageConfiguration {
    /** Registry host with an optional port. Property {@code frankenphp.registry}. Default {@code docker-registry.miweb.fr}. */
    String registry;
    /** Repository path in the registry. Property {@code frankenphp.imageName}. Default {@code ${project.artifactId}}. */
    String name;
    /** FrankenPHP base image. Property {@code frankenphp.baseImage}. Default {@code dunglas/frankenphp:1-php8.4-bookworm}. */
    String baseImage;
    /** Image Composer is copied from. Property {@code frankenphp.composerImage}. Default {@code composer:2}. */
    String composerImage;
    /** Explicit version tag. Property {@code frankenphp.tag}. Default: computed with {@code tagStrategy}. */
    String tag;
    /** {@code timestamp}, {@code project-version} or {@code git-commit}. Property {@code frankenphp.tagStrategy}. Default {@code timestamp}. */
    String tagStrategy;
    /** Build arguments ({@code --build-arg}). */
    Map<String, String> buildArgs;
    /** Extra image labels. */
    Map<String, String> labels;
    /** Always attempt to pull newer base images. Property {@code frankenphp.pull}. Default {@code false}. */
    String pull;
    /** Build without the layer cache. Property {@code frankenphp.noCache}. Default {@code false}. */
    String noCache;
    /** Non-root user the container runs as. Default {@code app}. */
    String user;
    /** That user's id. Default {@code 1000}. */
    String uid;
    /** Start-up steps of the entrypoint: {@code configCache}, {@code routeCache}, {@code eventCache}, {@code viewCache}, {@code storageLink}. */
    StartupConfiguration startup;
}
