package fr.miweb.maven.frankenphp.plugin;

/** The {@code <compose>} element of the plugin configuration. */
// Scalar values are Strings: Maven then cannot refuse one before the plugin has seen the others (ConfigurationMapper).
public class ComposeConfiguration {
    /** External network. Default {@code docker_internal}. */
    String network;
    /** Host port published by the app service. Default 80. */
    String publishedPort;
    /** MySQL image. Default {@code mysql:8.0}. */
    String mysqlImage;
    /** Named volume for MySQL data. Default {@code mysql-data}. */
    String mysqlVolume;
    /** {@code queue:work --sleep}. Default 3. */
    String queueSleep;
    /** {@code queue:work --tries}. Default 3. */
    String queueTries;
    /** {@code queue:work --max-time}. Default 3600. */
    String queueMaxTime;
    /** Grace period for the queue worker on stop, e.g. {@code 90s}, {@code 5m}. Default {@code 90s}. */
    String queueStopGracePeriod;
    /** {@code work} (schedule:work) or {@code loop} (schedule:run every minute). Default {@code work}. */
    String schedulerMode;
    /** Watchtower label-enable labels on app, queue and scheduler. Default true. */
    String watchtowerLabels;
    /** The reverse proxy's image (Caddy 2). Default {@code caddy:2}. */
    String proxyImage;
}
