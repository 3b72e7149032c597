package fr.miweb.maven.frankenphp.release;

import com.sun.net.httpserver.HttpServer;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import fr.miweb.maven.frankenphp.registry.PlainHttpRegistryApis;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static fr.miweb.maven.frankenphp.config.Records.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Watchtower release against {@link WatchtowerStandIn}: a real HTTP API and app on loopback. */
class WatchtowerReleaseTest {

    private static final String TOKEN = "Canary7WatchtowerToken";
    private static final String SOURCE = "settings.xml <server> 'watchtower'";
    private static final String REPOSITORY = "docker-registry.miweb.fr/shop";

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private WatchtowerStandIn standIn(long switchDelayMillis, boolean versionInHeader, boolean neverSwitch) throws Exception {
        WatchtowerStandIn standIn = new WatchtowerStandIn(TOKEN, "1.0.0", "1.1.0", switchDelayMillis, versionInHeader, neverSwitch);
        resources.add(standIn);
        return standIn;
    }

    private static ReleaseSettings settings(String watchtowerUrl, String appUrl, Duration healthTimeout) {
        ReleaseSettings settings = with(TestConfigs.release("shop"), "target", ReleaseTarget.WATCHTOWER);
        settings = with(settings, "watchtowerUrl", Optional.of(URI.create(watchtowerUrl)));
        settings = with(settings, "url", Optional.of(URI.create(appUrl)));
        return with(settings, "healthTimeout", healthTimeout);
    }

    private WatchtowerRelease release(ReleaseSettings settings, String token) throws ReleaseException {
        return new WatchtowerRelease(settings, token, SOURCE, Duration.ofSeconds(2), new ComposeRelease.Log() {
            @Override
            public void info(String line) {
                log.add("[INFO] " + line);
            }

            @Override
            public void warn(String line) {
                log.add("[WARN] " + line);
            }
        });
    }

    private void assertTokenNowhere(String... texts) {
        for (String text : texts) {
            assertFalse(text.contains(TOKEN), "the token is in: " + text);
            assertFalse(text.contains("Canary7"), "part of a token is in: " + text);
        }
        log.forEach(line -> assertFalse(line.contains("Canary7"), "the token is in the log: " + line));
    }

    @ParameterizedTest(name = "version in the header: {0}")
    @ValueSource(booleans = {false, true})
    void triggersWatchtowerAndWaitsUntilTheUrlReportsTheNewVersion(boolean versionInHeader) throws Exception {
        WatchtowerStandIn standIn = standIn(1500, versionInHeader, false);

        WatchtowerRelease.Result result = release(settings(standIn.watchtowerUrl(), standIn.appUrl(), Duration.ofSeconds(20)), TOKEN)
                .release(REPOSITORY, "1.1.0");

        assertEquals("1.1.0", result.version());
        assertEquals("1.1.0", standIn.version());
        assertEquals(Optional.of("1.0.0"), result.previousVersion(), log::toString);
        assertEquals(Optional.of("scanned 3, updated 3, failed 0, restarted 0"), result.watchtower());
        // It waited for the switch, not only for Watchtower's answer.
        assertTrue(result.took().toMillis() >= 1500, result.took()::toString);
        assertEquals(1, standIn.updates());
        assertEquals(0, standIn.refused());
        // Only this image: the registry has no port, so Watchtower's image filter can match it.
        assertEquals(List.of("POST /v1/update?image=docker-registry.miweb.fr%2Fshop"), standIn.updateRequests());
        assertTrue(log.stream().anyMatch(l -> l.contains("Serving now at " + standIn.appUrl() + ": HTTP 200")), log::toString);
        assertTokenNowhere();
    }

    @Test
    void aWrongTokenFailsClearlyWithoutShowingEitherToken() throws Exception {
        WatchtowerStandIn standIn = standIn(0, false, false);
        String wrong = "Canary7WrongToken";

        ReleaseException failure = assertThrows(ReleaseException.class, () ->
                release(settings(standIn.watchtowerUrl(), standIn.appUrl(), Duration.ofSeconds(20)), wrong).release(REPOSITORY, "1.1.0"));

        assertTrue(failure.userFixable());
        assertTrue(failure.getMessage().contains("refused the API token from " + SOURCE + " (HTTP 401)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Nothing was updated"), failure.getMessage());
        assertEquals(1, standIn.refused());
        assertEquals(0, standIn.updates());
        assertEquals("1.0.0", standIn.version());
        assertTokenNowhere(failure.getMessage(), String.valueOf(failure.getCause()));
    }

    @Test
    void anUnreachableWatchtowerFailsWithinSeconds() throws Exception {
        WatchtowerStandIn app = standIn(0, false, false);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();

        ReleaseException failure = assertThrows(ReleaseException.class, () ->
                release(settings("http://127.0.0.1:" + closedPort, app.appUrl(), Duration.ofMinutes(2)), TOKEN).release(REPOSITORY, "1.1.0"));

        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "took too long");
        assertTrue(failure.userFixable());
        assertTrue(failure.getMessage().startsWith("Could not connect to Watchtower at http://127.0.0.1:" + closedPort + "/v1/update"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("--http-api-update"), failure.getMessage());
        assertTokenNowhere(failure.getMessage());
    }

