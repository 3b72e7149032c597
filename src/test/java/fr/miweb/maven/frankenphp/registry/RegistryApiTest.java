package fr.miweb.maven.frankenphp.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token flow and the client's HTTP behaviour against a fake registry on loopback (plain HTTP: the JDK has no
 * way to issue a certificate for a test server). The real TLS + htpasswd registry is exercised by
 * {@code faults/RegistryApiRealRegistryTest}.
 */
class RegistryApiTest {

    private static final String PASSWORD = "Canary7Secret";
    private static final String IDENTITY_TOKEN = "Canary7IdentityToken";
    private static final String TOKEN = "Canary7BearerToken";
    private static final byte[] MANIFEST = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:abc\"}}".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Function<HttpExchange, Integer>> routes = new ConcurrentHashMap<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String line = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("-");
            requests.add(line);
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Function<HttpExchange, Integer> route = routes.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(e -> 404);
            int status = route.apply(exchange);
            if (status > 0) {
                exchange.sendResponseHeaders(status, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RegistryApi api(RegistryCredentials credentials, int attempts, Duration timeout) throws Exception {
        Retrier retrier = new Retrier(new RetryPolicy(attempts, Duration.ZERO, 1.0, Duration.ZERO),
                failure -> !(failure instanceof DeadlineExceededException) && new RegistryFailureClassifier(
                        f -> f instanceof RegistryApiException e ? e.httpStatus() : java.util.OptionalInt.empty()).isRetryable(failure),
                retries::add, d -> { });
        return new RegistryApi("registry.test", URI.create(base()), credentials, retrier, timeout, SSLContext.getDefault());
    }

    private static RegistryCredentials password() {
        return RegistryCredentials.password("deployer", PASSWORD, "test");
    }

    private static int send(HttpExchange exchange, int status, byte[] body, String... headers) {
        try {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String authorization(HttpExchange exchange) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
    }

    /** A registry that wants a Bearer token from /token, as Docker Hub and GitLab do. */
    private void bearerRegistry(AtomicInteger tokensIssued) {
        routes.put("/token", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery(),
                    StandardCharsets.UTF_8);
            boolean basic = authorization(exchange).equals("Basic " + Base64.getEncoder().encodeToString(
                    ("deployer:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            if (!basic || !query.contains("service=registry.test") || !query.contains("scope=repository:team/app:pull,push")) {
                return 401;
            }
            tokensIssued.incrementAndGet();
            return send(exchange, 200, ("{\"token\":\"" + TOKEN + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
        });
        routes.put("/v2/", exchange -> {
            if (!authorization(exchange).equals("Bearer " + TOKEN)) {
                return send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(),
                        "WWW-Authenticate", "Bearer realm=\"" + base() + "/token\",service=\"registry.test\",scope=\"repository:team/app:pull,push\"");
            }
            if (exchange.getRequestMethod().equals("PUT")) {
                return send(exchange, 201, new byte[0], "Docker-Content-Digest", RegistryApi.sha256(MANIFEST));
            }
            return send(exchange, 200, exchange.getRequestMethod().equals("HEAD") ? new byte[0] : MANIFEST,
                    "Docker-Content-Digest", RegistryApi.sha256(MANIFEST), "Content-Type", RegistryApi.DOCKER_MANIFEST);
        });
    }

    @Test
    void bearerChallengeGetsATokenWithTheScopeAndServiceAndReusesIt() throws Exception {
        AtomicInteger tokensIssued = new AtomicInteger();
        bearerRegistry(tokensIssued);
        RegistryApi api = api(password(), 1, Duration.ofSeconds(5));

        RegistryApi.Manifest manifest = api.manifest("team/app", "1.0.0").orElseThrow();
        assertArrayEquals(MANIFEST, manifest.content());
        assertEquals(RegistryApi.sha256(MANIFEST), manifest.digest());
        assertEquals(Optional.of("sha256:abc"), manifest.configDigest());
        assertEquals(RegistryApi.sha256(MANIFEST), api.putManifest("team/app", "latest", manifest));
        assertEquals(Optional.of(RegistryApi.sha256(MANIFEST)), api.manifestDigest("team/app", "latest"));

        assertEquals(1, tokensIssued.get(), requests::toString);
        assertTrue(requests.get(0).endsWith("auth=-"), requests::toString);
        assertTrue(requests.stream().filter(r -> r.startsWith("PUT")).allMatch(r -> r.endsWith("auth=Bearer " + TOKEN)), requests::toString);
        // The manifest was read once with a challenge, then every request carried the token.
        assertEquals(1, requests.stream().filter(r -> r.contains("/v2/") && r.endsWith("auth=-")).count(), requests::toString);
    }

    @Test
    void anIdentityTokenIsExchangedAsAnOAuthRefreshToken() throws Exception {
        List<String> forms = Collections.synchronizedList(new ArrayList<>());
        routes.put("/token", exchange -> {
            if (!exchange.getRequestMethod().equals("POST")) {
                return 405;
            }
            return send(exchange, 200, ("{\"access_token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        server.removeContext("/");
        server.createContext("/token", exchange -> {
            forms.add(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            send(exchange, 200, ("{\"access_token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.createContext("/v2/", exchange -> {
            if (("Bearer " + TOKEN).equals(authorization(exchange))) {
                send(exchange, 200, new byte[0], "Docker-Content-Digest", "sha256:def");
            } else {
                send(exchange, 401, new byte[0], "WWW-Authenticate", "Bearer realm=\"" + base() + "/token\",service=\"hub\"");
            }
            exchange.close();
        });
        RegistryApi api = api(RegistryCredentials.identityToken("", IDENTITY_TOKEN, "test"), 1, Duration.ofSeconds(5));

        assertEquals(Optional.of("sha256:def"), api.manifestDigest("team/app", "1.0.0"));
        assertEquals(1, forms.size());
        assertTrue(forms.get(0).contains("grant_type=refresh_token"), forms::toString);
        assertTrue(forms.get(0).contains("refresh_token=" + IDENTITY_TOKEN), forms::toString);
        assertTrue(forms.get(0).contains("scope=repository:team/app:pull"), forms::toString);
        assertTrue(forms.get(0).contains("service=hub"), forms::toString);
    }

    /** A registry read over plain HTTP may not send the password to a token realm on another host, even over http. */
    @Test
    void aPlainHttpRegistryCannotSendThePasswordToAnotherHostsRealm() throws Exception {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket elsewhere = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread listener = new Thread(() -> {
                try (java.net.Socket socket = elsewhere.accept()) {
                    asked.add(new String(socket.getInputStream().readNBytes(64), StandardCharsets.UTF_8));
                } catch (java.io.IOException ignored) {
                    // closed by the test
                }
            });
            listener.setDaemon(true);
            listener.start();
            routes.put("/v2/", exchange -> send(exchange, 401, new byte[0], "WWW-Authenticate",
                    "Bearer realm=\"http://localhost:" + elsewhere.getLocalPort() + "/token\",service=\"x\""));
            RegistryApi api = api(RegistryCredentials.password("deployer", PASSWORD, "test"), 1, Duration.ofSeconds(5));

            RuntimeException failure = assertThrows(RuntimeException.class, () -> api.manifestDigest("team/app", "1.0.0"));

            Throwable cause = failure instanceof RegistryApiException ? failure : failure.getCause();
            assertTrue(cause.getMessage().contains("is not https; credentials are not sent there"), cause.getMessage());
            assertTrue(asked.isEmpty(), "nothing was sent to the other host: " + asked);
        }
    }

    @Test
    void basicChallengeSendsThePasswordThenKeepsSendingIt() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("deployer:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        routes.put("/v2/", exchange -> basic.equals(authorization(exchange)) ? 404
                : send(exchange, 401, new byte[0], "WWW-Authenticate", "Basic realm=\"Registry Realm\""));
        RegistryApi api = api(password(), 1, Duration.ofSeconds(5));

        assertEquals(Optional.empty(), api.manifest("team/app", "1.0.0"));
        assertEquals(Optional.empty(), api.manifestDigest("team/app", "1.0.1"));
        assertEquals(3, requests.size(), requests::toString);
        assertTrue(requests.get(2).endsWith("auth=" + basic), requests::toString);
    }

    @Test
    void refusedCredentialsFailWith401AndNoSecretInTheMessage() throws Exception {
        AtomicInteger tokensIssued = new AtomicInteger();
        bearerRegistry(tokensIssued);
        RegistryApi api = api(RegistryCredentials.password("deployer", "wrong-" + PASSWORD, "test"), 3, Duration.ofSeconds(5));

        RetryFailedException failure = assertThrows(RetryFailedException.class, () -> api.manifest("team/app", "1.0.0"));
        RegistryApiException cause = (RegistryApiException) failure.getCause();
        assertEquals(java.util.OptionalInt.of(401), cause.httpStatus());
        assertEquals(1, failure.attempts(), "a refusal is not retried");
        assertTrue(cause.getMessage().contains("refused user 'deployer'"), cause::getMessage);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(PASSWORD), trace::toString);
        assertFalse(trace.toString().contains(TOKEN), trace::toString);
    }

    @Test
    void serverErrorsAreRetriedAndNamedWithTheirStatus() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        routes.put("/v2/", exchange -> calls.incrementAndGet() < 3 ? 503
                : send(exchange, 201, new byte[0], "Docker-Content-Digest", RegistryApi.sha256(MANIFEST)));
        RegistryApi api = api(password(), 4, Duration.ofSeconds(5));

        assertEquals(RegistryApi.sha256(MANIFEST), api.putManifest("team/app", "latest", RegistryApi.DOCKER_MANIFEST, MANIFEST));
        assertEquals(2, retries.size());
        assertEquals("Push of registry.test/team/app:latest", retries.get(0).operation());
        assertTrue(retries.get(0).describe().contains("HTTP 503 Service Unavailable"), retries.get(0)::describe);
    }

    @Test
    void aDigestOtherThanTheContentsIsRefused() throws Exception {
        routes.put("/v2/", exchange -> send(exchange, 201, new byte[0], "Docker-Content-Digest", "sha256:" + "0".repeat(64)));
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> api(password(), 1, Duration.ofSeconds(5)).putManifest("team/app", "latest", RegistryApi.DOCKER_MANIFEST, MANIFEST));
        assertTrue(failure.getCause().getMessage().contains("not the digest of the manifest sent"), failure::getMessage);
    }

    @Test
    void aSlowRegistryFailsAtTheDeadlineWithoutRetrying() throws Exception {
        routes.put("/v2/", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 404;
        });
        long start = System.nanoTime();
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> api(password(), 3, Duration.ofSeconds(1)).manifestDigest("team/app", "1.0.0"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofMillis(2_500)) < 0);
        assertTrue(failure.getCause() instanceof DeadlineExceededException, failure::toString);
        assertEquals("Manifest lookup of registry.test/team/app:1.0.0 took longer than 1 s", failure.getCause().getMessage());
        assertEquals(1, failure.attempts());
    }

    @Test
    void aBlobRedirectToAnotherHostIsFollowedWithoutTheCredentials() throws Exception {
        byte[] config = "{\"config\":{\"Labels\":{\"org.opencontainers.image.created\":\"2026-11-24T10:00:00Z\"}}}".getBytes(StandardCharsets.UTF_8);
        String digest = RegistryApi.sha256(config);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("deployer:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        // "localhost" is another authority than "127.0.0.1", as a storage host would be.
        routes.put("/storage/", exchange -> send(exchange, 200, config));
        routes.put("/v2/", exchange -> !basic.equals(authorization(exchange))
                ? send(exchange, 401, new byte[0], "WWW-Authenticate", "Basic realm=\"r\"")
                : send(exchange, 307, new byte[0], "Location", "http://localhost:" + server.getAddress().getPort() + "/storage/blob"));
        RegistryApi api = api(password(), 1, Duration.ofSeconds(5));

        assertEquals(Map.of("org.opencontainers.image.created", "2026-11-24T10:00:00Z"), api.configLabels("team/app", digest));
        String storage = requests.stream().filter(r -> r.contains("/storage/")).findFirst().orElseThrow();
        assertTrue(storage.endsWith("auth=-"), requests::toString);
    }

    @Test
    void loopbackRegistriesAreTheEnginesDefaultInsecureOnes() {
        assertTrue(RegistryApi.isLoopback("localhost:5000"));
        assertTrue(RegistryApi.isLoopback("127.0.0.1:5000"));
        assertTrue(RegistryApi.isLoopback("127.12.0.9"));
        assertFalse(RegistryApi.isLoopback("registry.frankenphp.test:5443"));
        assertFalse(RegistryApi.isLoopback("localhost.example.com:5000"));
        assertFalse(RegistryApi.isLoopback("127.0.0.1.nip.io"));
    }
}
