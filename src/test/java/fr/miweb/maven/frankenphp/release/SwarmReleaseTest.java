package fr.miweb.maven.frankenphp.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.AuthConfig;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Swarm release's own parts: the log stream framing and the registry auth header as the engine reads them,
 * and, on the real engine outside any Swarm, the refusal before anything changes. (The releases themselves,
 * on a Swarm, are proved by src/test/e2e/swarm-scenarios.sh: a Swarm may only exist under the shared lock.)
 */
class SwarmReleaseTest {

    @Test
    void logFramesAreJoinedWhateverTheirStream() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        frame(stream, 1, "Migrating: 2026_12_02_create\n");
        frame(stream, 2, "SQLSTATE[42000]: syntax error\nexit 1\n");
        assertEquals("Migrating: 2026_12_02_create\nSQLSTATE[42000]: syntax error\nexit 1\n", EngineApi.demultiplex(stream.toByteArray()));
        // A TTY service has no frames: the text as it is.
        assertEquals("plain text\n", EngineApi.demultiplex("plain text\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theRegistryAuthHeaderIsBase64UrlJsonAsTheCliSendsIt() throws Exception {
        Map<String, String> header = EngineApi.registryAuth(new AuthConfig().withUsername("ci").withPassword("p+/?é")
                .withRegistryAddress("registry.example.com:5443"));
        String value = header.get("X-Registry-Auth");
        assertTrue(value.matches("[A-Za-z0-9_=-]+"), "base64url, no + or /: " + value);
        JsonNode json = EngineApi.json().readTree(Base64.getUrlDecoder().decode(value));
        assertEquals("ci", json.path("username").asText());
        assertEquals("p+/?é", json.path("password").asText());
        assertEquals("registry.example.com:5443", json.path("serveraddress").asText());
    }

    /** Point the release at an engine that is in no Swarm: it stops at once, names the engine, and changes nothing. */
    @Test
    void anEngineOutsideASwarmIsRefusedBeforeAnyChange() throws Exception {
        EngineTests.requireEngine();
        try (DockerConnection docker = DockerConnection.open(new DockerEndpoint(DockerEndpointResolver.DEFAULT_SOCKET, Optional.empty(), "test"),
                Duration.ofSeconds(10))) {
            String state = new EngineApi(docker).get("/info").path("Swarm").path("LocalNodeState").asText();
            Assumptions.assumeTrue(state.equals("inactive"), "the engine is in a Swarm now (" + state + ")");
            ReleaseSettings settings = new ReleaseSettings(ReleaseTarget.SWARM, Optional.of(URI.create("unix:///var/run/docker.sock")),
                    Optional.empty(), "nostack", Optional.empty(), Duration.ofSeconds(30), Duration.ofSeconds(5), true,
                    Duration.ofSeconds(30), Optional.empty(), "watchtower", 2, "frankenphp.database=true");
            List<String> lines = new ArrayList<>();
            SwarmRelease release = new SwarmRelease(docker, "unix:///var/run/docker.sock (test)", settings, new ComposeRelease.Log() {
                @Override
                public void info(String line) {
                    lines.add(line);
                }

                @Override
                public void warn(String line) {
                    lines.add(line);
                }
            }, null);
            ReleaseException refused = assertThrows(ReleaseException.class, () -> release.release(new ComposeRelease.Request(
                    "registry.example.com/app", "1.0.0", Optional.of("sha256:" + "0".repeat(64)), new AuthConfig(), "test")));
            assertTrue(refused.userFixable());
            assertTrue(refused.getMessage().contains("is not part of a Swarm"), refused::getMessage);
            assertTrue(refused.getMessage().contains("unix:///var/run/docker.sock (test)"), refused::getMessage);
            assertTrue(refused.getMessage().contains("Nothing was changed"), refused::getMessage);
            assertEquals(List.of(), lines);
        }
    }

    private static void frame(ByteArrayOutputStream stream, int type, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        stream.writeBytes(ByteBuffer.allocate(8).put((byte) type).put((byte) 0).put((byte) 0).put((byte) 0).putInt(payload.length).array());
        stream.writeBytes(payload);
    }
}
