package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import fr.miweb.maven.frankenphp.render.TemplateFailureException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.model.Scm;
import org.apache.maven.project.MavenProject;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.MojoExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.io.File;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configuration every goal shares: the deployment model and where rendered files go. */
abstract class AbstractFrankenPhpMojo extends AbstractMojo {

    /** Skips every goal of this plugin. */
    @Parameter(property = "frankenphp.skip", defaultValue = Defaults.SKIP)
    String skip;

    /** Where the deployment files are rendered; {@code build} reads the Dockerfile from here. */
    @Parameter(property = "frankenphp.outputDirectory", defaultValue = Defaults.OUTPUT_DIRECTORY)
    File outputDirectory;

    /**
     * FreeMarker templates that replace the built-in ones ({@code Dockerfile.ftl},
     * {@code docker-compose.prod.yml.ftl}, {@code docker/php/php.ini.ftl}...: the rendered file's path plus
     * {@code .ftl}) or add files (any other {@code .ftl}, rendered to its path without {@code .ftl}). The
     * default directory may be absent; a directory you set must exist.
     */
    @Parameter(property = "frankenphp.templateDirectory", defaultValue = Defaults.TEMPLATE_DIRECTORY)
    File templateDirectory;

    /**
     * The image and where it is published; tagged {@code <registry>/<name>:<version>} and
     * {@code <registry>/<name>:latest}. Child elements, each optional (a {@code -D} property wins over the pom):
     * <ul>
     * <li>{@code registry}: registry host with an optional {@code :port}, no scheme, no path.
     *     Property {@code frankenphp.registry}, default {@code docker-registry.miweb.fr}.</li>
     * <li>{@code name}: repository path in the registry (lowercase, {@code . _ - /}).
     *     Property {@code frankenphp.imageName}, default {@code ${project.artifactId}}.</li>
     * <li>{@code baseImage}: the FrankenPHP image (PHP 8.4 or later, Debian).
     *     Property {@code frankenphp.baseImage}, default {@code dunglas/frankenphp:1-php8.4-bookworm}.</li>
     * <li>{@code composerImage}: the image Composer's binary is copied from.
     *     Property {@code frankenphp.composerImage}, default {@code composer:2}.</li>
     * <li>{@code tag}: an explicit version tag, replacing tagStrategy. Property {@code frankenphp.tag}.</li>
     * <li>{@code tagStrategy}: {@code timestamp} (build start, yyyyMMdd-HHmmss UTC), {@code project-version}
     *     or {@code git-commit} (short id, -dirty when tracked files changed).
     *     Property {@code frankenphp.tagStrategy}, default {@code timestamp}.</li>
     * <li>{@code buildArgs}: --build-arg values, {@code <buildArgs><NAME>value</NAME></buildArgs>}.</li>
     * <li>{@code labels}: extra image labels, {@code <labels><key>value</key></labels>}.</li>
     * <li>{@code pull}: always pull newer base images, true or false.
     *     Property {@code frankenphp.pull}, default {@code false}.</li>
     * <li>{@code noCache}: build without the layer cache, true or false.
     *     Property {@code frankenphp.noCache}, default {@code false}.</li>
     * <li>{@code user}: the non-root user the container runs as, default {@code app}.</li>
     * <li>{@code uid}: that user's id (1-65534), default {@code 1000}.</li>
     * <li>{@code startup}: the entrypoint's start-up steps, each true or false; a failing step stops the container:
     *     {@code configCache} (config:cache; property {@code frankenphp.startup.configCache}, default {@code true}),
     *     {@code routeCache} (route:cache; property {@code frankenphp.startup.routeCache}, default {@code true}),
     *     {@code eventCache} (event:cache; property {@code frankenphp.startup.eventCache}, default {@code true}),
     *     {@code viewCache} (view:cache; property {@code frankenphp.startup.viewCache}, default {@code true}),
     *     {@code storageLink} (storage:link; property {@code frankenphp.startup.storageLink}, default {@code true});
     *     e.g. {@code <startup><routeCache>false</routeCache></startup>}.</li>
     * </ul>
     */
    @Parameter
    ImageConfiguration image;

