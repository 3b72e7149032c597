package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.Retrier;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Publishes a built image: the version tag first, then {@code latest}, so {@code latest} never
 * names an image the registry lacks. After each tag, {@code image.json} records its digest, so a
 * failed run leaves an honest record and running {@code push} again completes the release.
 */
public final class ImagePublisher {

    private final DockerClient client;
    private final RegistryOperations registry;
    private final Retrier retrier;
    private final Duration pushTimeout;
    private final Consumer<String> progress;

    /**
     * @param retrier     retries login checks and pushes that failed for a transient reason
     * @param pushTimeout deadline of each push attempt
     * @param progress    receives push status lines
     */
    public ImagePublisher(DockerClient client, Retrier retrier, Duration pushTimeout, Consumer<String> progress) {
        this.client = client;
        this.registry = new RegistryOperations(client);
        this.retrier = retrier;
        this.pushTimeout = pushTimeout;
        this.progress = progress;
    }

    /** Checks the registry accepts the credentials; each attempt is bounded by the push timeout. */
    public void checkLogin(String registryHost, RegistryCredentials credentials) {
        retrier.call("Login to " + registryHost, () -> {
            registry.checkLogin(registryHost, credentials, pushTimeout);
            return null;
        });
    }

    /**
     * @return the record with both tags pushed
     */
    public ImageRecord publish(ImageRecord record, Path recordFile, String registryHost, RegistryCredentials credentials)
            throws DockerException, IOException {
        ensureStillBuilt(record);
        ImageRecord current = record;
        for (String tag : List.of(record.version(), "latest")) {
            String reference = record.repository() + ":" + tag;
            String digest = retrier.call("Push of " + reference,
                    () -> registry.push(record.repository(), tag, credentials, registryHost, pushTimeout, progress));
            current = current.withPushed(tag, digest);
            current.write(recordFile);
        }
        return current;
    }

    /**
     * The recorded image must still be in the daemon under both tags: the daemon may have been
     * reset since the build, or another build may have moved the local {@code latest}.
     */
    private void ensureStillBuilt(ImageRecord record) throws DockerException {
        String versionReference = record.repository() + ":" + record.version();
        InspectImageResponse image;
        try {
            image = client.inspectImageCmd(record.imageId()).exec();
        } catch (NotFoundException e) {
            throw new DockerException("The image " + versionReference + " (" + record.imageId() + ") recorded in image.json "
                    + "is no longer in the Docker daemon (removed, or the daemon was reset since the build). "
                    + "Build it again: mvn package (or mvn deploy).", e);
        }
        if (image.getRepoTags() == null || !image.getRepoTags().contains(versionReference)) {
            client.tagImageCmd(record.imageId(), record.repository(), record.version()).exec();
        }
        // Point the local latest at this build: what Watchtower deploys is what was built here.
        client.tagImageCmd(record.imageId(), record.repository(), "latest").withForce().exec();
    }
}
