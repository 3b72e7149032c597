package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.model.BuildResponseItem;
import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.BuildContextStats;
import fr.miweb.maven.frankenphp.context.BuildContextStream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Builds an image through the Engine API's build endpoint (the classic builder), streaming the
 * context as it is read and the build output as it is produced.
 */
public final class ImageBuilder {

    /** Lines of a failing step kept for the error message. */
    private static final int FAILED_STEP_LINES = 60;
    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final DockerClient client;

    public ImageBuilder(DockerClient client) {
        this.client = client;
    }

    /**
     * @param dockerfile context-relative path of the Dockerfile
     * @param tags       full references to tag the result with
     * @param timeout    the whole build's deadline
     */
    public record BuildRequest(BuildContext context, String dockerfile, Set<String> tags, Map<String, String> labels,
                               Map<String, String> buildArgs, boolean pull, boolean noCache, Duration timeout) {
    }

    public record BuildResult(String imageId, BuildContextStats context) {
    }

    /** A Dockerfile step failed. The message has the step and its output. */
    public static class BuildFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        BuildFailedException(String message) {
            super(message);
        }
    }

    /**
     * @param output receives each line of build output as the daemon sends it
     */
    public BuildResult build(BuildRequest request, Consumer<String> output) throws DockerException, BuildFailedException {
        BuildContextStream context = request.context().openStream();
        BuildCallback callback = new BuildCallback(output);
        try {
            BuildImageCmd command = client.buildImageCmd(context)
                    .withDockerfilePath(request.dockerfile())
                    .withTags(request.tags())
                    .withLabels(request.labels())
                    .withPull(request.pull())
                    .withNoCache(request.noCache())
                    .withRemove(true)
                    .withForcerm(true);
            request.buildArgs().forEach(command::withBuildArg);
            command.exec(callback);
            boolean completed;
            try {
                completed = callback.awaitCompletion(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // docker-java rethrows the stream's first error here (a context that could not be sent, a dropped
                // connection); the callback keeps it, and result() below reports it with the context's own failure.
                completed = true;
            }
            if (!completed) {
                throw new DockerException("The image build took longer than " + request.timeout().toMinutes()
                        + " min and was stopped. Raise <buildTimeout> (frankenphp.build.timeout) if the build is legitimately slow.");
            }
            // The daemon has read the whole body once it answered; closing also frees a producer
            // left blocked by a connection that broke mid-upload.
            context.close();
            IOException contextFailure = null;
            BuildContextStats stats = null;
            try {
                stats = context.awaitStats();
            } catch (IOException e) {
                contextFailure = e;
            }
            String imageId;
            try {
                imageId = callback.result();
            } catch (DockerException | BuildFailedException e) {
                if (contextFailure != null) {
                    String daemon = DockerErrors.summary(e);
                    throw new DockerException("Could not send the build context: " + contextFailure.getMessage()
                            + (contextFailure.getMessage().contains(daemon) ? "" : " (the daemon reported: " + daemon + ")"), contextFailure);
                }
                throw e;
            }
            if (contextFailure != null) {
                throw new DockerException("Could not send the build context: " + contextFailure.getMessage(), contextFailure);
            }
            // The stream gives a short id; the record keeps the full one.
            return new BuildResult(client.inspectImageCmd(imageId).exec().getId(), stats);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("Interrupted while building the image", e);
        } finally {
            context.close();
            try {
                callback.close();
            } catch (IOException ignored) {
                // Closing aborts a build still running after a timeout; nothing else to release.
            }
        }
    }

    private static final class BuildCallback extends ResultCallback.Adapter<BuildResponseItem> {
        private final Consumer<String> output;
        private final Deque<String> stepLines = new ArrayDeque<>();
        private final AtomicReference<String> error = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicReference<String> imageId = new AtomicReference<>();
        private volatile String currentStep = "";
        private final StringBuilder partialLine = new StringBuilder();

        BuildCallback(Consumer<String> output) {
            this.output = output;
        }

        @Override
        public synchronized void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                partialLine.append(item.getStream());
                int newline;
                while ((newline = partialLine.indexOf("\n")) >= 0) {
                    line(partialLine.substring(0, newline));
                    partialLine.delete(0, newline + 1);
                }
            }
            // docker-java's aux model drops the "ID" field; the id comes from "Successfully built <id>".
            if (item.isBuildSuccessIndicated()) {
                imageId.set(item.getImageId());
            }
            if (item.isErrorIndicated()) {
                String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                error.compareAndSet(null, message);
            }
        }

        private void line(String raw) {
            String line = ANSI.matcher(raw).replaceAll("").stripTrailing();
            if (line.isEmpty()) {
                return;
            }
            if (STEP.matcher(line).matches()) {
                currentStep = line;
                stepLines.clear();
            } else if (!line.startsWith(" ---> ") && !line.startsWith("Removing intermediate container")) {
                // Builder bookkeeping lines are shown live but left out of the failure excerpt.
                stepLines.addLast(line);
                if (stepLines.size() > FAILED_STEP_LINES) {
                    stepLines.removeFirst();
                }
            }
            output.accept(line);
        }

        @Override
        public void onError(Throwable throwable) {
            failure.compareAndSet(null, throwable);
            super.onError(throwable);
        }

        synchronized String result() throws DockerException, BuildFailedException {
            if (partialLine.length() > 0) {
                line(partialLine.toString());
                partialLine.setLength(0);
            }
            if (error.get() != null) {
                StringBuilder message = new StringBuilder("The image build failed");
                if (!currentStep.isEmpty()) {
                    message.append(" at ").append(currentStep);
                }
                message.append(":\n");
                stepLines.forEach(l -> message.append("  | ").append(l).append('\n'));
                message.append(error.get().strip());
                throw new BuildFailedException(message.toString());
            }
            if (failure.get() != null) {
                throw new DockerException("The Docker daemon stopped the build: " + DockerErrors.summary(failure.get()), failure.get());
            }
            if (imageId.get() == null) {
                throw new DockerException("The build ended without an image id from the daemon");
            }
            return imageId.get();
        }
    }
}