    /**
     * PHP extensions and php.ini. Child elements:
     * <ul>
     * <li>{@code extensions}: replaces the extension list, {@code <extensions><extension>gd</extension>...</extensions>};
     *     default {@code pdo_mysql gd zip opcache intl pcntl} (Octane needs pcntl).</li>
     * <li>{@code extraExtensions}: added after the list, e.g. {@code <extraExtensions><extension>redis</extension></extraExtensions>}.</li>
     * <li>{@code ini}: php.ini directives merged over the defaults (OPcache with the tracing JIT,
     *     memory_limit 512M, upload_max_filesize and post_max_size 20M, max_execution_time 60,
     *     date.timezone Europe/Paris, expose_php Off), e.g. {@code <ini><memory_limit>1G</memory_limit></ini>};
     *     sizes in PHP's notation (512M, 1G, -1).</li>
     * <li>{@code iniTarget}: where php.ini goes in the image, default
     *     {@code /usr/local/etc/php/conf.d/zzz-frankenphp.ini}.</li>
     * </ul>
     */
    @Parameter
    PhpConfiguration php;

    /**
     * Octane, the server in the container. Child elements:
     * <ul>
     * <li>{@code port}: the port Octane listens on, default {@code 80}.</li>
     * <li>{@code adminPort}: Caddy's admin port, default {@code 2019}.</li>
     * <li>{@code workers}: worker count, or {@code auto}; default {@code auto}.</li>
     * <li>{@code maxRequests}: requests a worker serves before it is recycled, default {@code 500}.</li>
     * <li>{@code healthPath}: polled by the image's HEALTHCHECK, the proxy and a release, default
     *     {@code /api/health}; {@code /up} for Laravel 11 and later.</li>
     * </ul>
     */
    @Parameter
    OctaneConfiguration octane;

    /**
     * The production stack of docker-compose.prod.yml. Child elements:
     * <ul>
     * <li>{@code network}: the external network every service joins, default {@code docker_internal}.</li>
     * <li>{@code publishedPort}: host port of the proxy in front of app, default {@code 80}.</li>
     * <li>{@code mysqlImage}: default {@code mysql:8.0}.</li>
     * <li>{@code mysqlVolume}: named volume of MySQL's data, default {@code mysql-data}.</li>
     * <li>{@code queueSleep}, {@code queueTries}, {@code queueMaxTime}: queue:work's --sleep, --tries and
     *     --max-time, defaults {@code 3}, {@code 3}, {@code 3600}.</li>
     * <li>{@code queueStopGracePeriod}: how long a stop waits for the running job (longer than the
     *     longest job), default {@code 90s}.</li>
     * <li>{@code schedulerMode}: {@code work} (schedule:work) or {@code loop} (schedule:run every 60 s);
     *     default {@code work}.</li>
     * <li>{@code watchtowerLabels}: Watchtower's enable label on app, queue and scheduler, true or false;
     *     default {@code true}.</li>
     * <li>{@code proxyImage}: the reverse proxy (Caddy 2) in front of app, default {@code caddy:2}.</li>
     * </ul>
     */
    @Parameter
    ComposeConfiguration compose;

