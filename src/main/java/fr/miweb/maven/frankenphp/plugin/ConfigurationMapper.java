package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.Durations;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.PhpSettings;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.config.SchedulerMode;
import fr.miweb.maven.frankenphp.config.TagStrategy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where pom configuration becomes the domain model. For each value, the first that
 * is set wins: a {@code -Dfrankenphp.*} property on the command line, the pom element, a
 * {@code frankenphp.*} property in the pom's {@code <properties>}, then {@link Defaults}.
 */
final class ConfigurationMapper {

    private final Function<String, String> commandLineProperties;
    private final Function<String, String> projectProperties;
    private final List<ConfigurationProblem> problems = new ArrayList<>();

    /**
     * @param commandLineProperties {@code -D} properties (user and system properties of the session)
     * @param projectProperties     the pom's {@code <properties>}
     */
    ConfigurationMapper(Function<String, String> commandLineProperties, Function<String, String> projectProperties) {
        this.commandLineProperties = commandLineProperties;
        this.projectProperties = projectProperties;
    }

    DeploymentConfig map(ProjectInfo project, ImageConfiguration image, PhpConfiguration php, OctaneConfiguration octane,
                         ComposeConfiguration compose, Map<String, String> environment, ReleaseConfiguration release)
            throws InvalidConfigurationException {
        image = image == null ? new ImageConfiguration() : image;
        php = php == null ? new PhpConfiguration() : php;
        octane = octane == null ? new OctaneConfiguration() : octane;
        compose = compose == null ? new ComposeConfiguration() : compose;
        release = release == null ? new ReleaseConfiguration() : release;

        ImageSettings imageSettings = imageSettings(project, image);
        DeploymentConfig config = new DeploymentConfig(
                project,
                imageSettings,
                phpSettings(php),
                new OctaneSettings(
                        value(octane.port, Defaults.OCTANE_PORT),
                        value(octane.adminPort, Defaults.OCTANE_ADMIN_PORT),
                        value(octane.workers, Defaults.OCTANE_WORKERS),
                        value(octane.maxRequests, Defaults.OCTANE_MAX_REQUESTS),
                        value(octane.healthPath, Defaults.HEALTH_PATH)),
                composeSettings(compose),
                environment(environment, imageSettings.name()),
                releaseSettings(release, imageSettings.name(), project.baseDirectory()));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        ConfigValidator.validate(config);
        return config;
    }

    private ImageSettings imageSettings(ProjectInfo project, ImageConfiguration image) {
        String strategyValue = property("frankenphp.tagStrategy", image.tagStrategy, Defaults.TAG_STRATEGY.configValue());
        TagStrategy strategy = TagStrategy.fromConfigValue(strategyValue).orElse(null);
        if (strategy == null) {
            problems.add(new ConfigurationProblem("<image><tagStrategy>", strategyValue, "use one of: " + TagStrategy.allowedValues()));
            strategy = Defaults.TAG_STRATEGY;
        }
        return new ImageSettings(
                property("frankenphp.registry", image.registry, Defaults.REGISTRY),
                property("frankenphp.imageName", image.name, project.artifactId()),
                property("frankenphp.baseImage", image.baseImage, Defaults.BASE_IMAGE),
                property("frankenphp.composerImage", image.composerImage, Defaults.COMPOSER_IMAGE),
                property("frankenphp.tag", image.tag, null),
                strategy,
                image.buildArgs == null ? Map.of() : image.buildArgs,
                image.labels == null ? Map.of() : image.labels,
                booleanProperty("frankenphp.pull", "<image><pull>", image.pull),
                booleanProperty("frankenphp.noCache", "<image><noCache>", image.noCache),
                value(image.user, Defaults.RUNTIME_USER),
                value(image.uid, Defaults.RUNTIME_UID));
    }

    private PhpSettings phpSettings(PhpConfiguration php) {
        List<String> extensions = new ArrayList<>(php.extensions == null ? Defaults.PHP_EXTENSIONS : php.extensions);
        if (php.extraExtensions != null) {
            php.extraExtensions.stream().filter(e -> !extensions.contains(e)).forEach(extensions::add);
        }
        Map<String, String> ini = Defaults.phpIni();
        if (php.ini != null) {
            php.ini.forEach((key, value) -> ini.put(key, Objects.requireNonNullElse(value, "")));
        }
        return new PhpSettings(extensions, ini, value(php.iniTarget, Defaults.PHP_INI_TARGET));
    }

    private ComposeSettings composeSettings(ComposeConfiguration compose) {
        String schedulerValue = value(compose.schedulerMode, Defaults.SCHEDULER_MODE.configValue());
        SchedulerMode scheduler = SchedulerMode.fromConfigValue(schedulerValue).orElse(null);
        if (scheduler == null) {
            problems.add(new ConfigurationProblem("<compose><schedulerMode>", schedulerValue, "use one of: " + SchedulerMode.allowedValues()));
            scheduler = Defaults.SCHEDULER_MODE;
        }
        return new ComposeSettings(
                value(compose.network, Defaults.NETWORK),
                value(compose.publishedPort, Defaults.PUBLISHED_PORT),
                value(compose.mysqlImage, Defaults.MYSQL_IMAGE),
                value(compose.mysqlVolume, Defaults.MYSQL_VOLUME),
                value(compose.queueSleep, Defaults.QUEUE_SLEEP),
                value(compose.queueTries, Defaults.QUEUE_TRIES),
                value(compose.queueMaxTime, Defaults.QUEUE_MAX_TIME),
                duration("<compose><queueStopGracePeriod>", compose.queueStopGracePeriod, Defaults.QUEUE_STOP_GRACE_PERIOD),
                scheduler,
                value(compose.watchtowerLabels, Defaults.WATCHTOWER_LABELS),
                value(compose.proxyImage, Defaults.PROXY_IMAGE));
    }

