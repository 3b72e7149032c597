package fr.miweb.maven.frankenphp.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where {@code mvn deploy} takes a pushed image: nowhere, the compose stack on the server, the server's Watchtower, or a Swarm stack. */
public enum ReleaseTarget {
    /** The release ends at the registry (Watchtower or an operator takes it from there). */
    NONE("none"),
    /** A health-gated swap of the app container behind the stack's proxy, through the server's Engine API. */
    COMPOSE("compose"),
    /**
     * The server's Watchtower, through its HTTP API: it pulls {@code latest} and recreates the labelled
     * containers (stop, then start: no health gate); the release waits until the app reports the new version.
     */
    WATCHTOWER("watchtower"),
    /**
     * The Docker Swarm stack on the server, through a manager's Engine API: migrations as a one-off job, then
     * Swarm's own rolling, health-gated update of the services to the new image (start-first, rollback on failure).
     */
    SWARM("swarm");

    private final String configValue;

    ReleaseTarget(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static Optional<ReleaseTarget> fromConfigValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.configValue.equals(wanted)).findFirst();
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(ReleaseTarget::configValue).collect(Collectors.joining(", "));
    }
}
