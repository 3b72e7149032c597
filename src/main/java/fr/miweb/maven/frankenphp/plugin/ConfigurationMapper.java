package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DockerReferences;
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
import fr.miweb.maven.frankenphp.config.StartupSettings;
import fr.miweb.maven.frankenphp.config.TagStrategy;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one place where pom configuration becomes the domain model. One precedence rule for every value, nested or
 * top-level: a {@code -Dfrankenphp.*} property on the command line, then the pom element, then a
 * {@code frankenphp.*} property in the pom's {@code <properties>}, then {@link Defaults}.
 *
 * <p>Maven binds every value as text, so that nothing it cannot convert stops the build before this class has
 * seen the rest: numbers, booleans and choices are parsed here, and their problems are reported together with
 * the structure problems (misplaced or empty elements) and everything {@link ConfigValidator} finds. A problem
 * about a value that came from a property names the property.
 *
 * <p>To add a nested element: a {@code String} field in its {@code *Configuration} class, its default in
 * {@link Defaults}, one {@code text}/{@code integer}/{@code bool}/{@code choice} call here (with its property, if
 * it has one), its rule in {@link ConfigValidator}, one row in docs/configuration.md.
 */
final class ConfigurationMapper {

    /** A Windows drive path (C:\build, D:/x) or any backslash: on Linux, Maven takes it as a relative name. */
    private static final Pattern FOREIGN_PATH = Pattern.compile("(?:^|.*[/\\\\])[A-Za-z]:(?:[/\\\\].*)?$|.*\\\\.*");

    private final Function<String, String> commandLineProperties;
    private final Function<String, String> projectProperties;
    private final List<ConfigurationProblem> problems = new ArrayList<>();
    /** Where a value came from, when not from its pom element: element → "-Dfrankenphp.x" or "<properties>". */
    private final Map<String, String> origins = new HashMap<>();
    private final Map<GoalParameter, String> goalValues = new EnumMap<>(GoalParameter.class);

    /**
     * @param commandLineProperties {@code -D} properties (user and system properties of the session)
     * @param projectProperties     the pom's {@code <properties>}
     */
    ConfigurationMapper(Function<String, String> commandLineProperties, Function<String, String> projectProperties) {
        this.commandLineProperties = commandLineProperties;
        this.projectProperties = projectProperties;
    }

    /** Problems found in the pom's structure before binding (misplaced, unknown or empty elements); reported first. */
    ConfigurationMapper structureProblems(List<ConfigurationProblem> structure) {
        problems.addAll(structure);
        return this;
    }

    /**
     * The goal parameters this goal's mojo has bound, as text. The others (another goal's) are checked from their
     * properties, so every goal refuses any invalid value.
     */
    ConfigurationMapper goalParameters(Map<GoalParameter, String> bound) {
        goalValues.putAll(bound);
        return this;
    }

    DeploymentConfig map(ProjectInfo project, ImageConfiguration image, PhpConfiguration php, OctaneConfiguration octane,
                         ComposeConfiguration compose, Map<String, String> environment, ReleaseConfiguration release)
            throws InvalidConfigurationException {
        image = image == null ? new ImageConfiguration() : image;
        php = php == null ? new PhpConfiguration() : php;
        octane = octane == null ? new OctaneConfiguration() : octane;
        compose = compose == null ? new ComposeConfiguration() : compose;
        release = release == null ? new ReleaseConfiguration() : release;

        checkGoalParameters(project.baseDirectory());
        ImageSettings imageSettings = imageSettings(project, image);
        DeploymentConfig config = new DeploymentConfig(
                project,
                imageSettings,
                phpSettings(php),
                new OctaneSettings(
                        integer("<octane><port>", null, octane.port, Defaults.OCTANE_PORT),
                        integer("<octane><adminPort>", null, octane.adminPort, Defaults.OCTANE_ADMIN_PORT),
                        text("<octane><workers>", null, octane.workers, Defaults.OCTANE_WORKERS),
                        integer("<octane><maxRequests>", null, octane.maxRequests, Defaults.OCTANE_MAX_REQUESTS),
                        text("<octane><healthPath>", null, octane.healthPath, Defaults.HEALTH_PATH)),
                composeSettings(compose),
                environment(environment, imageSettings.name()),
                releaseSettings(release, imageSettings.name(), project.baseDirectory()),
                startupSettings(image.startup == null ? new StartupConfiguration() : image.startup));
        List<ConfigurationProblem> all = new ArrayList<>(problems);
        try {
            ConfigValidator.validate(config);
        } catch (InvalidConfigurationException e) {
            e.problems().stream().map(this::withOrigin).forEach(all::add);
        }
        if (!all.isEmpty()) {
            throw new InvalidConfigurationException(all);
        }
        return config;
    }

