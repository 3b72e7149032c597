package fr.miweb.maven.frankenphp.publish;

import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.ReleaseRefusedException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Pushes the image recorded in {@code image.json}: checks the registry login, then pushes the version tag and moves
 * {@code latest} ({@link ImagePublisher}: released tags are protected, each pushed digest is verified and recorded).
 */
public final class PushImage {

    /**
     * @param overwrite replace a released version tag, and move {@code latest} even to an older build
     */
    public record Request(Path recordFile, String registry, RegistryCredentials credentials, Duration pushTimeout,
                          boolean overwrite) {
    }

    private final ImagePublisher publisher;
    private final Progress progress;

    public PushImage(ImagePublisher publisher, Progress progress) {
        this.publisher = publisher;
        this.progress = progress;
    }

    /**
     * The recorded build, checked against the configuration; what push and release start from.
     *
     * @param goal        the goal that needs it, for messages: {@code push}, {@code release}
     * @param missingHint what to do when nothing is recorded
     * @param rebuild     the command that builds again, such as {@code mvn package}
     */
    public static ImageRecord recorded(Path recordFile, String repository, String goal, String missingHint, String rebuild)
            throws PublishException {
        if (!Files.isRegularFile(recordFile)) {
            throw new PublishException("Nothing to " + goal + ": " + recordFile + " does not exist. " + missingHint, true, null);
        }
        ImageRecord record;
        try {
            record = ImageRecord.read(recordFile);
        } catch (IOException e) {
            throw new PublishException("Could not read " + recordFile + ": " + e.getMessage() + ". Build again (" + rebuild + ").", false, e);
        }
        if (!record.repository().equals(repository)) {
            throw new PublishException("The image built (" + record.repository() + ", see " + recordFile
                    + ") is not the one configured now (" + repository + "). Build again (" + rebuild + ").", true, null);
        }
        return record;
    }

    public ImageRecord push(Request request, ImageRecord record) throws PublishException {
        String registry = request.registry();
        RegistryLogin.check(publisher, registry, request.credentials(), request.pushTimeout(), progress);
        progress.info("Pushing " + record.repository() + ":" + record.version() + " then " + record.repository() + ":latest to " + registry);
        ImageRecord pushed;
        try {
            pushed = publisher.publish(record, request.recordFile(), registry, request.credentials(), request.overwrite());
        } catch (ReleaseRefusedException e) {
            throw new PublishException(e.getMessage(), true, e);
        } catch (RetryFailedException e) {
            throw withProgress(RegistryLogin.failure("Push to " + registry, request.credentials(), request.pushTimeout(), e),
                    record, request.recordFile());
        } catch (DockerException e) {
            throw new PublishException(e.getMessage(), false, e);
        } catch (IOException e) {
            throw new PublishException("Push failed: " + e.getMessage(), false, e);
        }
        pushed.pushed().forEach((tag, digest) -> progress.info("Pushed " + record.repository() + ":" + tag + " (" + digest + ")"));
        return pushed;
    }

    /** A failed push's message, completed with what reached the registry and how to finish the release. */
    private static PublishException withProgress(PublishException failure, ImageRecord built, Path recordFile) {
        if (failure.userFixable()) {
            return failure;
        }
        ImageRecord now = built;
        try {
            // image.json records each tag as soon as it is pushed.
            now = ImageRecord.read(recordFile);
        } catch (IOException e) {
            // The record as it was before the push is still what was built.
        }
        return new PublishException(failure.getMessage() + "\n" + now.pushProgress() + " " + recordFile
                + " records this. Run mvn frankenphp:push again to complete the release; it pushes the same image ("
                + built.imageId() + ") without rebuilding.", false, failure.getCause());
    }
}
