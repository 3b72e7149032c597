package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.SchedulerMode;
import fr.miweb.maven.frankenphp.config.StartupSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link DeploymentConfig} into the variables templates see. Only strings, numbers,
 * booleans, lists and maps go in: no Java object a template could call methods on. The variable
 * names are a documented contract for override templates (docs/templates.md).
 */
public final class TemplateData {

    /** The command the operator runs on the server; DEPLOY.md and the compose file's header quote it. */
    public static final String COMPOSE_FILE = "docker-compose.prod.yml";
    public static final String ENV_FILE = ".env.production";
    public static final String CADDYFILE = "Caddyfile";
    /** The rendered entrypoint, copied into the image. */
    public static final String ENTRYPOINT_FILE = "docker/laravel-entrypoint.sh";
    /** With {@code <release><target>swarm</target>}: the stack file and its proxy's Caddyfile. */
    public static final String STACK_FILE = "docker-stack.yml";
    public static final String STACK_CADDYFILE = "Caddyfile.stack";
    /**
     * Swarm: failing health checks do not count for this long after a task starts (a task joins the
     * rotation as soon as it is healthy, however early). As compose's.
     */
    static final Duration STACK_HEALTH_START_PERIOD = Duration.ofSeconds(60);
    /** Swarm: how long an updated app task is watched for failure; longer than the start period, so a task that never gets healthy is a failure. */
    static final Duration STACK_UPDATE_MONITOR = Duration.ofSeconds(70);

    private TemplateData() {
    }

