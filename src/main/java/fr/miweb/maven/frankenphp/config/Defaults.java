package fr.miweb.maven.frankenphp.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every default value of the plugin, in one place.
 *
 * <p>The values come from the original deployment story (the hand-written Dockerfile,
 * docker-compose.prod.yml, php.ini and .env.production this plugin replaces), corrected where its
 * debug log recorded a trap: PHP 8.4 on Debian instead of 8.2 Alpine, {@code pcntl} added.
 */
public final class Defaults {

    public static final String REGISTRY = "docker-registry.miweb.fr";
    /** PHP 8.4 on Debian: the lock file needs PHP 8.4 and musl is slow with ZTS. */
    public static final String BASE_IMAGE = "dunglas/frankenphp:1-php8.4-bookworm";
    public static final String COMPOSER_IMAGE = "composer:2";
    public static final TagStrategy TAG_STRATEGY = TagStrategy.TIMESTAMP;
    public static final String RUNTIME_USER = "app";
    public static final int RUNTIME_UID = 1000;

    /** The story's list plus pcntl, without which Octane fails with "SIGINT undefined". */
    public static final List<String> PHP_EXTENSIONS = List.of("pdo_mysql", "gd", "zip", "opcache", "intl", "pcntl");
    public static final String PHP_INI_TARGET = "/usr/local/etc/php/conf.d/zzz-frankenphp.ini";

    public static final int OCTANE_PORT = 80;
    /** Explicit, because Octane derives one from the port and throws below 6019. */
    public static final int OCTANE_ADMIN_PORT = 2019;
    public static final String OCTANE_WORKERS = "auto";
    public static final int OCTANE_MAX_REQUESTS = 500;
    public static final String HEALTH_PATH = "/api/health";

    /*
     * The start-up steps of Laravel's deployment guide, run by the image's entrypoint before the
     * server, queue or scheduler command (<image><startup>). Each is on; an app that cannot take one
     * (closures in routes on an old Laravel, no resources/views) switches that one off.
     */
    public static final boolean STARTUP_CONFIG_CACHE = true;
    public static final boolean STARTUP_ROUTE_CACHE = true;
    public static final boolean STARTUP_EVENT_CACHE = true;
    public static final boolean STARTUP_VIEW_CACHE = true;
    public static final boolean STARTUP_STORAGE_LINK = true;
    /** Where the entrypoint goes in the image (the rendered docker/laravel-entrypoint.sh). */
    public static final String ENTRYPOINT_PATH = "/usr/local/bin/laravel-entrypoint";

    public static final String NETWORK = "docker_internal";
    public static final int PUBLISHED_PORT = 80;
    public static final String MYSQL_IMAGE = "mysql:8.0";
    public static final String MYSQL_VOLUME = "mysql-data";
    public static final int QUEUE_SLEEP = 3;
    public static final int QUEUE_TRIES = 3;
    public static final int QUEUE_MAX_TIME = 3600;
    /** Longer than queue:work's default 60 s job timeout, so a running job can finish on stop. */
    public static final Duration QUEUE_STOP_GRACE_PERIOD = Duration.ofSeconds(90);
    public static final SchedulerMode SCHEDULER_MODE = SchedulerMode.WORK;
    public static final boolean WATCHTOWER_LABELS = true;

    /** The reverse proxy in front of app: it publishes the port and moves traffic during a release. */
    public static final String PROXY_IMAGE = "caddy:2";

    public static final ReleaseTarget RELEASE_TARGET = ReleaseTarget.NONE;
    public static final Duration RELEASE_HEALTH_TIMEOUT = Duration.ofMinutes(2);
    /** Kamal's default drain timeout. */
    public static final Duration RELEASE_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final boolean RELEASE_MIGRATE = true;
    public static final Duration RELEASE_MIGRATION_TIMEOUT = Duration.ofMinutes(10);
    /** The settings.xml {@code <server>} holding Watchtower's HTTP API token (its {@code <password>}). */
    public static final String RELEASE_WATCHTOWER_SERVER_ID = "watchtower";
    /** Swarm: two app tasks, so that one always serves while the other is replaced or its node is down. */
    public static final int RELEASE_REPLICAS = 2;
    /** Swarm: the node label ({@code docker node update --label-add frankenphp.database=true NODE}) that places MySQL. */
    public static final String RELEASE_DATABASE_NODE = "frankenphp.database=true";

