package fr.miweb.maven.frankenphp.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The stack's Caddy proxy, as a release sees it. Caddy routes to two fixed container names in order
 * of preference ({@code lb_policy first}), the candidate then the primary, and checks each with an
 * active health check every second: a healthy candidate takes every new request, and the primary
 * gets them back when the candidate fails or is gone. No configuration reload is needed, so client
 * connections are never cut.
 *
 * <p>The in-flight count comes from Caddy's admin API ({@code /reverse_proxy/upstreams}), read
 * inside the proxy container, where the admin endpoint listens on localhost only.
 */
final class ProxyRotation {

    /** The Caddyfile's {@code health_interval}: how soon Caddy notices a slot changed. */
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> UPSTREAMS = List.of("wget", "-qO-", "http://localhost:2019/reverse_proxy/upstreams");

    private final ServerContainers containers;
    private final String proxyContainerId;

    ProxyRotation(ServerContainers containers, String proxyContainerId) {
        this.containers = containers;
        this.proxyContainerId = proxyContainerId;
    }

    /** Requests Caddy has in flight to an upstream address; empty when the admin API cannot be read. */
    OptionalInt inFlight(String upstreamAddress) throws InterruptedException {
        ServerContainers.ExecResult result = containers.exec(proxyContainerId, UPSTREAMS, Duration.ofSeconds(5));
        if (result.exitCode().orElse(-1) != 0) {
            return OptionalInt.empty();
        }
        return inFlight(result.output(), upstreamAddress);
    }

    static OptionalInt inFlight(String upstreamsJson, String upstreamAddress) {
        try {
            JsonNode upstreams = JSON.readTree(upstreamsJson);
            if (!upstreams.isArray()) {
                return OptionalInt.empty();
            }
            for (JsonNode upstream : upstreams) {
                if (upstreamAddress.equals(upstream.path("address").asText())) {
                    return OptionalInt.of(upstream.path("num_requests").asInt());
                }
            }
            // Both names are in the Caddyfile, so an unlisted one means an answer this code does not understand.
            return OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
