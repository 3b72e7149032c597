package fr.miweb.maven.frankenphp.plugin;

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

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configuration every goal shares: the deployment model and where rendered files go. */
abstract class AbstractFrankenPhpMojo extends AbstractMojo {

    /** Skips every goal of this plugin. */
    @Parameter(property = "frankenphp.skip", defaultValue = "false")
    boolean skip;

    /** Where the deployment files are rendered; {@code build} reads the Dockerfile from here. */
    @Parameter(property = "frankenphp.outputDirectory", defaultValue = "${project.build.directory}/frankenphp")
    File outputDirectory;

    /**
     * Templates that replace the built-in ones (same file name, plus {@code .ftl}) or add files
     * (any other {@code .ftl}). See docs/templates.md.
     */
    @Parameter(property = "frankenphp.templateDirectory", defaultValue = "${project.basedir}/src/main/frankenphp")
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

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping " + goal() + ": <skip> (frankenphp.skip) is true.");
            return;
        }
        run();
    }

    /** The goal's name, for log messages. */
    abstract String goal();

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The pom configuration as the domain model, validated. */
    DeploymentConfig deploymentConfig() throws MojoFailureException {
        Optional<String> sourceUrl = Optional.ofNullable(project.getScm()).map(Scm::getUrl).or(() -> Optional.ofNullable(project.getUrl()));
        ProjectInfo info = new ProjectInfo(project.getBasedir().toPath(), project.getArtifactId(), project.getVersion(), project.getName(), sourceUrl);
        try {
            return new ConfigurationMapper(this::commandLineProperty, project.getProperties()::getProperty)
                    .map(info, image, php, octane, compose, environment, release);
        } catch (InvalidConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
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

    private String commandLineProperty(String name) {
        String value = session.getUserProperties().getProperty(name);
        return value != null ? value : session.getSystemProperties().getProperty(name);
    }
}
