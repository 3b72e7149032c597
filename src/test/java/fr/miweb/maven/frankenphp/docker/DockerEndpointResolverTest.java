package fr.miweb.maven.frankenphp.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon is found the way the Docker CLI finds it. */
class DockerEndpointResolverTest {

    @Test
    void withNothingConfiguredItIsTheDefaultSocket(@TempDir Path home) throws Exception {
        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of(), home).resolve();
        assertEquals(URI.create("unix:///var/run/docker.sock"), endpoint.host());
        assertEquals("default socket", endpoint.source());
    }

    @Test
    void dockerHostWinsOverTheCurrentContext(@TempDir Path home) throws Exception {
        writeContext(home.resolve(".docker"), "remote", "tcp://remote.example.test:2376");
        Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\":\"remote\"}");
        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), home).resolve();
        assertEquals(URI.create("tcp://127.0.0.1:2375"), endpoint.host());
        assertEquals("DOCKER_HOST", endpoint.source());
        assertEquals(Optional.empty(), endpoint.tlsCertDirectory());
    }

    @Test
    void tlsVerifyUsesDockerCertPathOrTheConfigDirectory(@TempDir Path home) throws Exception {
        DockerEndpoint explicit = new DockerEndpointResolver(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/etc/ci/docker-certs"), home).resolve();
        assertEquals(Optional.of(Path.of("/etc/ci/docker-certs")), explicit.tlsCertDirectory());

        DockerEndpoint implicit = new DockerEndpointResolver(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1"), home).resolve();
        assertEquals(Optional.of(home.resolve(".docker")), implicit.tlsCertDirectory());

        DockerEndpoint off = new DockerEndpointResolver(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "0"), home).resolve();
        assertEquals(Optional.empty(), off.tlsCertDirectory());
    }

    @Test
    void aRelativeDockerCertPathIsTakenFromTheWorkingDirectory(@TempDir Path home) throws Exception {
        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "ci/certs"), home).resolve();
        assertEquals(Optional.of(Path.of("").toAbsolutePath().resolve("ci/certs")), endpoint.tlsCertDirectory());
    }

    @Test
    void theCurrentContextOfConfigJsonIsUsedWithItsTlsMaterial(@TempDir Path home) throws Exception {
        Path config = home.resolve(".docker");
        String id = writeContext(config, "build-farm", "tcp://farm.example.test:2376");
        Path tls = config.resolve("contexts/tls").resolve(id).resolve("docker");
        Files.createDirectories(tls);
        Files.writeString(tls.resolve("ca.pem"), "test");
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"build-farm\"}");

        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of(), home).resolve();
        assertEquals(URI.create("tcp://farm.example.test:2376"), endpoint.host());
        assertEquals("Docker context 'build-farm'", endpoint.source());
        assertEquals(Optional.of(tls), endpoint.tlsCertDirectory());
    }

    /** What -X shows: each step of the decision, names and paths only (never the TLS material itself). */
    @Test
    void theTraceSaysHowTheEndpointWasFound(@TempDir Path home) throws Exception {
        Path config = home.resolve(".docker");
        String id = writeContext(config, "build-farm", "tcp://farm.example.test:2376");
        Path tls = config.resolve("contexts/tls").resolve(id).resolve("docker");
        Files.createDirectories(tls);
        Files.writeString(tls.resolve("ca.pem"), "CANARY-CA-CONTENT");
        Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"build-farm\"}");

        DockerEndpointResolver resolver = new DockerEndpointResolver(Map.of(), home);
        resolver.resolve();
        assertEquals(java.util.List.of(
                "DOCKER_HOST is not set",
                "DOCKER_CONTEXT is not set; reading currentContext from " + config.resolve("config.json"),
                config.resolve("config.json") + " selects context 'build-farm'",
                "context 'build-farm' read from " + config.resolve("contexts/meta").resolve(id).resolve("meta.json")
                        + "; TLS material in " + tls), resolver.trace());

        DockerEndpointResolver fromHost = new DockerEndpointResolver(
                Map.of("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"), home);
        fromHost.resolve();
        assertEquals(java.util.List.of("DOCKER_HOST is set: it wins over DOCKER_CONTEXT and the CLI's current context",
                "DOCKER_TLS_VERIFY is set: TLS with the certificates in DOCKER_CERT_PATH"), fromHost.trace());

        DockerEndpointResolver nothing = new DockerEndpointResolver(Map.of(), home.resolve("elsewhere"));
        nothing.resolve();
        assertEquals("no current context: using the default socket unix:///var/run/docker.sock",
                nothing.trace().get(nothing.trace().size() - 1));
        org.junit.jupiter.api.Assertions.assertFalse(String.join("\n", resolver.trace()).contains("CANARY"));
    }

    @Test
    void dockerContextAndDockerConfigEnvironmentVariablesAreHonoured(@TempDir Path home, @TempDir Path otherConfig) throws Exception {
        writeContext(otherConfig, "ci", "unix:///run/ci-docker.sock");
        DockerEndpoint endpoint = new DockerEndpointResolver(
                Map.of("DOCKER_CONFIG", otherConfig.toString(), "DOCKER_CONTEXT", "ci"), home).resolve();
        assertEquals(URI.create("unix:///run/ci-docker.sock"), endpoint.host());
    }

    @Test
    void theDefaultContextMeansTheDefaultSocket(@TempDir Path home) throws Exception {
        DockerEndpoint endpoint = new DockerEndpointResolver(Map.of("DOCKER_CONTEXT", "default"), home).resolve();
        assertEquals(URI.create("unix:///var/run/docker.sock"), endpoint.host());
    }

    @Test
    void anUnknownContextIsAClearError(@TempDir Path home) {
        DockerException failure = assertThrows(DockerException.class,
                () -> new DockerEndpointResolver(Map.of("DOCKER_CONTEXT", "nope"), home).resolve());
        assertTrue(failure.getMessage().contains("Docker context 'nope' is selected"), failure.getMessage());
        assertTrue(failure.getMessage().contains("DOCKER_HOST"), failure.getMessage());
    }

    @Test
    void sshHostsFromDockerHostOrAContextAreReachedOverSshWithoutTls(@TempDir Path home) throws Exception {
        // DOCKER_TLS_VERIFY means nothing to ssh://, as to the Docker CLI.
        DockerEndpoint fromEnvironment = new DockerEndpointResolver(Map.of("DOCKER_HOST", "ssh://deploy@server:2222",
                "DOCKER_TLS_VERIFY", "1"), home).resolve();
        assertEquals(URI.create("ssh://deploy@server:2222"), fromEnvironment.host());
        assertEquals(Optional.empty(), fromEnvironment.tlsCertDirectory());

        writeContext(home.resolve(".docker"), "build-box", "ssh://builder@build-box.example.test");
        DockerEndpoint fromContext = new DockerEndpointResolver(Map.of("DOCKER_CONTEXT", "build-box"), home).resolve();
        assertEquals(URI.create("ssh://builder@build-box.example.test"), fromContext.host());
        assertEquals("Docker context 'build-box'", fromContext.source());
    }

    @Test
    void anUnknownSchemeIsRefusedNamingTheOnesThatWork(@TempDir Path home) {
        DockerException failure = assertThrows(DockerException.class,
                () -> new DockerEndpointResolver(Map.of("DOCKER_HOST", "http://server:2375"), home).resolve());
        assertTrue(failure.getMessage().endsWith("must start with unix://, tcp://, ssh:// or npipe://."), failure.getMessage());
    }

    /** Writes a context as the Docker CLI stores it: under the SHA-256 of its name. */
    private static String writeContext(Path configDirectory, String name, String host) throws Exception {
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        Path meta = configDirectory.resolve("contexts/meta").resolve(id);
        Files.createDirectories(meta);
        Files.writeString(meta.resolve("meta.json"),
                "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
        return id;
    }
}