    private ImageSettings imageSettings(ProjectInfo project, ImageConfiguration image) {
        return new ImageSettings(
                text("<image><registry>", "frankenphp.registry", image.registry, Defaults.REGISTRY),
                text("<image><name>", "frankenphp.imageName", image.name, project.artifactId()),
                text("<image><baseImage>", "frankenphp.baseImage", image.baseImage, Defaults.BASE_IMAGE),
                text("<image><composerImage>", "frankenphp.composerImage", image.composerImage, Defaults.COMPOSER_IMAGE),
                text("<image><tag>", "frankenphp.tag", image.tag, null),
                choice("<image><tagStrategy>", "frankenphp.tagStrategy", image.tagStrategy, Defaults.TAG_STRATEGY,
                        TagStrategy::fromConfigValue, TagStrategy::configValue, TagStrategy.allowedValues()),
                image.buildArgs == null ? Map.of() : image.buildArgs,
                image.labels == null ? Map.of() : image.labels,
                bool("<image><pull>", "frankenphp.pull", image.pull, false),
                bool("<image><noCache>", "frankenphp.noCache", image.noCache, false),
                text("<image><user>", null, image.user, Defaults.RUNTIME_USER),
                integer("<image><uid>", null, image.uid, Defaults.RUNTIME_UID));
    }

    private StartupSettings startupSettings(StartupConfiguration startup) {
        return new StartupSettings(
                startupStep("configCache", startup.configCache, Defaults.STARTUP_CONFIG_CACHE),
                startupStep("routeCache", startup.routeCache, Defaults.STARTUP_ROUTE_CACHE),
                startupStep("eventCache", startup.eventCache, Defaults.STARTUP_EVENT_CACHE),
                startupStep("viewCache", startup.viewCache, Defaults.STARTUP_VIEW_CACHE),
                startupStep("storageLink", startup.storageLink, Defaults.STARTUP_STORAGE_LINK));
    }

    private boolean startupStep(String name, String element, boolean defaultValue) {
        return bool("<image><startup><" + name + ">", "frankenphp.startup." + name, element, defaultValue);
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
        return new PhpSettings(extensions, ini, text("<php><iniTarget>", null, php.iniTarget, Defaults.PHP_INI_TARGET));
    }

    private ComposeSettings composeSettings(ComposeConfiguration compose) {
        return new ComposeSettings(
                text("<compose><network>", null, compose.network, Defaults.NETWORK),
                integer("<compose><publishedPort>", null, compose.publishedPort, Defaults.PUBLISHED_PORT),
                text("<compose><mysqlImage>", null, compose.mysqlImage, Defaults.MYSQL_IMAGE),
                text("<compose><mysqlVolume>", null, compose.mysqlVolume, Defaults.MYSQL_VOLUME),
                integer("<compose><queueSleep>", null, compose.queueSleep, Defaults.QUEUE_SLEEP),
                integer("<compose><queueTries>", null, compose.queueTries, Defaults.QUEUE_TRIES),
                integer("<compose><queueMaxTime>", null, compose.queueMaxTime, Defaults.QUEUE_MAX_TIME),
                duration("<compose><queueStopGracePeriod>", null, compose.queueStopGracePeriod, Defaults.QUEUE_STOP_GRACE_PERIOD),
                choice("<compose><schedulerMode>", null, compose.schedulerMode, Defaults.SCHEDULER_MODE,
                        SchedulerMode::fromConfigValue, SchedulerMode::configValue, SchedulerMode.allowedValues()),
                bool("<compose><watchtowerLabels>", null, compose.watchtowerLabels, Defaults.WATCHTOWER_LABELS),
                text("<compose><proxyImage>", null, compose.proxyImage, Defaults.PROXY_IMAGE));
    }

