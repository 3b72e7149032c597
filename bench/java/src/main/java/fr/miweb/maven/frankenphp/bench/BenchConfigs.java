package fr.miweb.maven.frankenphp.bench;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.PhpSettings;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The default configuration, built as src/test/java/.../config/TestConfigs.java does (test classes are not published). */
final class BenchConfigs {

    private BenchConfigs() {
    }

    static DeploymentConfig defaults(Path baseDirectory) {
        return new DeploymentConfig(
                new ProjectInfo(baseDirectory, "mdb-copilot-api", "1.0.0", "MDB Copilot API"),
                new ImageSettings(Defaults.REGISTRY, "mdb-copilot-api", Defaults.BASE_IMAGE, Defaults.COMPOSER_IMAGE, null,
                        Defaults.TAG_STRATEGY, Map.of(), Map.of(), false, false, Defaults.RUNTIME_USER, Defaults.RUNTIME_UID),
                new PhpSettings(Defaults.PHP_EXTENSIONS, Defaults.phpIni(), Defaults.PHP_INI_TARGET),
                new OctaneSettings(Defaults.OCTANE_PORT, Defaults.OCTANE_ADMIN_PORT, Defaults.OCTANE_WORKERS,
                        Defaults.OCTANE_MAX_REQUESTS, Defaults.HEALTH_PATH),
                new ComposeSettings(Defaults.NETWORK, Defaults.PUBLISHED_PORT, Defaults.MYSQL_IMAGE, Defaults.MYSQL_VOLUME,
                        Defaults.QUEUE_SLEEP, Defaults.QUEUE_TRIES, Defaults.QUEUE_MAX_TIME, Defaults.QUEUE_STOP_GRACE_PERIOD,
                        Defaults.SCHEDULER_MODE, Defaults.WATCHTOWER_LABELS, Defaults.PROXY_IMAGE),
                Defaults.environment("mdb-copilot-api"),
                // What a pom without <release> gets: the release ends at the registry.
                new ReleaseSettings(Defaults.RELEASE_TARGET, Optional.empty(), Optional.empty(), "mdb-copilot-api",
                        Optional.empty(), Defaults.RELEASE_HEALTH_TIMEOUT, Defaults.RELEASE_DRAIN_TIMEOUT, Defaults.RELEASE_MIGRATE,
                        Defaults.RELEASE_MIGRATION_TIMEOUT, Optional.empty(), Defaults.RELEASE_WATCHTOWER_SERVER_ID,
                        Defaults.RELEASE_REPLICAS, Defaults.RELEASE_DATABASE_NODE));
    }
}
