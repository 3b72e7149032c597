package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import fr.miweb.maven.frankenphp.docker.SshTestServer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The release lock on a real engine, locally and through the ssh tunnel. */
class ReleaseLockTest {

    private static final String IMAGE = "dunglas/frankenphp:1-php8.4-bookworm"; // setup.sh's stand-in: has cat

    @Test
    void oneHolderAtATimeAndTheLockGoesWithItsConnection() throws Exception {
        EngineTests.requireEngine();
        try (DockerConnection docker = DockerConnection.open(new DockerEndpoint(DockerEndpointResolver.DEFAULT_SOCKET, Optional.empty(), "test"),
                Duration.ofSeconds(10))) {
            exercise(new ServerContainers(docker.client()), "lock-local-" + ProcessHandle.current().pid());
        }
    }

    @Test
    void worksThroughTheSshTunnel() throws Exception {
        EngineTests.requireEngine();
        SshTestServer.require();
        try (DockerConnection docker = DockerConnection.open(new DockerEndpoint(URI.create("ssh://frankenphp-server"), Optional.empty(), "test"),
                Duration.ofSeconds(10))) {
            exercise(new ServerContainers(docker.client()), "lock-ssh-" + ProcessHandle.current().pid());
        }
    }

    private static void exercise(ServerContainers containers, String project) throws Exception {
        String name = project + "-release-lock";
        try (ReleaseLock lock = ReleaseLock.acquire(containers, project, IMAGE, "test holder")) {
            assertTrue(ServerContainers.isRunning(containers.inspect(name).orElseThrow()), "the lock container runs while held");
            ReleaseException second = assertThrows(ReleaseException.class, () -> ReleaseLock.acquire(containers, project, IMAGE, "second"));
            assertTrue(second.getMessage().contains("test holder"), second.getMessage());
        }
        // Auto-removed once its input closed.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (containers.inspect(name).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(containers.inspect(name).isPresent(), "the lock is gone once released");
        ReleaseLock.acquire(containers, project, IMAGE, "again").close();
    }

}
