package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.PullResponseItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container operations a release needs on the server's engine, in the words of the release:
 * the containers of a compose service, logs as lines, a command's output and exit code.
 */
final class ServerContainers {

    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String ONE_OFF_LABEL = "com.docker.compose.oneoff";

    private final DockerClient docker;

    ServerContainers(DockerClient docker) {
        this.docker = docker;
    }

    DockerClient client() {
        return docker;
    }

    /** The containers of one service of the project, oldest first; one-off containers ({@code compose run}) excluded. */
    List<InspectContainerResponse> service(String project, String service, boolean runningOnly) {
        List<Container> listed = docker.listContainersCmd().withShowAll(!runningOnly)
                .withLabelFilter(Map.of(PROJECT_LABEL, project, SERVICE_LABEL, service)).exec();
        List<InspectContainerResponse> containers = new ArrayList<>();
        for (Container container : listed) {
            if ("True".equalsIgnoreCase(container.getLabels().getOrDefault(ONE_OFF_LABEL, "False"))) {
                continue;
            }
            inspect(container.getId()).ifPresent(containers::add);
        }
        containers.sort(Comparator.comparing(InspectContainerResponse::getCreated));
        return containers;
    }

    /** Every container, running or not, with these labels. */
    List<InspectContainerResponse> labelled(Map<String, String> labels) {
        List<InspectContainerResponse> found = new ArrayList<>();
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
            inspect(container.getId()).ifPresent(found::add);
        }
        return found;
    }

    Optional<InspectContainerResponse> inspect(String idOrName) {
        try {
            return Optional.of(docker.inspectContainerCmd(idOrName).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    static String name(InspectContainerResponse container) {
        return container.getName().startsWith("/") ? container.getName().substring(1) : container.getName();
    }

    static boolean isRunning(InspectContainerResponse container) {
        return Boolean.TRUE.equals(container.getState().getRunning());
    }

    /** {@code healthy}, {@code unhealthy}, {@code starting}, or {@code none} without a health check. */
    static String health(InspectContainerResponse container) {
        var health = container.getState().getHealth();
        return health == null || health.getStatus() == null ? "none" : health.getStatus();
    }

    /** The last lines the container wrote, stdout and stderr interleaved. */
    List<String> lastLogLines(String id, int count) {
        List<String> lines = new ArrayList<>();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(count)
                    .exec(new LineCollector(lines)).awaitCompletion(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lines.add("(the container's log could not be read: " + e.getMessage() + ")");
        }
        return lines;
    }

    /** The id of the image a reference ({@code repo:tag}, {@code repo@digest}) names on this engine, if it has it. */
    Optional<String> imageId(String reference) {
        try {
            return Optional.of(docker.inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Starts pulling {@code repository:tagOrDigest} on the engine, with these registry credentials. */
    Pull pull(String repository, String tagOrDigest, AuthConfig auth) {
        return docker.pullImageCmd(repository).withTag(tagOrDigest).withAuthConfig(auth).exec(new Pull());
    }

    /** A pull running on the engine. Closing it ends the progress stream, and with it a pull not finished yet. */
    static final class Pull extends ResultCallback.Adapter<PullResponseItem> {
        private volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
        }

        /**
         * Waits for the pull to end. Empty when it succeeded; otherwise why it failed, with what the engine's
         * error likely means ({@code userFixable} when it is a missing version or refused credentials).
         */
        Optional<ReleaseException> await(Duration timeout) throws InterruptedException {
            String failure;
            try {
                failure = awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS) ? error
                        : "it did not finish within " + timeout.toMinutes() + " minutes";
            } catch (NotFoundException e) {
                failure = e.getMessage();
            }
            if (failure == null) {
                return Optional.empty();
            }
            boolean missing = failure.contains("manifest unknown") || failure.contains("not found");
            boolean refused = failure.contains("unauthorized") || failure.contains("denied");
            return Optional.of(new ReleaseException(failure
                    + (missing ? ". Is the version pushed? (mvn frankenphp:push, or check -Dfrankenphp.rollback.version)" : "")
                    + (refused ? ". The registry refused the credentials the release sent with the pull" : "") + ".", missing || refused));
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (java.io.IOException e) {
                // Only the progress stream: nothing to undo.
            }
        }
    }

    /** Waits for the container to exit; empty when it still runs at the deadline. */
    Optional<Integer> waitForExit(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Polled: docker-java's wait reports a timeout, an interrupt and a dropped stream alike.
        while (true) {
            Optional<InspectContainerResponse> container = inspect(id);
            if (container.isEmpty()) {
                return Optional.of(-1);
            }
            if (!isRunning(container.get()) && container.get().getState().getFinishedAt() != null
                    && !container.get().getState().getFinishedAt().startsWith("0001")) {
                Long code = container.get().getState().getExitCodeLong();
                return Optional.of(code == null ? -1 : code.intValue());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(500);
        }
    }

    /** Runs a command in a running container; its output, and its exit code when it finished in time. */
    ExecResult exec(String containerId, List<String> command, Duration timeout) throws InterruptedException {
        String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        List<String> lines = new ArrayList<>();
        boolean finished = docker.execStartCmd(execId).exec(new LineCollector(lines)).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        InspectExecResponse inspected = docker.inspectExecCmd(execId).exec();
        Integer exitCode = finished && !Boolean.TRUE.equals(inspected.isRunning()) ? inspected.getExitCodeLong() == null ? null
                : inspected.getExitCodeLong().intValue() : null;
        return new ExecResult(Optional.ofNullable(exitCode), String.join("\n", lines));
    }

    void stop(String id, Duration grace) {
        try {
            docker.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
        } catch (NotFoundException | com.github.dockerjava.api.exception.NotModifiedException e) {
            // Already gone or already stopped.
        }
    }

    void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            // Docker is removing it already (auto-remove).
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw e;
            }
        }
    }

    void rename(String id, String newName) {
        docker.renameContainerCmd(id).withName(newName).exec();
    }

    record ExecResult(Optional<Integer> exitCode, String output) {
    }

    /** Log frames as text lines; a partial last line is kept. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {
        private final List<String> lines;
        private final StringBuilder pending = new StringBuilder();

        LineCollector(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public void onNext(Frame frame) {
            pending.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            int newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                lines.add(pending.substring(0, newline).stripTrailing());
                pending.delete(0, newline + 1);
            }
        }

        @Override
        public void onComplete() {
            if (!pending.isEmpty()) {
                lines.add(pending.toString().stripTrailing());
                pending.setLength(0);
            }
            super.onComplete();
        }
    }
}