    // Goal parameters. Strings, because the mojos' @Parameter(defaultValue = ...) annotations use them too:
    // this is their one home (GoalParameter lists them, the docs test compares docs/configuration.md).
    public static final String SKIP = "false";
    public static final String OUTPUT_DIRECTORY = "${project.build.directory}/frankenphp";
    public static final String TEMPLATE_DIRECTORY = "${project.basedir}/src/main/frankenphp";
    public static final String EXPORT = "false";
    public static final String FORCE = "false";
    public static final String BUILD_SKIP = "false";
    public static final String BUILD_TIMEOUT = "60m";
    public static final String PUSH_SKIP = "false";
    public static final String CONNECT_TIMEOUT = "10s";
    public static final String PUSH_ATTEMPTS = "4";
    public static final String PUSH_RETRY_BACKOFF = "2s";
    public static final String PUSH_TIMEOUT = "30m";
    public static final String PUSH_OVERWRITE = "false";
    public static final String RELEASE_SKIP = "false";
    public static final String REGISTRY_CERTS_DIRECTORY = "/etc/docker/certs.d";

    private Defaults() {
    }

    /** The story's production php.ini, plus {@code expose_php=Off}. Keys keep the story's order. */
    public static Map<String, String> phpIni() {
        Map<String, String> ini = new LinkedHashMap<>();
        ini.put("opcache.enable", "1");
        ini.put("opcache.memory_consumption", "256");
        ini.put("opcache.interned_strings_buffer", "16");
        ini.put("opcache.max_accelerated_files", "20000");
        ini.put("opcache.validate_timestamps", "0");
        ini.put("opcache.save_comments", "1");
        ini.put("opcache.jit", "tracing");
        ini.put("opcache.jit_buffer_size", "100M");
        ini.put("memory_limit", "512M");
        ini.put("upload_max_filesize", "20M");
        ini.put("post_max_size", "20M");
        ini.put("max_execution_time", "60");
        ini.put("date.timezone", "Europe/Paris");
        ini.put("session.save_handler", "files");
        ini.put("session.gc_maxlifetime", "1440");
        ini.put("expose_php", "Off");
        return ini;
    }

    /**
     * The name the stack's MySQL answers to on the shared network, and the default DB_HOST. Not the
     * story's plain {@code mysql}: every stack on {@code docker_internal} has a service of that name,
     * so it would resolve to several databases.
     */
    public static String databaseHost(String imageName) {
        // Sanitised, so that an invalid image name is reported once, as itself, not again as DB_HOST.
        String name = imageName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-").replaceAll("^[-.]+", "");
        return (name.isEmpty() ? "app" : name) + "-mysql";
    }

    /**
     * The compose project name on the server when {@code <release><project>} is not set: the image
     * name, in the characters compose allows ({@code e2e/backend-api} becomes {@code e2e-backend-api}).
     */
    public static String composeProject(String imageName) {
        String name = imageName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+", "");
        return name.isEmpty() ? "app" : name;
    }

    /**
     * The story's .env.production keys. Secrets are listed with an empty value: the plugin never
     * writes a secret, the operator fills them in on the server.
     *
     * @param imageName the image name, which makes the database host name unique per stack
     */
    public static Map<String, String> environment(String imageName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("APP_NAME", "Laravel");
        env.put("APP_ENV", "production");
        env.put("APP_KEY", "");
        env.put("APP_DEBUG", "false");
        env.put("APP_URL", "https://api.mdbcopilot.miweb.fr");
        env.put("LOG_CHANNEL", "stderr");
        env.put("DB_CONNECTION", "mysql");
        env.put("DB_HOST", databaseHost(imageName));
        env.put("DB_PORT", "3306");
        env.put("DB_DATABASE", "mdb_copilot_prod");
        env.put("DB_USERNAME", "mdb_user");
        env.put("DB_PASSWORD", "");
        env.put("DB_ROOT_PASSWORD", "");
        env.put("SANCTUM_STATEFUL_DOMAINS", "mdbcopilot.miweb.fr");
        env.put("OCTANE_SERVER", "frankenphp");
        // The story's CACHE_DRIVER; Laravel 11+ reads CACHE_STORE, so both are written.
        env.put("CACHE_DRIVER", "database");
        env.put("CACHE_STORE", "database");
        env.put("QUEUE_CONNECTION", "database");
        return env;
    }
}
