package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryApiException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain-HTTP registry on a loopback port, the {@code localhost:5000} registry many teams start for tests: the engine
 * pushes to it over HTTP (it treats 127.0.0.0/8 as insecure), so the plugin's own reads and its {@code latest} move
 * must follow it there, and must not for a registry that is not loopback.
 */
class PlainHttpRegistryTest {

    @TempDir
    Path directory;

    private Process registry;
    private String registryHost;
    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startPlainRegistry() throws Exception {
        FaultSupport.requireDocker();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(directory.resolve("data"), port));
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
        registryHost = "127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://" + registryHost + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the plain-HTTP registry did not start: " + Files.readString(directory.resolve("registry.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterEach
    void stop() {
        FaultSupport.removeImages(images.toArray(String[]::new));
        if (registry != null) {
            registry.destroy();
        }
    }

    @Test
    void publishesToALoopbackPlainHttpRegistryAndMovesLatestThere() throws Exception {
        Path project = FaultSupport.project(directory.resolve("project"), "plain http", 1024);
        RegistryCredentials anyone = new RegistryCredentials("nobody", "unused", RegistryCredentials.SecretKind.PASSWORD, "test");
        try (DockerConnection docker = FaultSupport.connect()) {
            ImageRecord record = FaultSupport.build(docker, project, registryHost + "/plain/app", "1.0.0");
            images.add(record.imageId());
            images.addAll(record.tags());
            Path recordFile = directory.resolve("image.json");
            record.write(recordFile);
            List<String> log = Collections.synchronizedList(new ArrayList<>());

            ImageRecord pushed = new ImagePublisher(docker.client(), FaultSupport.retrier(2, retries), Duration.ofMinutes(2), log::add)
                    .publish(record, recordFile, registryHost, anyone);

            RegistryApi api = new RegistryApi(registryHost, anyone, FaultSupport.retrier(1, retries), Duration.ofSeconds(10),
                    RegistryApi.DOCKER_CERTS_DIRECTORY);
            String versionDigest = api.manifestDigest("plain/app", "1.0.0").orElseThrow();
            assertEquals(pushed.pushed().get("1.0.0"), versionDigest);
            assertEquals(Optional.of(versionDigest), api.manifestDigest("plain/app", "latest"), "latest moved to the pushed build: " + log);
        }
    }

    @Test
    void neverFallsBackToPlainHttpForARegistryTheEngineTreatsAsSecure() throws Exception {
        // The same plain-HTTP server, declared not insecure: the plugin must refuse rather than speak HTTP to it.
        RegistryApi api = new RegistryApi(registryHost, new RegistryCredentials("nobody", "secret-canary-4711", RegistryCredentials.SecretKind.PASSWORD, "test"),
                FaultSupport.retrier(1, retries), Duration.ofSeconds(10), RegistryApi.DOCKER_CERTS_DIRECTORY, false);

        RuntimeException failure = assertThrows(RuntimeException.class, () -> api.manifestDigest("plain/app", "1.0.0"));
        RegistryApiException cause = assertInstanceOf(RegistryApiException.class,
                failure instanceof RegistryApiException ? failure : failure.getCause());
        assertTrue(cause.getMessage().contains("does not answer HTTPS"), cause.getMessage());
        assertTrue(cause.getMessage().contains("insecure-registries"), cause.getMessage());
    }
}
