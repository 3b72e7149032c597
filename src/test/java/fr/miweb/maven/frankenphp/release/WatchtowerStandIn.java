package fr.miweb.maven.frankenphp.release;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the server's Watchtower (nickfedor/watchtower, run with {@code --http-api-update}) and for the app
 * it updates, on loopback, with JDK classes only: the invoker ITs load it from {@code target/test-classes}.
 *
 * <p>{@code POST /v1/update} checks {@code Authorization: Bearer <token>} as Watchtower does (401 otherwise), answers
 * with Watchtower's JSON summary, and {@code switchDelayMillis} later the app (at {@code /api/health}) reports the
 * new version, as a container recreated on the new image would. The app reports its version in a JSON body, as the
 * e2e fixture's health route does, or in an {@code X-App-Version} header. Nothing here ever prints the token.
 */
public final class WatchtowerStandIn implements AutoCloseable {

    private final HttpServer server;
    private final ScheduledExecutorService switcher;
    private final String token;
    private final String newVersion;
    private final long switchDelayMillis;
    private final boolean versionInHeader;
    private final boolean neverSwitch;
    private volatile String version;
    private final AtomicInteger updates = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> updateRequests = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param token             the token Watchtower runs with ({@code --http-api-token})
     * @param oldVersion        the version the app reports before an update
     * @param newVersion        the version it reports after one
     * @param switchDelayMillis how long after an accepted update the app switches
     * @param versionInHeader   report the version in an {@code X-App-Version} header (else in the JSON body)
     * @param neverSwitch       accept updates but keep the old version (a release that never goes live)
     */
    public WatchtowerStandIn(String token, String oldVersion, String newVersion, long switchDelayMillis, boolean versionInHeader,
                             boolean neverSwitch) throws IOException {
        this.token = token;
        this.version = oldVersion;
        this.newVersion = newVersion;
        this.switchDelayMillis = switchDelayMillis;
        this.versionInHeader = versionInHeader;
        this.neverSwitch = neverSwitch;
        this.switcher = Executors.newSingleThreadScheduledExecutor(daemon("watchtower-stand-in-switch"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(daemon("watchtower-stand-in")));
        server.createContext("/v1/update", this::update);
        server.createContext("/api/health", this::health);
        server.start();
    }

    /** The base URL of the API, for {@code <release><watchtowerUrl>}. */
    public String watchtowerUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The app's health URL, for {@code <release><url>}. */
    public String appUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health";
    }

    /** Updates accepted (right token). */
    public int updates() {
        return updates.get();
    }

    /** Updates refused for a missing or wrong token. */
    public int refused() {
        return refused.get();
    }

    /** "POST /v1/update?image=..." of each accepted update. */
    public List<String> updateRequests() {
        return List.copyOf(updateRequests);
    }

    /** The version the app reports now. */
    public String version() {
        return version;
    }

    private void update(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + token).equals(authorization == null ? null : authorization.trim())) {
            refused.incrementAndGet();
            send(exchange, 401, "", null);
            return;
        }
        updates.incrementAndGet();
        updateRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
        if (!neverSwitch) {
            switcher.schedule(() -> version = newVersion, switchDelayMillis, TimeUnit.MILLISECONDS);
        }
        send(exchange, 200, "{\"summary\":{\"scanned\":3,\"updated\":3,\"failed\":0,\"restarted\":0},"
                + "\"timing\":{\"duration_ms\":12,\"duration\":\"12ms\"},\"api_version\":\"v1\"}", null);
    }

    private void health(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String now = version;
        if (versionInHeader) {
            send(exchange, 200, "{\"status\":\"ok\"}", now);
        } else {
            send(exchange, 200, "{\"status\":\"ok\",\"database\":\"ok\",\"version\":\"" + now + "\"}", null);
        }
    }

    private static void send(HttpExchange exchange, int status, String body, String versionHeader) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (versionHeader != null) {
            exchange.getResponseHeaders().add("X-App-Version", versionHeader);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        switcher.shutdownNow();
    }
}
