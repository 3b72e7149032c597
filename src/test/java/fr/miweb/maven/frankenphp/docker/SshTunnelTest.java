package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.model.Version;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SshTunnelTest {


    @Test
    void parsesTheDockerCliForms() throws Exception {
        assertEquals(new SshTunnel.SshTarget(Optional.of("deploy"), "server.example.com", Optional.of(2222)),
                SshTunnel.SshTarget.parse(URI.create("ssh://deploy@server.example.com:2222")));
        assertEquals(new SshTunnel.SshTarget(Optional.empty(), "prod", Optional.empty()),
                SshTunnel.SshTarget.parse(URI.create("ssh://prod")));
    }

    @Test
    void refusesAPasswordAPathAndOptionLookalikes() {
        DockerException password = assertThrows(DockerException.class,
                () -> SshTunnel.SshTarget.parse(URI.create("ssh://deploy:s3cret-canary@server")));
        assertTrue(password.getMessage().contains("password"), password.getMessage());
        assertTrue(!password.getMessage().contains("s3cret-canary"), "the password is not repeated: " + password.getMessage());
        assertThrows(DockerException.class, () -> SshTunnel.SshTarget.parse(URI.create("ssh://server/var/run/docker.sock")));
        assertThrows(DockerException.class, () -> SshTunnel.SshTarget.parse(URI.create("ssh://-oProxyCommand=x@server")));
        assertThrows(DockerException.class, () -> SshTunnel.SshTarget.parse(URI.create("tcp://server:2376")));

        // From DOCKER_HOST: refused before ssh runs, naming where the address came from, without the password.
        DockerException fromDockerHost = assertThrows(DockerException.class, () -> DockerConnection.open(
                new DockerEndpoint(URI.create("ssh://deploy:s3cret-canary@server"), Optional.empty(), "DOCKER_HOST"), Duration.ofSeconds(2)));
        assertTrue(fromDockerHost.getMessage().startsWith("DOCKER_HOST: 'ssh://deploy:…@server' contains a password."), fromDockerHost.getMessage());
        assertTrue(!fromDockerHost.getMessage().contains("s3cret-canary"), fromDockerHost.getMessage());
    }

    @Test
    void theCommandForbidsPromptsAndUnknownHostKeysAndEndsOptionsBeforeTheHost() throws Exception {
        List<String> command = SshTunnel.SshTarget.parse(URI.create("ssh://deploy@server:2222"))
                .command(Duration.ofSeconds(7), List.of("docker", "system", "dial-stdio"));
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=7",
                "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3", "-T",
                "-l", "deploy", "-p", "2222", "--", "server", "docker", "system", "dial-stdio"), command);
    }

    @Test
    void explainsSshsOwnFailures() throws Exception {
        SshTunnel.SshTarget target = SshTunnel.SshTarget.parse(URI.create("ssh://deploy@server:2222"));
        assertTrue(SshTunnel.describeFailure(target, 255, "Host key verification failed.", "DOCKER_HOST").contains("ssh-keyscan -p 2222 server"));
        assertTrue(SshTunnel.describeFailure(target, 255, "deploy@server: Permission denied (publickey).", "DOCKER_HOST").contains("refused the key"));
        assertTrue(SshTunnel.describeFailure(target, 255, "ssh: connect to host server port 2222: Connection refused", "DOCKER_HOST").contains("unreachable"));
        assertTrue(SshTunnel.describeFailure(target, 1, "permission denied while trying to connect to the docker API at unix:///var/run/docker.sock", "DOCKER_HOST")
                .contains("docker group"));
    }

    /** Against the real sshd and engine of setup.sh: the Engine API answers through the tunnel, and the failures are ssh's. */
    @Test
    void reachesTheEngineThroughARealSshServer() throws Exception {
        SshTestServer.require();
        Path socketDirectory;
        try (SshTunnel tunnel = SshTunnel.open(URI.create("ssh://frankenphp-server"), Duration.ofSeconds(10), "test");
             DockerConnection connection = DockerConnection.open(new DockerEndpoint(tunnel.localEndpoint(), Optional.empty(), "test"),
                     Duration.ofSeconds(10))) {
            Version version = connection.client().versionCmd().exec();
            assertTrue(version.getApiVersion() != null && !version.getApiVersion().isBlank());
            // Several connections at once, over one shared SSH session.
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < 6; i++) {
                Thread thread = new Thread(() -> {
                    connection.client().listContainersCmd().exec();
                    answered.incrementAndGet();
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join(30_000);
            }
            assertEquals(6, answered.get(), "six concurrent requests answered");
            socketDirectory = Path.of(tunnel.localEndpoint().getPath()).getParent();
        }
        assertTrue(!Files.exists(socketDirectory), "the tunnel's private directory is removed on close");
        long start = System.nanoTime();
        DockerException unknown = assertThrows(DockerException.class,
                () -> SshTunnel.open(URI.create("ssh://frankenphp-server-unknown-hostkey"), Duration.ofSeconds(5), "test"));
        assertTrue(unknown.getMessage().contains("host key"), unknown.getMessage());
        DockerException refused = assertThrows(DockerException.class,
                () -> SshTunnel.open(URI.create("ssh://frankenphp-server-wrong-key"), Duration.ofSeconds(5), "test"));
        assertTrue(refused.getMessage().contains("refused the key"), refused.getMessage());
        DockerException unreachable = assertThrows(DockerException.class,
                () -> SshTunnel.open(URI.create("ssh://frankenphp-server-unreachable"), Duration.ofSeconds(5), "test"));
        assertTrue(unreachable.getMessage().contains("unreachable"), unreachable.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20, "three failures within seconds");
    }

    /**
     * DOCKER_HOST=ssh://… (or a context's ssh endpoint), as the build and push goals resolve it: {@link DockerConnection#open}
     * opens the tunnel itself, names the ssh:// address, and closes the tunnel (its shared SSH session and its private
     * directory) with the connection.
     */
    @Test
    void aConnectionToAnSshEndpointOpensAndClosesItsOwnTunnel() throws Exception {
        SshTestServer.require();
        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of("DOCKER_HOST", "ssh://frankenphp-server"), Path.of("/nonexistent")).resolve();
        Path directory;
        try (DockerConnection connection = DockerConnection.open(endpoint, Duration.ofSeconds(10))) {
            assertEquals("ssh://frankenphp-server (DOCKER_HOST)", connection.endpoint().toString());
            assertTrue(connection.client().listImagesCmd().exec().stream().anyMatch(i -> i.getRepoTags() != null),
                    "the engine's images, listed through ssh");
            directory = connection.tunnel().orElseThrow().directory();
            assertEquals(0, sshCheck(directory), "the shared SSH session runs while the connection is open");
        }
        assertTrue(!Files.exists(directory), "the tunnel's private directory is removed when the connection closes");
        assertTrue(sshCheck(directory) != 0, "and its shared SSH session has ended");

        DockerEndpoint unreachable = new DockerEndpoint(URI.create("ssh://frankenphp-server-unreachable"), Optional.empty(), "DOCKER_HOST");
        DockerException failure = assertThrows(DockerException.class, () -> DockerConnection.open(unreachable, Duration.ofSeconds(5)));
        assertTrue(failure.getMessage().contains("the host is unreachable"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("Check DOCKER_HOST: the host name and the SSH port."), failure.getMessage());
    }

    /** {@code ssh -O check} on the tunnel's control socket: 0 while its master session runs. */
    private static int sshCheck(Path directory) throws Exception {
        Process check = new ProcessBuilder("ssh", "-O", "check", "-o", "ControlPath=" + directory.resolve("master"), "frankenphp-server")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(check.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "ssh -O check answered");
        return check.exitValue();
    }
}
