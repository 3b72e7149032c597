package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.ReleaseRefusedException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
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
        if (!Files.isRegularFile(recordFile)) {
            throw new MojoFailureException("Nothing to push: " + recordFile + " does not exist. " + howToBuild());
        }
        ImageRecord record;
        try {
            record = ImageRecord.read(recordFile);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not read " + recordFile + ": " + e.getMessage() + ". Build again (mvn package).", e);
        }
        String registry = config.image().registry();
        if (!record.repository().equals(config.image().repository())) {
            throw new MojoFailureException("The image built (" + record.repository() + ", see " + recordFile
                    + ") is not the one configured now (" + config.image().repository() + "). Build again (mvn package).");
        }
        RegistryCredentials credentials = credentials(registry);
        try (DockerConnection docker = connect()) {
            ImagePublisher publisher = publisher(docker);
            checkLogin(publisher, registry, credentials);
            getLog().info("Pushing " + record.repository() + ":" + record.version() + " then " + record.repository() + ":latest to " + registry);
            ImageRecord pushed;
            try {
                pushed = publisher.publish(record, recordFile, registry, credentials, flag(pushOverwrite));
            } catch (ReleaseRefusedException e) {
                throw new MojoFailureException(e.getMessage(), e);
            } catch (RetryFailedException e) {
                throw withProgress(registryFailure("Push to " + registry, registry, credentials, e), record, recordFile);
            }
            pushed.pushed().forEach((tag, digest) -> getLog().info("Pushed " + record.repository() + ":" + tag + " (" + digest + ")"));
        } catch (DockerException e) {
            throw new MojoExecutionException(e.getMessage(), e);
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

    /** A failed push's message, completed with what reached the registry and how to finish the release. */
    private static MojoExecutionException withProgress(MojoExecutionException failure, ImageRecord built, Path recordFile) {
        ImageRecord now = built;
        try {
            // image.json records each tag as soon as it is pushed.
            now = ImageRecord.read(recordFile);
        } catch (IOException e) {
            // The record as it was before the push is still what was built.
        }
        return new MojoExecutionException(failure.getMessage() + "\n" + now.pushProgress() + " " + recordFile
                + " records this. Run mvn frankenphp:push again to complete the release; it pushes the same image ("
                + built.imageId() + ") without rebuilding.", failure.getCause());
    }
}