    /**
     * How {@code mvn deploy} puts the pushed image live, after the push. Off by default. Child elements:
     * <ul>
     * <li>{@code target}: {@code none} (the release ends at the registry), {@code compose} (health-gated
     *     swap of the app container behind the stack's proxy on dockerHost), {@code watchtower} (a call to
     *     Watchtower's HTTP API, then a wait for url to report the version) or {@code swarm} (Swarm's
     *     rolling update of the stack's services on a manager). Property {@code frankenphp.release.target},
     *     default {@code none}.</li>
     * <li>{@code dockerHost}: the production engine for compose and swarm: {@code ssh://user@host[:port]}
     *     (as the Docker CLI: ~/.ssh/config, agent, known_hosts), {@code tcp://host:2376} with certPath,
     *     or {@code unix:///path}. Property {@code frankenphp.release.dockerHost}.</li>
     * <li>{@code certPath}: directory with ca.pem, cert.pem and key.pem for a tcp:// dockerHost.
     *     Property {@code frankenphp.release.certPath}.</li>
     * <li>{@code project}: the compose project (or Swarm stack) name on the server, default the image
     *     name. Property {@code frankenphp.release.project}.</li>
     * <li>{@code url}: a URL that must answer 200 once the release is live; required for watchtower,
     *     where it must also report the version. Property {@code frankenphp.release.url}.</li>
     * <li>{@code healthTimeout}: how long the new version has to become healthy.
     *     Property {@code frankenphp.release.healthTimeout}, default {@code 2m}.</li>
     * <li>{@code drainTimeout}: how long the old app container keeps its in-flight requests.
     *     Property {@code frankenphp.release.drainTimeout}, default {@code 30s}.</li>
     * <li>{@code migrate}: run php artisan migrate --force once before the swap, true or false.
     *     Property {@code frankenphp.release.migrate}, default {@code true}.</li>
     * <li>{@code migrationTimeout}: deadline of the migrations.
     *     Property {@code frankenphp.release.migrationTimeout}, default {@code 10m}.</li>
     * <li>{@code watchtowerUrl}: watchtower only: the base URL of Watchtower's HTTP API.
     *     Property {@code frankenphp.release.watchtowerUrl}.</li>
     * <li>{@code watchtowerServerId}: the settings.xml server whose password is Watchtower's API token.
     *     Property {@code frankenphp.release.watchtowerServerId}, default {@code watchtower}.</li>
     * <li>{@code replicas}: swarm: app tasks in docker-stack.yml (1 to 100).
     *     Property {@code frankenphp.release.replicas}, default {@code 2}.</li>
     * <li>{@code databaseNode}: swarm: the node label key=value that places MySQL.
     *     Property {@code frankenphp.release.databaseNode}, default {@code frankenphp.database=true}.</li>
     * </ul>
     * Durations are written {@code 30s}, {@code 10m}, {@code 1h30m}.
     */
    @Parameter
    ReleaseConfiguration release;

    /**
     * Values for .env.production.example, merged over the defaults (APP_URL, DB_DATABASE,
     * SANCTUM_STATEFUL_DOMAINS...): {@code <environment><APP_URL>https://api.example.com</APP_URL></environment>}.
     * Secrets (names ending in PASSWORD, SECRET, TOKEN or _KEY, and APP_KEY) are refused: the file
     * writes them empty and the operator fills them on the server. A value with characters other than
     * letters, digits and {@code . / : @ , + = - _} is single-quoted; {@code ' $ \} and control
     * characters are refused.
     */
    @Parameter
    Map<String, String> environment;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
    String pluginVersion;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /** Misplaced, unknown or empty elements inside the sections, found by {@link FrankenPhpConfigurator}. */
    List<ConfigurationProblem> structureProblems = List.of();

