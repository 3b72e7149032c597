package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.publish.PublishException;
import fr.miweb.maven.frankenphp.publish.PushImage;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Pushes the image recorded in {@code target/frankenphp/image.json}: the version tag first, then
 * {@code latest}. Checks the registry login first. Records each pushed digest. Refuses to replace a
 * released version tag, and leaves {@code latest} at a newer build, unless {@code pushOverwrite}.
 */
@Mojo(name = "push", configurator = FrankenPhpConfigurator.HINT, defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractDockerMojo {

    /**
     * Lets the push replace what the registry already has: a version tag that names another image (the
     * released image is lost), and {@code latest} when it names a newer build than this one (a rollback).
     * Without it, such a version tag fails the push before anything is pushed, and {@code latest} stays.
     * Property {@code frankenphp.push.overwrite}, default {@code false}.
     */
    @Parameter(property = "frankenphp.push.overwrite", defaultValue = Defaults.PUSH_OVERWRITE)
    String pushOverwrite;

    @Inject
    public PushMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    String goal() {
        return "push";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (flag(pushSkip)) {
            getLog().info("Skipping push: <pushSkip> (frankenphp.push.skip) is true.");
            return;
        }
        DeploymentConfig config = deploymentConfig();
        Path recordFile = imageRecordFile();
        try {
            ImageRecord record = PushImage.recorded(recordFile, config.image().repository(), "push", howToBuild(), "mvn package");
            String registry = config.image().registry();
            PushImage.Request request = new PushImage.Request(recordFile, registry,
                    credentials(registry), pushTimeout(), flag(pushOverwrite));
            try (DockerConnection docker = connect()) {
                new PushImage(publisher(docker), progress()).push(request, record);
            }
        } catch (PublishException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new MojoExecutionException("Push failed: " + e.getMessage(), e);
        }
    }

    /** What to do when there is no build to push, without telling the user to run what they just ran. */
    private String howToBuild() throws MojoFailureException {
        String skip = Optional.ofNullable(commandLineProperty(GoalParameter.BUILD_SKIP.property))
                .orElse(project.getProperties().getProperty(GoalParameter.BUILD_SKIP.property, "false"));
        if (flag(skip)) {
            return "The build was skipped (frankenphp.build.skip is true), so this run built no image: run it again without "
                    + "-Dfrankenphp.build.skip, or push an image built earlier with mvn package then mvn frankenphp:push.";
        }
        if (session.getGoals().contains("deploy")) {
            return "This run built no image: with <packaging>frankenphp</packaging> mvn deploy builds it in the package phase; "
                    + "otherwise bind the plugin's build goal, or run mvn package first.";
        }
        return "Build the image first (mvn package), or build and push in one go (mvn deploy).";
    }
}
