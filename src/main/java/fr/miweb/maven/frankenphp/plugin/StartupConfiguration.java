package fr.miweb.maven.frankenphp.plugin;

/**
 * The {@code <image><startup>} element: the steps of Laravel's deployment guide that the image's
 * entrypoint runs at container start, before the server, queue or scheduler command. Each is on
 * unless set to {@code false}; values are {@code true} or {@code false}.
 */
public class StartupConfiguration {
    /** {@code php artisan config:cache}. Property {@code frankenphp.startup.configCache}. Default {@code true}. */
    String configCache;
    /** {@code php artisan route:cache}. Property {@code frankenphp.startup.routeCache}. Default {@code true}. */
    String routeCache;
    /** {@code php artisan event:cache}. Property {@code frankenphp.startup.eventCache}. Default {@code true}. */
    String eventCache;
    /** {@code php artisan view:cache}. Property {@code frankenphp.startup.viewCache}. Default {@code true}. */
    String viewCache;
    /** {@code php artisan storage:link}, in the build and at start when missing. Property {@code frankenphp.startup.storageLink}. Default {@code true}. */
    String storageLink;
}