    public static Map<String, Object> of(DeploymentConfig config, String pluginVersion) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("plugin", Map.of("version", pluginVersion));
        data.put("project", Map.of(
                "artifactId", config.project().artifactId(),
                "version", config.project().version(),
                // A title, on one line: a <name> written over several lines must not add lines to DEPLOY.md.
                "name", config.project().name().strip().replaceAll("\\s+", " ")));
        data.put("image", image(config.image()));
        data.put("php", Map.of(
                "extensions", config.php().extensions(),
                "ini", config.php().ini(),
                "iniTarget", config.php().iniTarget()));
        data.put("octane", octane(config.octane()));
        data.put("compose", compose(config));
        data.put("environment", config.environment());
        data.put("secrets", config.environment().keySet().stream().filter(ConfigValidator::isSecret).toList());
        data.put("files", Map.of("compose", COMPOSE_FILE, "env", ENV_FILE, "caddyfile", CADDYFILE,
                "stack", STACK_FILE, "stackCaddyfile", STACK_CADDYFILE));
        data.put("release", release(config.release()));
        data.put("startup", startup(config.startup()));
        data.put("stack", stack(config, pluginVersion));
        return data;
    }

    private static Map<String, Object> image(ImageSettings image) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("registry", image.registry());
        map.put("name", image.name());
        map.put("repository", image.repository());
        map.put("latest", image.repository() + ":latest");
        map.put("baseImage", image.baseImage());
        map.put("composerImage", image.composerImage());
        map.put("user", image.runtimeUser());
        map.put("uid", image.runtimeUid());
        map.put("tagStrategy", image.tagStrategy().configValue());
        map.put("labels", new TreeMap<>(image.labels()));
        return map;
    }

    private static Map<String, Object> octane(OctaneSettings octane) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("port", octane.port());
        map.put("adminPort", octane.adminPort());
        map.put("workers", octane.workers());
        map.put("maxRequests", octane.maxRequests());
        map.put("healthPath", octane.healthPath());
        map.put("healthUrl", "http://127.0.0.1:" + octane.port() + octane.healthPath());
        map.put("command", List.of("php", "artisan", "octane:frankenphp",
                "--host=0.0.0.0",
                "--port=" + octane.port(),
                "--admin-port=" + octane.adminPort(),
                "--workers=" + octane.workers(),
                "--max-requests=" + octane.maxRequests()));
        return map;
    }

    private static Map<String, Object> compose(DeploymentConfig config) {
        ComposeSettings compose = config.compose();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("network", compose.network());
        map.put("publishedPort", compose.publishedPort());
        map.put("mysqlImage", compose.mysqlImage());
        map.put("mysqlVolume", compose.mysqlVolume());
        map.put("queueCommand", List.of("php", "artisan", "queue:work",
                "--sleep=" + compose.queueSleep(),
                "--tries=" + compose.queueTries(),
                "--max-time=" + compose.queueMaxTime()));
        map.put("queueStopGracePeriod", composeDuration(compose.queueStopGracePeriod()));
        map.put("schedulerMode", compose.schedulerMode().configValue());
        map.put("schedulerCommand", compose.schedulerMode() == SchedulerMode.WORK
                ? List.of("php", "artisan", "schedule:work")
                : List.of("sh", "-c", "while true; do php artisan schedule:run; sleep 60; done"));
        map.put("watchtowerLabels", compose.watchtowerLabels());
        map.put("proxyImage", compose.proxyImage());
        // The name MySQL answers to on the shared network: whatever DB_HOST the app is told to use.
        map.put("databaseHost", config.environment().getOrDefault("DB_HOST", Defaults.databaseHost(config.image().name())));
        // -p: releases find the stack's containers by this project name.
        map.put("command", "docker compose -p " + config.release().project() + " --env-file " + ENV_FILE + " -f " + COMPOSE_FILE);
        map.put("upCommand", map.get("command") + " up -d");
        List<String> interpolated = new ArrayList<>(List.of("DB_DATABASE", "DB_USERNAME", "DB_PASSWORD", "DB_ROOT_PASSWORD"));
        map.put("interpolatedVariables", interpolated);
        return map;
    }

    private static Map<String, Object> release(ReleaseSettings release) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", release.target().configValue());
        map.put("project", release.project());
        map.put("primarySlot", release.primarySlot());
        // In the proxy's order of preference: the candidate first.
        map.put("slots", List.of(release.candidateSlot(), release.primarySlot()));
        map.put("dockerHost", release.dockerHost().map(Object::toString).orElse(""));
        map.put("healthTimeout", composeDuration(release.healthTimeout()));
        map.put("drainTimeout", composeDuration(release.drainTimeout()));
        map.put("migrate", release.migrate());
        map.put("url", release.url().map(Object::toString).orElse(""));
        map.put("watchtowerUrl", release.watchtowerUrl().map(Object::toString).orElse(""));
        map.put("watchtowerServerId", release.watchtowerServerId());
        // The host port DEPLOY.md publishes Watchtower's API on (it listens on 8080 in its container).
        map.put("watchtowerPort", release.watchtowerUrl().filter(u -> u.getPort() > 0).map(java.net.URI::getPort).orElse(8080));
        return map;
    }

    private static Map<String, Object> startup(StartupSettings startup) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("configCache", startup.configCache());
        map.put("routeCache", startup.routeCache());
        map.put("eventCache", startup.eventCache());
        map.put("viewCache", startup.viewCache());
        map.put("storageLink", startup.storageLink());
        // The artisan commands the entrypoint runs, in order.
        map.put("cacheCommands", startup.cacheCommands());
        map.put("entrypoint", Defaults.ENTRYPOINT_PATH);
        map.put("entrypointSource", ENTRYPOINT_FILE);
        return map;
    }

    /** What docker-stack.yml and Caddyfile.stack need beyond the compose file's values. */
    private static Map<String, Object> stack(DeploymentConfig config, String pluginVersion) {
        ReleaseSettings release = config.release();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", release.project());
        map.put("replicas", release.replicas());
        map.put("databaseNode", release.databaseNode());
        map.put("databaseConstraint", release.databaseConstraint());
        Map<String, String> services = new LinkedHashMap<>();
        for (String service : List.of("proxy", "app", "queue", "scheduler", "mysql")) {
            services.put(service, release.swarmService(service));
        }
        map.put("services", services);
        // The proxy's upstreams: every healthy app task, from Swarm's DNS (dnsrr; no VIP).
        map.put("appTasks", "tasks." + release.swarmService("app"));
        map.put("healthStartPeriod", composeDuration(STACK_HEALTH_START_PERIOD));
        map.put("monitor", composeDuration(STACK_UPDATE_MONITOR));
        // Swarm configs cannot change: a new Caddyfile needs a new name. The name follows what shapes the file.
        String shapedBy = pluginVersion + "\n" + config.octane().port() + "\n" + config.octane().healthPath() + "\n" + release.project();
        map.put("caddyfileConfig", release.project() + "-caddyfile-"
                + Exporter.sha256(shapedBy.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12));
        map.put("deployCommand", "docker stack deploy --with-registry-auth -c " + STACK_FILE + " " + release.project());
        map.put("networkCommand", "docker network create -d overlay --attachable " + config.compose().network());
        return map;
    }

    /** Compose's duration syntax: whole seconds, e.g. {@code 90s}. */
    static String composeDuration(Duration duration) {
        return Math.max(1, duration.toSeconds()) + "s";
    }
}
