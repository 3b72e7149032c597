package fr.miweb.maven.frankenphp.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a pushed image goes live on the production server.
 *
 * @param target           none, compose, watchtower or swarm
 * @param dockerHost       the production engine: {@code ssh://user@host[:port]}, {@code tcp://host:2376} or {@code unix://…}
 * @param certPath         ca.pem, cert.pem and key.pem for a {@code tcp://} engine with TLS
 * @param project          the compose project name on the server
 * @param url              a public URL checked once the release is live; with watchtower, it must report the new version
 * @param healthTimeout    how long the new app container has to become healthy; with watchtower, how long the whole
 *                         update may take, from the trigger to the URL reporting the new version
 * @param drainTimeout     how long the old app container keeps its in-flight requests after it left the rotation
 * @param migrate          run {@code php artisan migrate --force} once before the swap
 * @param migrationTimeout how long the migrations may run
 * @param watchtowerUrl    the base URL of the server's Watchtower HTTP API, such as {@code http://server:8080}
 * @param watchtowerServerId the settings.xml {@code <server>} whose password is Watchtower's API token
 * @param replicas         swarm: how many app tasks the stack runs
 * @param databaseNode     swarm: the node label, {@code key=value}, of the node that keeps MySQL and its volume
 */
public record ReleaseSettings(
        ReleaseTarget target,
        Optional<URI> dockerHost,
        Optional<Path> certPath,
        String project,
        Optional<URI> url,
        Duration healthTimeout,
        Duration drainTimeout,
        boolean migrate,
        Duration migrationTimeout,
        Optional<URI> watchtowerUrl,
        String watchtowerServerId,
        int replicas,
        String databaseNode) {

    /** The app container's name: the one the proxy routes to while no release runs. */
    public String primarySlot() {
        return project + "-app";
    }

    /**
     * The name a release starts the new app container under. The proxy prefers it to the primary
     * slot, so traffic moves to the new container as soon as it answers its health check.
     */
    public String candidateSlot() {
        return project + "-app-next";
    }

    /** The Swarm service of one stack service: {@code docker stack deploy} names it {@code <stack>_<service>}. */
    public String swarmService(String service) {
        return project + "_" + service;
    }

    /**
     * The placement constraint that keeps MySQL on the labelled node: {@code node.labels.KEY == VALUE}; empty for a
     * {@code databaseNode} without {@code =} (which the validator refuses).
     */
    public String databaseConstraint() {
        int equals = databaseNode.indexOf('=');
        if (equals < 0) {
            return "";
        }
        return "node.labels." + databaseNode.substring(0, equals) + " == " + databaseNode.substring(equals + 1);
    }
}
