package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import fr.miweb.maven.frankenphp.publish.BuildImage;
import fr.miweb.maven.frankenphp.publish.PublishException;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds the image from the rendered Dockerfile, with the project directory as the build context
 * (filtered by the rendered .dockerignore), tagged {@code <registry>/<name>:<version>} and
 * {@code <registry>/<name>:latest}. Records the result in {@code target/frankenphp/image.json}.
 * In {@code mvn deploy}, checks the registry login before building.
 */
@Mojo(name = "build", configurator = FrankenPhpConfigurator.HINT, defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractDockerMojo {

    /** Skips the image build. */
    @Parameter(property = "frankenphp.build.skip", defaultValue = Defaults.BUILD_SKIP)
    String buildSkip;

    /** Deadline of the whole image build. */
    @Parameter(property = "frankenphp.build.timeout", defaultValue = Defaults.BUILD_TIMEOUT)
    String buildTimeout;

    @Inject
    public BuildMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    String goal() {
        return "build";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (flag(buildSkip)) {
            getLog().info("Skipping build: <buildSkip> (frankenphp.build.skip) is true.");
            return;
        }
        Path recordFile = imageRecordFile();
        try {
            // Before the configuration is read, which may fail too: no failed build leaves an earlier record behind.
            BuildImage.forgetPreviousBuild(recordFile);
            DeploymentConfig config = deploymentConfig();
            Duration timeout = duration("<buildTimeout>", "frankenphp.build.timeout", buildTimeout);
            try (DockerConnection docker = connect()) {
                Optional<BuildImage.Login> login = Optional.empty();
                if (pushFollows()) {
                    login = Optional.of(new BuildImage.Login(publisher(docker), credentials(config.image().registry()), pushTimeout()));
                }
                // The files of this render only: stale or foreign files in the output directory never enter the context.
                List<String> rendered = render(config).stream().map(RenderedFile::relativePath).toList();
                new BuildImage(new ImageBuilder(docker.client()), progress()).build(new BuildImage.Request(config, outputDirectory.toPath(),
                        rendered, recordFile, session.getStartTime().toInstant(), timeout, login,
                        templateDirectory.toPath().resolve(".dockerignore.ftl")));
            }
        } catch (PublishException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new MojoExecutionException("Image build failed: " + e.getMessage(), e);
        }
    }

    /** True when this Maven invocation will push: {@code deploy} or {@code frankenphp:push} was asked for. */
    private boolean pushFollows() throws MojoFailureException {
        return !flag(pushSkip) && session.getGoals().stream().anyMatch(goal ->
                goal.equals("deploy") || (goal.endsWith(":push") && goal.toLowerCase(Locale.ROOT).contains("frankenphp")));
    }
}
