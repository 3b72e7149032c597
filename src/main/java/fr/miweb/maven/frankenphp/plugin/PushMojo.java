package fr.miweb.maven.frankenphp.plugin;

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

/**
 * Pushes the image recorded in {@code target/frankenphp/image.json}: the version tag first, then
 * {@code latest}. Checks the registry login first. Records each pushed digest. Refuses to replace a
 * released version tag, and leaves {@code latest} at a newer build, unless {@code pushOverwrite}.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractDockerMojo {

    /**
     * Lets the push replace what the registry already has: a version tag that names another image (the
     * released image is lost), and {@code latest} when it names a newer build than this one (a rollback).
     * Without it, such a version tag fails the push before anything is pushed, and {@code latest} stays.
     * Property {@code frankenphp.push.overwrite}, default {@code false}.
     */
    @Parameter(property = "frankenphp.push.overwrite", defaultValue = "false")
    boolean pushOverwrite;

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
        if (pushSkip) {
            getLog().info("Skipping push: <pushSkip> (frankenphp.push.skip) is true.");
            return;
        }
        DeploymentConfig config = deploymentConfig();
        Path recordFile = imageRecordFile();
        try {
            ImageRecord record = PushImage.recorded(recordFile, config.image().repository(),
                    "Build the image first (mvn package), or build and push in one go (mvn deploy).");
            String registry = config.image().registry();
            PushImage.Request request = new PushImage.Request(recordFile, config.image().repository(), registry,
                    credentials(registry), pushTimeout(), pushOverwrite);
            try (DockerConnection docker = connect()) {
                new PushImage(publisher(docker), progress()).push(request, record);
            }
        } catch (PublishException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new MojoExecutionException("Push failed: " + e.getMessage(), e);
        }
    }
}