    private ReleaseSettings releaseSettings(ReleaseConfiguration release, String imageName, Path baseDirectory) {
        Optional<URI> dockerHost = optional("<release><dockerHost>", "frankenphp.release.dockerHost", release.dockerHost)
                .flatMap(h -> uri("<release><dockerHost>", h, "use ssh://user@host[:port], tcp://host:2376 or unix:///var/run/docker.sock"));
        Optional<Path> certPath = optional("<release><certPath>", "frankenphp.release.certPath", release.certPath)
                .map(p -> baseDirectory.resolve(p).normalize());
        Optional<URI> url = optional("<release><url>", "frankenphp.release.url", release.url)
                .flatMap(u -> uri("<release><url>", u, "use an http:// or https:// URL, such as https://api.example.com/api/health"));
        Optional<URI> watchtowerUrl = optional("<release><watchtowerUrl>", "frankenphp.release.watchtowerUrl", release.watchtowerUrl)
                .flatMap(u -> uri("<release><watchtowerUrl>", u,
                        "use the http:// or https:// base URL of Watchtower's HTTP API, such as http://server.example.com:8080"));
        return new ReleaseSettings(
                choice("<release><target>", "frankenphp.release.target", release.target, Defaults.RELEASE_TARGET,
                        ReleaseTarget::fromConfigValue, ReleaseTarget::configValue, ReleaseTarget.allowedValues()),
                dockerHost,
                certPath,
                text("<release><project>", "frankenphp.release.project", release.project, Defaults.composeProject(imageName)),
                url,
                duration("<release><healthTimeout>", "frankenphp.release.healthTimeout", release.healthTimeout, Defaults.RELEASE_HEALTH_TIMEOUT),
                duration("<release><drainTimeout>", "frankenphp.release.drainTimeout", release.drainTimeout, Defaults.RELEASE_DRAIN_TIMEOUT),
                bool("<release><migrate>", "frankenphp.release.migrate", release.migrate, Defaults.RELEASE_MIGRATE),
                duration("<release><migrationTimeout>", "frankenphp.release.migrationTimeout", release.migrationTimeout,
                        Defaults.RELEASE_MIGRATION_TIMEOUT),
                watchtowerUrl,
                text("<release><watchtowerServerId>", "frankenphp.release.watchtowerServerId", release.watchtowerServerId,
                        Defaults.RELEASE_WATCHTOWER_SERVER_ID),
                integer("<release><replicas>", "frankenphp.release.replicas", release.replicas, Defaults.RELEASE_REPLICAS),
                text("<release><databaseNode>", "frankenphp.release.databaseNode", release.databaseNode, Defaults.RELEASE_DATABASE_NODE));
    }

    // ------------------------------------------------------------------ goal parameters

    private void checkGoalParameters(Path baseDirectory) {
        for (GoalParameter parameter : GoalParameter.values()) {
            String value = goalValues.containsKey(parameter)
                    ? goalValues.get(parameter)
                    : text(parameter.label(), parameter.property, null, null);
            if (goalValues.containsKey(parameter) && commandLineProperties.apply(parameter.property) != null) {
                origins.put(parameter.label(), "-D" + parameter.property);
            }
            if (value == null) {
                continue;
            }
            String trimmed = value.trim();
            switch (parameter.kind) {
                case FLAG -> {
                    if (!isBoolean(trimmed)) {
                        problem(parameter.label(), value, "use true or false");
                    }
                }
                case COUNT -> {
                    if (parseInt(trimmed).filter(n -> n >= 1).isEmpty()) {
                        problem(parameter.label(), value, "use a whole number, 1 or more, such as " + parameter.defaultValue);
                    }
                }
                case DURATION -> {
                    if (Durations.parse(trimmed).filter(d -> !d.isZero()).isEmpty()) {
                        problem(parameter.label(), value, "use a duration such as 30s, 10m or 1h30m");
                    }
                }
                case PATH -> checkPath(parameter, value, baseDirectory);
                case TAG -> {
                    // It goes into registry and Engine API paths: only a valid tag.
                    if (!trimmed.isEmpty() && !DockerReferences.isTag(trimmed)) {
                        problem(parameter.label(), value, "name a version tag that was released, such as 1.4.0 or 20261201-101500");
                    }
                }
                case TEXT -> {
                    // Any text: a server id or a version tag, checked where it is used.
                }
            }
        }
    }

