package fr.miweb.maven.frankenphp.config;

/**
 * How {@code php artisan octane:frankenphp} is started in the container.
 *
 * @param port        the HTTP port Octane listens on inside the container
 * @param adminPort   the Caddy admin port (explicit: Octane's derived one throws below 6019)
 * @param workers     worker count, or {@code auto}
 * @param maxRequests requests a worker serves before it is recycled (guards against leaks)
 * @param healthPath  the HTTP path the health checks poll
 */
public record OctaneSettings(int port, int adminPort, String workers, int maxRequests, String healthPath) {
}
