package fr.miweb.maven.frankenphp.config;

import java.nio.file.Path;
import java.util.Map;

/** Configurations for tests: the defaults, as a user who configures nothing gets them. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static DeploymentConfig defaults(Path baseDirectory) {
        return new DeploymentConfig(
                new ProjectInfo(baseDirectory, "mdb-copilot-api", "1.0.0", "MDB Copilot API"),
                image(Defaults.REGISTRY, "mdb-copilot-api"),
                new PhpSettings(Defaults.PHP_EXTENSIONS, Defaults.phpIni(), Defaults.PHP_INI_TARGET),
                new OctaneSettings(Defaults.OCTANE_PORT, Defaults.OCTANE_ADMIN_PORT, Defaults.OCTANE_WORKERS,
                        Defaults.OCTANE_MAX_REQUESTS, Defaults.HEALTH_PATH),
                new ComposeSettings(Defaults.NETWORK, Defaults.PUBLISHED_PORT, Defaults.MYSQL_IMAGE, Defaults.MYSQL_VOLUME,
                        Defaults.QUEUE_SLEEP, Defaults.QUEUE_TRIES, Defaults.QUEUE_MAX_TIME, Defaults.QUEUE_STOP_GRACE_PERIOD,
                        Defaults.SCHEDULER_MODE, Defaults.WATCHTOWER_LABELS, Defaults.PROXY_IMAGE),
                Defaults.environment("mdb-copilot-api"),
                release("mdb-copilot-api"));
    }

    /** The release settings a pom without {@code <release>} gets. */
    public static ReleaseSettings release(String project) {
        return new ReleaseSettings(Defaults.RELEASE_TARGET, java.util.Optional.empty(), java.util.Optional.empty(), project,
                java.util.Optional.empty(), Defaults.RELEASE_HEALTH_TIMEOUT, Defaults.RELEASE_DRAIN_TIMEOUT, Defaults.RELEASE_MIGRATE,
                Defaults.RELEASE_MIGRATION_TIMEOUT, java.util.Optional.empty(), Defaults.RELEASE_WATCHTOWER_SERVER_ID,
                Defaults.RELEASE_REPLICAS, Defaults.RELEASE_DATABASE_NODE);
    }

    public static ImageSettings image(String registry, String name) {
        return new ImageSettings(registry, name, Defaults.BASE_IMAGE, Defaults.COMPOSER_IMAGE, null, Defaults.TAG_STRATEGY,
                Map.of(), Map.of(), false, false, Defaults.RUNTIME_USER, Defaults.RUNTIME_UID);
    }
}
