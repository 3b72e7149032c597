package fr.miweb.maven.frankenphp.plugin;

/** The {@code <octane>} element of the plugin configuration. */
// Scalar values are Strings: Maven then cannot refuse one before the plugin has seen the others (ConfigurationMapper).
public class OctaneConfiguration {
    /** Port Octane listens on in the container. Default 80. */
    String port;
    /** Caddy admin port. Default 2019. */
    String adminPort;
    /** Worker count or {@code auto}. Default {@code auto}. */
    String workers;
    /** Requests per worker before it is recycled. Default 500. */
    String maxRequests;
    /** Health check path. Default {@code /api/health}. */
    String healthPath;
}