    private DeploymentConfig config;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        commandLineWins();
        if (flag(skip)) {
            getLog().info("Skipping " + goal() + ": <skip> (frankenphp.skip) is true.");
            return;
        }
        run();
    }

    /** The goal's name, for log messages. */
    abstract String goal();

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /**
     * The pom configuration as the domain model, validated with every goal parameter (this goal's and the others',
     * from their properties), so that every goal reports every invalid value, all at once.
     */
    DeploymentConfig deploymentConfig() throws MojoFailureException {
        if (config != null) {
            return config;
        }
        Optional<String> sourceUrl = Optional.ofNullable(project.getScm()).map(Scm::getUrl).or(() -> Optional.ofNullable(project.getUrl()));
        ProjectInfo info = new ProjectInfo(project.getBasedir().toPath(), project.getArtifactId(), project.getVersion(), project.getName(), sourceUrl);
        List<ConfigurationProblem> structure = new ArrayList<>(ConfigurationStructure.checkTopLevel(topLevelElements()));
        structure.addAll(structureProblems);
        try {
            config = new ConfigurationMapper(this::commandLineProperty, project.getProperties()::getProperty)
                    .structureProblems(structure)
                    .goalParameters(boundGoalParameters())
                    .map(info, image, php, octane, compose, environment, release);
            return config;
        } catch (InvalidConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /**
     * A flag goal parameter. Anything but true or false fails, with every other invalid value: a flag is read
     * before the rest (skip), and a mistyped one must not silently mean false.
     */
    boolean flag(String value) throws MojoFailureException {
        String trimmed = value == null ? "false" : value.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        deploymentConfig();
        throw new MojoFailureException("Invalid plugin configuration: '" + value + "' is not true or false");
    }

    /** A count goal parameter, already checked by {@link #deploymentConfig()}. */
    int count(String value) throws MojoFailureException {
        try {
            int count = Integer.parseInt(value.trim());
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Reported below, with everything else.
        }
        deploymentConfig();
        throw new MojoFailureException("Invalid plugin configuration: '" + value + "' is not a count of 1 or more");
    }

    /**
     * One precedence rule for every value: Maven lets a goal parameter's pom element beat its -D property; the
     * plugin gives -D the last word, as it does for the nested values.
     */
    private void commandLineWins() throws MojoExecutionException {
        for (GoalParameter parameter : GoalParameter.values()) {
            String value = commandLineProperty(parameter.property);
            Field field = field(parameter);
            if (value == null || field == null) {
                continue;
            }
            try {
                if (field.getType() == File.class) {
                    File file = new File(value);
                    field.set(this, file.isAbsolute() ? file : new File(project.getBasedir(), value));
                } else {
                    field.set(this, value);
                }
            } catch (IllegalAccessException e) {
                throw new MojoExecutionException("Could not apply -D" + parameter.property + ": " + e.getMessage(), e);
            }
        }
    }

    /** This goal's goal parameters, as bound, as text. */
    private Map<GoalParameter, String> boundGoalParameters() {
        Map<GoalParameter, String> bound = new EnumMap<>(GoalParameter.class);
        for (GoalParameter parameter : GoalParameter.values()) {
            Field field = field(parameter);
            if (field == null) {
                continue;
            }
            try {
                Object value = field.get(this);
                if (value != null) {
                    bound.put(parameter, value instanceof File file ? file.getPath() : value.toString());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return bound;
    }

    /** The mojo field a goal parameter binds to, or null when this goal does not have it. */
    private Field field(GoalParameter parameter) {
        for (Class<?> type = getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(parameter.element);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // Declared higher up, or not in this goal.
            }
        }
        return null;
    }

    /**
     * The top-level elements of this plugin's configuration in the pom, the plugin's and each execution's. Maven
     * passes the mojo only the ones it has parameters for, and only warns about the rest.
     */
    private List<ConfigurationStructure.Element> topLevelElements() {
        // A set: Maven copies the plugin's configuration into each execution (default-generate, default-build...).
        Set<ConfigurationStructure.Element> elements = new LinkedHashSet<>();
        Plugin plugin = mojoExecution == null ? null
                : Optional.ofNullable(project.getPlugin(mojoExecution.getPlugin().getKey())).orElse(mojoExecution.getPlugin());
        if (plugin == null) {
            return List.of();
        }
        List<Object> configurations = new ArrayList<>();
        configurations.add(plugin.getConfiguration());
        plugin.getExecutions().forEach(execution -> configurations.add(execution.getConfiguration()));
        for (Object configuration : configurations) {
            if (configuration instanceof Xpp3Dom dom) {
                for (Xpp3Dom child : dom.getChildren()) {
                    elements.add(new ConfigurationStructure.Element(child.getName(), child.getValue(), List.of()));
                }
            }
        }
        return List.copyOf(elements);
    }

    /** Renders every deployment file in memory; nothing is written. */
    List<RenderedFile> render(DeploymentConfig config) throws MojoExecutionException, MojoFailureException {
        try {
            return DeploymentFiles.render(config, templateDirectory.toPath(), pluginVersion);
        } catch (TemplateFailureException e) {
            throw new MojoFailureException(e.getMessage() + "\nFix the template in " + templateDirectory
                    + " or remove it to use the built-in one.", e);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not read the templates: " + e.getMessage(), e);
        }
    }

    String commandLineProperty(String name) {
        String value = session.getUserProperties().getProperty(name);
        return value != null ? value : session.getSystemProperties().getProperty(name);
    }
}
