package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * One release at a time per project, enforced on the server, not on a developer's machine: a lock
 * container named {@code <project>-release-lock}. Docker refuses a second container of that name,
 * so taking the lock is atomic.
 *
 * <p>The lock lives exactly as long as the release's connection: the container runs {@code cat}
 * on a standard input attached by this process. When the release ends, or Maven is killed, or the
 * network drops, the input closes, {@code cat} exits and Docker removes the container. A stopped
 * lock container is therefore always stale and is cleared.
 */
final class ReleaseLock implements AutoCloseable {

    static final String LABEL = "fr.miweb.frankenphp.release-lock";

    private final ServerContainers containers;
    private final String containerId;
    private final PipedOutputStream keepAlive;
    private final ResultCallback.Adapter<Frame> attachment;

    private ReleaseLock(ServerContainers containers, String containerId, PipedOutputStream keepAlive, ResultCallback.Adapter<Frame> attachment) {
        this.containers = containers;
        this.containerId = containerId;
        this.keepAlive = keepAlive;
        this.attachment = attachment;
    }

    /**
     * @param image an image the server has, which has {@code cat} (the serving app's, or the release's)
     * @param holder who releases what, shown to a second release that finds the lock taken
     */
    static ReleaseLock acquire(ServerContainers containers, String project, String image, String holder) throws ReleaseException {
        DockerClient docker = containers.client();
        String name = project + "-release-lock";
        Optional<InspectContainerResponse> existing = containers.inspect(name);
        if (existing.isPresent()) {
            if (ServerContainers.isRunning(existing.get())) {
                throw taken(name, existing.get());
            }
            try {
                // Without force: Docker refuses to remove a lock another release has just started.
                docker.removeContainerCmd(existing.get().getId()).exec();
            } catch (ConflictException e) {
                throw containers.inspect(name).map(c -> taken(name, c)).orElseGet(() -> takenJustNow(project, name));
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                // Gone meanwhile.
            }
        }
        String id;
        try {
            id = docker.createContainerCmd(image).withName(name)
                    .withEntrypoint("cat").withCmd(new String[0])
                    .withStdinOpen(true).withStdInOnce(true).withAttachStdin(true)
                    // The app image's HTTP health check means nothing for cat.
                    .withHealthcheck(new com.github.dockerjava.api.model.HealthCheck().withTest(java.util.List.of("NONE")))
                    .withLabels(Map.of(LABEL, project, "fr.miweb.frankenphp.release-holder", holder))
                    .withHostConfig(HostConfig.newHostConfig().withAutoRemove(true).withNetworkMode("none"))
                    .exec().getId();
        } catch (ConflictException e) {
            throw containers.inspect(name).map(c -> taken(name, c)).orElseGet(() -> takenJustNow(project, name));
        }
        try {
            PipedOutputStream keepAlive = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(keepAlive);
            ResultCallback.Adapter<Frame> attachment = docker.attachContainerCmd(id).withStdIn(stdin)
                    .withFollowStream(true).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<>());
            // Attached before start, so cat never sees its input closed before this process holds it.
            attachment.awaitStarted();
            docker.startContainerCmd(id).exec();
            return new ReleaseLock(containers, id, keepAlive, attachment);
        } catch (IOException | RuntimeException e) {
            containers.remove(id);
            throw new ReleaseException("Could not take the release lock " + name + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            containers.remove(id);
            Thread.currentThread().interrupt();
            throw new ReleaseException("Interrupted while taking the release lock " + name, false, e);
        }
    }

    private static ReleaseException takenJustNow(String project, String name) {
        return new ComposeRelease.LockTakenException("Another release of project " + project + " took the lock " + name
                + " just now. Try again once it has finished.");
    }

    private static ReleaseException taken(String name, InspectContainerResponse lock) {
        String holder = lock.getConfig().getLabels() == null ? "?" : lock.getConfig().getLabels().getOrDefault("fr.miweb.frankenphp.release-holder", "?");
        return new ComposeRelease.LockTakenException("Another release is running on this server: the lock container " + name + " is held by "
                + holder + " since " + lock.getState().getStartedAt() + ". Wait for it to finish, then run the release again. "
                + "(The lock goes away by itself when that release's Maven process ends.)");
    }

    @Override
    public void close() {
        try {
            keepAlive.close();
            attachment.close();
        } catch (IOException e) {
            // Removed below anyway.
        }
        containers.remove(containerId);
    }
}
