package fr.miweb.maven.frankenphp.plugin;

/** The {@code <octane>} element of the plugin configuration. */
public class OctaneConfiguration {
    /** Port Octane listens on in the container. Default 80. */
    Integer port;
    /** Caddy admin port. Default 2019. */
    Integer adminPort;
    /** Worker count or {@code auto}. Default {@code auto}. */
    String workers;
    /** Requests per worker before it is recycled. Default 500. */
    Integer maxRequests;
    /** Health check path. Default {@code /api/health}. */
    String healthPath;
}
