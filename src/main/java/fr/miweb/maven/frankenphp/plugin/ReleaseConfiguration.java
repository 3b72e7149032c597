package fr.miweb.maven.frankenphp.plugin;

/**
 * The {@code <release>} element of the plugin configuration. Each value can also be given as a
 * {@code frankenphp.release.*} property; see docs/configuration.md.
 */
// Scalar values are Strings: Maven then cannot refuse one before the plugin has seen the others (ConfigurationMapper).
public class ReleaseConfiguration {
    /** {@code none} (default), {@code compose}, {@code watchtower} or {@code swarm}. Property {@code frankenphp.release.target}. */
    String target;
    /**
     * The production Docker engine: {@code ssh://user@host[:port]}, {@code tcp://host:2376} (TLS with
     * {@code certPath}) or {@code unix:///path}. Required for {@code compose} and {@code swarm}. Property {@code frankenphp.release.dockerHost}.
     */
    String dockerHost;
    /** Directory with ca.pem, cert.pem and key.pem for a {@code tcp://} engine. Property {@code frankenphp.release.certPath}. */
    String certPath;
    /** The compose project name on the server. Default: the image name. Property {@code frankenphp.release.project}. */
    String project;
    /**
     * A public URL that must answer 200 once the release is live. Required for {@code watchtower}, where it must
     * also report the new version (an {@code X-App-Version} header, or the version in the body). Property
     * {@code frankenphp.release.url}.
     */
    String url;
    /**
     * Deadline for the new app container to become healthy; with {@code watchtower}, for the whole update, from the
     * trigger to {@code url} reporting the new version. Default {@code 2m}. Property {@code frankenphp.release.healthTimeout}.
     */
    String healthTimeout;
    /** How long the old app container may finish its in-flight requests. Default {@code 30s}. Property {@code frankenphp.release.drainTimeout}. */
    String drainTimeout;
    /** Run {@code php artisan migrate --force} once per release. Default {@code true}. Property {@code frankenphp.release.migrate}. */
    String migrate;
    /** Deadline of the migrations. Default {@code 10m}. Property {@code frankenphp.release.migrationTimeout}. */
    String migrationTimeout;
    /**
     * The base URL of Watchtower's HTTP API on the server, such as {@code http://server:8080}. Required for
     * {@code watchtower}. Property {@code frankenphp.release.watchtowerUrl}.
     */
    String watchtowerUrl;
    /**
     * The {@code <server>} in settings.xml whose {@code <password>} (encrypted or not) is Watchtower's
     * {@code --http-api-token}. Default {@code watchtower}. Property {@code frankenphp.release.watchtowerServerId}.
     */
    String watchtowerServerId;
    /**
     * {@code swarm}: how many app tasks {@code docker-stack.yml} runs. Default {@code 2}. Property {@code frankenphp.release.replicas}.
     */
    String replicas;
    /**
     * {@code swarm}: the node label, {@code key=value}, of the node that keeps MySQL and its volume. Default
     * {@code frankenphp.database=true}. Property {@code frankenphp.release.databaseNode}.
     */
    String databaseNode;
}