    private ReleaseSettings releaseSettings(ReleaseConfiguration release, String imageName, Path baseDirectory) {
        String targetValue = property("frankenphp.release.target", release.target, Defaults.RELEASE_TARGET.configValue());
        ReleaseTarget target = ReleaseTarget.fromConfigValue(targetValue).orElse(null);
        if (target == null) {
            problems.add(new ConfigurationProblem("<release><target> (frankenphp.release.target)", targetValue,
                    "use one of: " + ReleaseTarget.allowedValues()));
            target = Defaults.RELEASE_TARGET;
        }
        Optional<URI> dockerHost = Optional.ofNullable(property("frankenphp.release.dockerHost", release.dockerHost, null))
                .filter(h -> !h.isEmpty()).flatMap(h -> uri("<release><dockerHost> (frankenphp.release.dockerHost)", h,
                        "use ssh://user@host[:port], tcp://host:2376 or unix:///var/run/docker.sock"));
        Optional<Path> certPath = Optional.ofNullable(property("frankenphp.release.certPath", release.certPath, null))
                .filter(p -> !p.isEmpty()).map(p -> baseDirectory.resolve(p).normalize());
        Optional<URI> url = Optional.ofNullable(property("frankenphp.release.url", release.url, null))
                .filter(u -> !u.isEmpty()).flatMap(u -> uri("<release><url> (frankenphp.release.url)", u,
                        "use an http:// or https:// URL, such as https://api.example.com/api/health"));
        Optional<URI> watchtowerUrl = Optional.ofNullable(property("frankenphp.release.watchtowerUrl", release.watchtowerUrl, null))
                .filter(u -> !u.isEmpty()).flatMap(u -> uri("<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", u,
                        "use the http:// or https:// base URL of Watchtower's HTTP API, such as http://server.example.com:8080"));
        return new ReleaseSettings(
                target,
                dockerHost,
                certPath,
                property("frankenphp.release.project", release.project, Defaults.composeProject(imageName)),
                url,
                duration("<release><healthTimeout> (frankenphp.release.healthTimeout)",
                        property("frankenphp.release.healthTimeout", release.healthTimeout, null), Defaults.RELEASE_HEALTH_TIMEOUT),
                duration("<release><drainTimeout> (frankenphp.release.drainTimeout)",
                        property("frankenphp.release.drainTimeout", release.drainTimeout, null), Defaults.RELEASE_DRAIN_TIMEOUT),
                booleanValue("<release><migrate> (frankenphp.release.migrate)",
                        property("frankenphp.release.migrate", release.migrate, String.valueOf(Defaults.RELEASE_MIGRATE))),
                duration("<release><migrationTimeout> (frankenphp.release.migrationTimeout)",
                        property("frankenphp.release.migrationTimeout", release.migrationTimeout, null), Defaults.RELEASE_MIGRATION_TIMEOUT),
                watchtowerUrl,
                property("frankenphp.release.watchtowerServerId", release.watchtowerServerId, Defaults.RELEASE_WATCHTOWER_SERVER_ID),
                intValue("<release><replicas> (frankenphp.release.replicas)",
                        property("frankenphp.release.replicas", release.replicas, null), Defaults.RELEASE_REPLICAS),
                property("frankenphp.release.databaseNode", release.databaseNode, Defaults.RELEASE_DATABASE_NODE));
    }

    private Optional<URI> uri(String element, String value, String fix) {
        try {
            return Optional.of(new URI(value));
        } catch (java.net.URISyntaxException e) {
            problems.add(new ConfigurationProblem(element, value, fix));
            return Optional.empty();
        }
    }

    private int intValue(String element, String value, int defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(new ConfigurationProblem(element, value, "use a whole number, such as " + defaultValue));
            return defaultValue;
        }
    }

    private boolean booleanValue(String element, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            problems.add(new ConfigurationProblem(element, value, "use true or false"));
        }
        return Boolean.parseBoolean(value);
    }

    private static Map<String, String> environment(Map<String, String> overrides, String imageName) {
        Map<String, String> environment = new LinkedHashMap<>(Defaults.environment(imageName));
        if (overrides != null) {
            overrides.forEach((key, value) -> environment.put(key, Objects.requireNonNullElse(value, "")));
        }
        return environment;
    }

    private String property(String name, String element, String defaultValue) {
        return Optional.ofNullable(commandLineProperties.apply(name))
                .or(() -> Optional.ofNullable(element))
                .or(() -> Optional.ofNullable(projectProperties.apply(name)))
                .map(String::trim)
                .orElse(defaultValue);
    }

    private boolean booleanProperty(String name, String element, Boolean elementValue) {
        String value = property(name, elementValue == null ? null : elementValue.toString(), "false");
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            problems.add(new ConfigurationProblem(element + " (" + name + ")", value, "use true or false"));
        }
        return Boolean.parseBoolean(value);
    }

    private Duration duration(String element, String value, Duration defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return Durations.parse(value).orElseGet(() -> {
            problems.add(new ConfigurationProblem(element, value, "use a duration such as 90s, 5m or 1h30m"));
            return defaultValue;
        });
    }

    private static <T> T value(T configured, T defaultValue) {
        return configured != null ? configured : defaultValue;
    }
}
