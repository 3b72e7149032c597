package fr.miweb.maven.frankenphp.docker;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API negotiation against the real engine (skipped, loudly, without one; required in CI). */
class DockerConnectionTest {

    /**
     * A call the engine answers only after a while (stopping a container that ignores SIGTERM) must not be cut by
     * the connect timeout: over TLS, the handshake's timeout used to stay on the socket ("Read timed out").
     */
    @Test
    void aSlowAnswerOverTlsIsNotCutByTheConnectTimeout() throws Exception {
        Path certs = Path.of("/var/lib/frankenphp-it/docker-tls/client");
        DockerEndpoint local = new DockerEndpointResolver(System.getenv(), Path.of(System.getProperty("user.home"))).resolve();
        assumeEngine(local);
        if (!Files.isDirectory(certs)) {
            org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("frankenphp.it.requireDocker"), "no TLS endpoint");
            org.junit.jupiter.api.Assumptions.abort("no TLS engine endpoint (src/test/infra/setup.sh)");
        }
        DockerEndpoint tls = new DockerEndpoint(java.net.URI.create("tcp://127.0.0.1:2376"), java.util.Optional.of(certs), "test");
        try (DockerConnection connection = DockerConnection.open(tls, Duration.ofSeconds(2))) {
            String id = connection.client().createContainerCmd("dunglas/frankenphp:1-php8.4-bookworm")
                    .withEntrypoint("sh", "-c", "trap '' TERM; sleep 60").exec().getId();
            try {
                connection.client().startContainerCmd(id).exec();
                long start = System.nanoTime();
                connection.client().stopContainerCmd(id).withTimeout(5).exec();
                assertTrue(System.nanoTime() - start >= 4_000_000_000L, "the engine waited for the grace period");
            } finally {
                connection.client().removeContainerCmd(id).withForce(true).exec();
            }
        }
    }

    @Test
    void negotiatesTheDaemonsApiVersionAndIgnoresDockerJavaUserSettings(@TempDir Path home) throws Exception {
        DockerEndpoint endpoint = new DockerEndpointResolver(System.getenv(), Path.of(System.getProperty("user.home"))).resolve();
        assumeEngine(endpoint);
        // A stray docker-java configuration pinning an ancient API must change nothing.
        Files.writeString(home.resolve(".docker-java.properties"), "api.version=1.12\nDOCKER_HOST=tcp://127.0.0.1:9\n");
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        System.setProperty("api.version", "1.12");
        try (DockerConnection connection = DockerConnection.open(endpoint, Duration.ofSeconds(5))) {
            String serverMax = connection.client().versionCmd().exec().getApiVersion();
            String expected = compare(serverMax, "1.47") < 0 ? serverMax : "1.47";
            assertEquals(expected, connection.apiVersion());
        } finally {
            System.setProperty("user.home", previousHome);
            System.clearProperty("api.version");
        }
    }

    @Test
    void anUnreachableDaemonNamesTheHostAndHowToPointElsewhere() {
        DockerEndpoint nowhere = new DockerEndpoint(URI.create("tcp://127.0.0.1:9"), Optional.empty(), "DOCKER_HOST");
        DockerException failure = assertThrows(DockerException.class, () -> DockerConnection.open(nowhere, Duration.ofSeconds(2)));
        assertTrue(failure.getMessage().startsWith("Cannot reach the Docker daemon at tcp://127.0.0.1:9 (DOCKER_HOST): "), failure.getMessage());
        assertTrue(failure.getMessage().contains("DOCKER_HOST"), failure.getMessage());
        assertTrue(failure.getMessage().contains("DOCKER_CONTEXT"), failure.getMessage());
    }

    @Test
    void tlsWithoutItsThreeFilesFailsBeforeConnectingAndSaysWhich(@TempDir Path certs) throws Exception {
        Files.writeString(certs.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        // Nothing listens on port 9: the check has to fail before any connection is tried.
        DockerEndpoint endpoint = new DockerEndpoint(URI.create("tcp://127.0.0.1:9"), Optional.of(certs), DockerEndpointResolver.FROM_DOCKER_HOST);
        DockerException failure = assertThrows(DockerException.class, () -> DockerConnection.open(endpoint, Duration.ofSeconds(2)));
        assertEquals("TLS is on for the Docker daemon at tcp://127.0.0.1:9 (DOCKER_HOST), but cert.pem, key.pem are missing or unreadable in "
                + certs + " (DOCKER_CERT_PATH, else $DOCKER_CONFIG or ~/.docker). Put ca.pem, cert.pem and key.pem there, point"
                + " DOCKER_CERT_PATH at the directory that has them, or unset DOCKER_TLS_VERIFY if the daemon does not use TLS.",
                failure.getMessage());
    }

    @Test
    void certificatesThatAreNotPemAreReportedAsSuchNotAsAnUnreachableDaemon(@TempDir Path certs) throws Exception {
        for (String name : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.writeString(certs.resolve(name), "not a certificate\n");
        }
        DockerEndpoint endpoint = new DockerEndpoint(URI.create("tcp://127.0.0.1:9"), Optional.of(certs), "Docker context 'farm'");
        DockerException failure = assertThrows(DockerException.class, () -> DockerConnection.open(endpoint, Duration.ofSeconds(2)));
        assertTrue(failure.getMessage().startsWith("Cannot use the TLS client certificates in " + certs
                + " for the Docker daemon at tcp://127.0.0.1:9 (Docker context 'farm'): "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("They must be PEM files: ca.pem, cert.pem and key.pem."), failure.getMessage());
    }

    private static void assumeEngine(DockerEndpoint endpoint) {
        boolean available;
        try (DockerConnection ignored = DockerConnection.open(endpoint, Duration.ofSeconds(3))) {
            available = true;
        } catch (Exception e) {
            available = false;
        }
        if (!available && Boolean.getBoolean("frankenphp.it.requireDocker")) {
            throw new AssertionError("No Docker engine at " + endpoint + " but frankenphp.it.requireDocker=true");
        }
        if (!available) {
            // Surefire shows test output on the console: the one place a missing engine is seen loudly.
            System.out.println("[WARNING] *****************************************************************");
            System.out.println("[WARNING] * No Docker engine at " + endpoint + ": the Docker tests and ITs are SKIPPED.");
            System.out.println("[WARNING] * Run: bash src/test/infra/setup.sh   (CI: -Dfrankenphp.it.requireDocker=true fails instead)");
            System.out.println("[WARNING] *****************************************************************");
        }
        Assumptions.assumeTrue(available, "SKIPPED: no Docker engine at " + endpoint + " (run src/test/infra/setup.sh)");
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