    private void checkPath(GoalParameter parameter, String value, Path baseDirectory) {
        // Maven has already made a relative path absolute; what the user wrote is the part after the base directory.
        String written = value.startsWith(baseDirectory + File.separator) ? value.substring(baseDirectory.toString().length() + 1) : value;
        if (File.separatorChar == '/' && FOREIGN_PATH.matcher(written).matches()) {
            problem(parameter.label(), written, "this is a Windows path, which Maven on this system reads as a "
                    + "file name inside the project; use a path with '/', relative to the project (such as target/frankenphp) or absolute");
            return;
        }
        if (parameter == GoalParameter.TEMPLATE_DIRECTORY && goalValues.containsKey(parameter)) {
            Path path = Path.of(value);
            boolean isDefault = path.normalize().equals(baseDirectory.resolve("src/main/frankenphp").normalize());
            // The default may be absent (no override templates); a directory named explicitly must exist.
            if (!isDefault && !Files.isDirectory(path)) {
                problem(parameter.label(), written, Files.exists(path)
                        ? "this is a file, not a directory; name the directory of your override templates, such as src/main/frankenphp"
                        : "this directory does not exist; create it, fix the path, or remove <templateDirectory> to use only the "
                                + "built-in templates");
            }
        }
    }

    // ------------------------------------------------------------------ values

    /** The value, by the one precedence rule: -D, then the pom element, then {@code <properties>}, then the default. */
    private String text(String element, String property, String pomValue, String defaultValue) {
        String fromCommandLine = property == null ? null : commandLineProperties.apply(property);
        if (fromCommandLine != null) {
            origins.put(element, "-D" + property);
            return fromCommandLine.trim();
        }
        if (pomValue != null) {
            return pomValue.trim();
        }
        String fromProperties = property == null ? null : projectProperties.apply(property);
        if (fromProperties != null) {
            origins.put(element, "<" + property + "> in <properties>");
            return fromProperties.trim();
        }
        return defaultValue;
    }

    /** An optional value: unset, or set empty (which clears it), is empty. */
    private Optional<String> optional(String element, String property, String pomValue) {
        return Optional.ofNullable(text(element, property, pomValue, null)).filter(v -> !v.isEmpty());
    }

    private int integer(String element, String property, String pomValue, int defaultValue) {
        String value = text(element, property, pomValue, null);
        if (value == null) {
            return defaultValue;
        }
        return parseInt(value).orElseGet(() -> {
            problem(element, value, "use a whole number, such as " + defaultValue);
            return defaultValue;
        });
    }

    private boolean bool(String element, String property, String pomValue, boolean defaultValue) {
        String value = text(element, property, pomValue, null);
        if (value == null) {
            return defaultValue;
        }
        if (!isBoolean(value)) {
            problem(element, value, "use true or false");
            return defaultValue;
        }
        return Boolean.parseBoolean(value);
    }

    private <E> E choice(String element, String property, String pomValue, E defaultValue, Function<String, Optional<E>> parse,
                         Function<E, String> name, String allowed) {
        String value = text(element, property, pomValue, name.apply(defaultValue));
        return parse.apply(value).orElseGet(() -> {
            problem(element, value, "use one of: " + allowed);
            return defaultValue;
        });
    }

    private Duration duration(String element, String property, String pomValue, Duration defaultValue) {
        String value = text(element, property, pomValue, null);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        return Durations.parse(value).orElseGet(() -> {
            problem(element, value, "use a duration such as 90s, 5m or 1h30m");
            return defaultValue;
        });
    }

    private Optional<URI> uri(String element, String value, String fix) {
        try {
            return Optional.of(new URI(value));
        } catch (java.net.URISyntaxException e) {
            problem(element, value, fix);
            return Optional.empty();
        }
    }

    private static boolean isBoolean(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }

    private static Optional<Integer> parseInt(String value) {
        try {
            return Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> environment(Map<String, String> overrides, String imageName) {
        Map<String, String> environment = new LinkedHashMap<>(Defaults.environment(imageName));
        if (overrides != null) {
            overrides.forEach((key, value) -> environment.put(key, Objects.requireNonNullElse(value, "")));
        }
        return environment;
    }

    // ------------------------------------------------------------------ problems

    private void problem(String element, String value, String fix) {
        problems.add(new ConfigurationProblem(label(element), value, fix));
    }

    /** The element, with the property it came from when it did not come from the pom element. */
    private String label(String element) {
        String origin = origins.get(element);
        return origin == null ? element : element + " (" + origin + ")";
    }

    /** A validator problem, relabelled with where its value came from. */
    private ConfigurationProblem withOrigin(ConfigurationProblem problem) {
        String element = problem.element();
        int suffix = element.indexOf(" (");
        String bare = suffix < 0 ? element : element.substring(0, suffix);
        String origin = origins.get(bare);
        return origin == null ? problem : new ConfigurationProblem(bare + " (" + origin + ")", problem.value(), problem.fix());
    }
}