    @Test
    void aVersionThatNeverChangesTimesOutNamingWhatWasSeen() throws Exception {
        WatchtowerStandIn standIn = standIn(0, false, true);
        long start = System.nanoTime();

        ReleaseException failure = assertThrows(ReleaseException.class, () ->
                release(settings(standIn.watchtowerUrl(), standIn.appUrl(), Duration.ofSeconds(3)), TOKEN).release(REPOSITORY, "1.1.0"));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took::toString);
        assertTrue(failure.userFixable());
        assertTrue(failure.getMessage().startsWith(standIn.appUrl() + " (<release><url>) did not answer 200 on 1.1.0 within 3 s"
                + " (<release><healthTimeout>). Last seen: HTTP 200, version 1.0.0 in the body."), failure.getMessage());
        assertTrue(failure.getMessage().contains("Watchtower reported: scanned 3, updated 3, failed 0"), failure.getMessage());
        assertTrue(failure.getMessage().contains("X-App-Version header"), failure.getMessage());
        assertEquals(1, standIn.updates());
        assertTokenNowhere(failure.getMessage());
    }

    @Test
    void rollbackMovesLatestInTheRegistryThenLetsWatchtowerInstallIt() throws Exception {
        // The stand-in's app goes from 1.1.0 (bad) back to 1.0.0 once Watchtower is triggered.
        WatchtowerStandIn standIn = new WatchtowerStandIn(TOKEN, "1.1.0", "1.0.0", 500, true, false);
        resources.add(standIn);
        byte[] manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:abc\"}}".getBytes(StandardCharsets.UTF_8);
        List<String> registryRequests = Collections.synchronizedList(new ArrayList<>());
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/v2/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            registryRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("Docker-Content-Digest", RegistryApi.sha256(manifest));
            exchange.getResponseHeaders().add("Content-Type", RegistryApi.DOCKER_MANIFEST);
            boolean get = exchange.getRequestMethod().equals("GET");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("PUT") ? 201 : 200, get ? manifest.length : -1);
            if (get) {
                exchange.getResponseBody().write(manifest);
            }
            exchange.close();
        });
        registry.start();
        resources.add(() -> registry.stop(0));
        RegistryApi api = PlainHttpRegistryApis.of("docker-registry.miweb.fr", URI.create("http://127.0.0.1:" + registry.getAddress().getPort()),
                RegistryCredentials.password("deployer", "Canary7RegistryPassword", "test"));

        WatchtowerRelease.Result result = release(settings(standIn.watchtowerUrl(), standIn.appUrl(), Duration.ofSeconds(20)), TOKEN)
                .rollback(REPOSITORY, "1.0.0", new RegistryLatestTag(api, "shop"));

        assertEquals("1.0.0", result.version());
        assertEquals("1.0.0", standIn.version());
        assertEquals(List.of("GET /v2/shop/manifests/1.0.0", "PUT /v2/shop/manifests/latest"), registryRequests);
        assertEquals(1, standIn.updates());
        assertTokenNowhere();
    }

    @Test
    void theHeaderDecidesWhenPresentAndTheBodyMatchesWholeVersionsOnly() {
        assertFalse(WatchtowerRelease.observation(200, Optional.of("1.0.0"), "{\"version\":\"1.1.0\"}", "1.1.0").serves());
        assertTrue(WatchtowerRelease.observation(200, Optional.of(" 1.1.0 "), "", "1.1.0").serves());
        assertFalse(WatchtowerRelease.observation(503, Optional.of("1.1.0"), "", "1.1.0").serves());
        assertTrue(WatchtowerRelease.observation(200, Optional.empty(), "{\"version\":\"1.1.0\"}", "1.1.0").serves());
        assertTrue(WatchtowerRelease.containsVersion("release 20261124-101500 is up", "20261124-101500"));
        assertFalse(WatchtowerRelease.containsVersion("{\"version\":\"1.1.0-rc1\"}", "1.1.0"));
        assertFalse(WatchtowerRelease.containsVersion("{\"version\":\"11.1.0\"}", "1.1.0"));
        assertFalse(WatchtowerRelease.containsVersion("{\"version\":\"1x1x0\"}", "1.1.0"));
        assertEquals("HTTP 200, no X-App-Version header and no version in the body: {\"status\":\"ok\"}",
                WatchtowerRelease.observation(200, Optional.empty(), "{\"status\":\"ok\"}", "1.1.0").describe());
    }

    @Test
    void theImageFilterIsLeftOutWhenTheRegistryHasAPort() {
        assertEquals(URI.create("http://server:8080/v1/update"),
                WatchtowerRelease.updateEndpoint(URI.create("http://server:8080"), "registry.example.com:5443/team/shop"));
        assertEquals(URI.create("https://ops.example.com/watchtower/v1/update?image=registry.example.com%2Fteam%2Fshop"),
                WatchtowerRelease.updateEndpoint(URI.create("https://ops.example.com/watchtower/"), "registry.example.com/team/shop"));
    }

    @Test
    void aTokenWithALineBreakIsRefusedWithoutBeingShown() {
        ReleaseException failure = assertThrows(ReleaseException.class, () ->
                release(settings("http://127.0.0.1:9", "http://127.0.0.1:9/up", Duration.ofSeconds(5)), "Canary7Broken\nToken"));
        assertTrue(failure.getMessage().contains("contains spaces or control characters (not shown)"), failure.getMessage());
        assertTokenNowhere(failure.getMessage());
    }
}
