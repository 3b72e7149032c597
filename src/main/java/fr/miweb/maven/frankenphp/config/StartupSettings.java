package fr.miweb.maven.frankenphp.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What the image's entrypoint does at container start, before the server, queue worker or scheduler
 * command: the steps of Laravel's deployment guide. The caches read the environment
 * ({@code .env.production}), so they are built when the container starts, never at build time.
 *
 * @param configCache {@code php artisan config:cache}
 * @param routeCache  {@code php artisan route:cache}
 * @param eventCache  {@code php artisan event:cache}
 * @param viewCache   {@code php artisan view:cache}
 * @param storageLink {@code php artisan storage:link}: in the image build, and at start when {@code public/storage} is missing
 */
public record StartupSettings(boolean configCache, boolean routeCache, boolean eventCache, boolean viewCache,
                              boolean storageLink) {

    /** Every step on. */
    public static StartupSettings defaults() {
        return new StartupSettings(Defaults.STARTUP_CONFIG_CACHE, Defaults.STARTUP_ROUTE_CACHE, Defaults.STARTUP_EVENT_CACHE,
                Defaults.STARTUP_VIEW_CACHE, Defaults.STARTUP_STORAGE_LINK);
    }

    /** The cache commands that are on, in the order they run: config first, the others boot on the cached config. */
    public List<String> cacheCommands() {
        List<String> commands = new ArrayList<>();
        if (configCache) {
            commands.add("config:cache");
        }
        if (routeCache) {
            commands.add("route:cache");
        }
        if (eventCache) {
            commands.add("event:cache");
        }
        if (viewCache) {
            commands.add("view:cache");
        }
        return List.copyOf(commands);
    }
}
