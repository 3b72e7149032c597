package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.PhpSettings;
import fr.miweb.maven.frankenphp.config.ProjectInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The default configuration, as a user who configures nothing gets it, with every string settable. */
final class ConfigBuilder {

    Path baseDirectory;
    String artifactId = "mdb-copilot-api";
    String version = "1.0.0";
    String name = "MDB Copilot API";
    String registry = Defaults.REGISTRY;
    String imageName = "mdb-copilot-api";
    String baseImage = Defaults.BASE_IMAGE;
    String composerImage = Defaults.COMPOSER_IMAGE;
    String tag;
    final Map<String, String> buildArgs = new LinkedHashMap<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    String user = Defaults.RUNTIME_USER;
    final List<String> extensions = new ArrayList<>(Defaults.PHP_EXTENSIONS);
    final Map<String, String> ini = Defaults.phpIni();
    String iniTarget = Defaults.PHP_INI_TARGET;
    String workers = Defaults.OCTANE_WORKERS;
    String healthPath = Defaults.HEALTH_PATH;
    String network = Defaults.NETWORK;
    String mysqlImage = Defaults.MYSQL_IMAGE;
    String mysqlVolume = Defaults.MYSQL_VOLUME;
    final Map<String, String> environment = new LinkedHashMap<>(Defaults.environment("mdb-copilot-api"));

    ConfigBuilder(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    DeploymentConfig build() {
        return new DeploymentConfig(
                new ProjectInfo(baseDirectory, artifactId, version, name),
                new ImageSettings(registry, imageName, baseImage, composerImage, tag, Defaults.TAG_STRATEGY, buildArgs, labels,
                        false, false, user, Defaults.RUNTIME_UID),
                new PhpSettings(extensions, ini, iniTarget),
                new OctaneSettings(Defaults.OCTANE_PORT, Defaults.OCTANE_ADMIN_PORT, workers, Defaults.OCTANE_MAX_REQUESTS, healthPath),
                new ComposeSettings(network, Defaults.PUBLISHED_PORT, mysqlImage, mysqlVolume, Defaults.QUEUE_SLEEP, Defaults.QUEUE_TRIES,
                        Defaults.QUEUE_MAX_TIME, Defaults.QUEUE_STOP_GRACE_PERIOD, Defaults.SCHEDULER_MODE, Defaults.WATCHTOWER_LABELS,
                        Defaults.PROXY_IMAGE),
                environment,
                fr.miweb.maven.frankenphp.config.TestConfigs.release(Defaults.composeProject(imageName)));
    }
}
