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
     * Templates that replace the built-in ones (same file name, plus {@code .ftl}) or add files
     * (any other {@code .ftl}). See docs/templates.md.
     */
    @Parameter(property = "frankenphp.templateDirectory", defaultValue = Defaults.TEMPLATE_DIRECTORY)
    File templateDirectory;

    /**
     * The image: {@code registry}, {@code name}, {@code baseImage}, {@code composerImage},
     * {@code tag}, {@code tagStrategy}, {@code buildArgs}, {@code labels}, {@code pull},
     * {@code noCache}, {@code user}, {@code uid}. See docs/configuration.md.
     */
    @Parameter
    ImageConfiguration image;

    /** PHP: {@code extensions}, {@code extraExtensions}, {@code ini}, {@code iniTarget}. */
    @Parameter
    PhpConfiguration php;

    /** Octane: {@code port}, {@code adminPort}, {@code workers}, {@code maxRequests}, {@code healthPath}. */
    @Parameter
    OctaneConfiguration octane;

    /**
     * The compose stack: {@code network}, {@code publishedPort}, {@code mysqlImage},
     * {@code mysqlVolume}, {@code queueSleep}, {@code queueTries}, {@code queueMaxTime},
     * {@code queueStopGracePeriod}, {@code schedulerMode}, {@code watchtowerLabels}, {@code proxyImage}.
     */
    @Parameter
    ComposeConfiguration compose;

    /**
     * How {@code mvn deploy} puts the pushed image live: {@code target} (none, compose, watchtower),
     * {@code dockerHost}, {@code certPath}, {@code project}, {@code url}, {@code healthTimeout},
     * {@code drainTimeout}, {@code migrate}, {@code migrationTimeout}, {@code watchtowerUrl},
     * {@code watchtowerServerId}; each also as a
     * {@code frankenphp.release.*} property. Off by default.
     */
    @Parameter
    ReleaseConfiguration release;

    /**
     * Values for .env.production.example, merged over the defaults ({@code APP_URL},
     * {@code DB_DATABASE}, {@code SANCTUM_STATEFUL_DOMAINS}...). Secrets are refused.
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
