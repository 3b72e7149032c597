package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.config.SchedulerMode;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-stack.yml and Caddyfile.stack, rendered with {@code <release><target>swarm</target>}, read back by the
 * tools that consume them: SnakeYAML, docker-compose 1.29's validator, Caddy's parser, and /bin/sh for MySQL's
 * entrypoint. (The real {@code docker stack deploy} of the file is in release/SwarmReleaseTest, on the engine.)
 */
class StackTemplateTest {

    private static final String STACK = "docker-stack.yml";

    @TempDir
    Path directory;

    static DeploymentConfig swarm(DeploymentConfig base, String project, int replicas, String databaseNode) throws Exception {
        ReleaseSettings r = base.release();
        DeploymentConfig config = new DeploymentConfig(base.project(), base.image(), base.php(), base.octane(), base.compose(),
                base.environment(), new ReleaseSettings(ReleaseTarget.SWARM, Optional.of(URI.create("ssh://deploy@manager")),
                Optional.empty(), project, r.url(), r.healthTimeout(), r.drainTimeout(), r.migrate(), r.migrationTimeout(),
                r.watchtowerUrl(), r.watchtowerServerId(), replicas, databaseNode));
        ConfigValidator.validate(config);
        return config;
    }

    private DeploymentConfig customised() throws Exception {
        DeploymentConfig base = TestConfigs.defaults(directory);
        DeploymentConfig changed = new DeploymentConfig(base.project(), TestConfigs.image("localhost:5000", "team/shop-api"), base.php(),
                new OctaneSettings(8080, 2020, "4", 1000, "/up"),
                new ComposeSettings("web", 8081, "mysql:8.4", "db-data", 5, 2, 1800, Duration.ofMinutes(5),
                        SchedulerMode.LOOP, false, "caddy:2.10"),
                base.environment(), base.release());
        return swarm(changed, "shop", 3, "db=primary");
    }

    private Map<String, String> render(DeploymentConfig config) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (RenderedFile file : DeploymentFiles.render(config, null, "1.2.3")) {
            files.put(file.relativePath(), file.text());
            Path target = directory.resolve(file.relativePath());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.text(), StandardCharsets.UTF_8);
        }
        return files;
    }

    @Test
    void theStackFilesComeOnlyWithTheSwarmTarget() throws Exception {
        Set<String> compose = render(TestConfigs.defaults(directory)).keySet();
        assertFalse(compose.contains(STACK), compose::toString);
        assertFalse(compose.contains("Caddyfile.stack"), compose::toString);
        Set<String> swarm = render(swarm(TestConfigs.defaults(directory), "mdb-copilot-api", 2, Defaults.RELEASE_DATABASE_NODE)).keySet();
        assertTrue(swarm.containsAll(List.of(STACK, "Caddyfile.stack", "docker-compose.prod.yml", "Caddyfile", "DEPLOY.md")), swarm::toString);
    }

    @Test
    void appIsReplicatedHealthGatedStartFirstAndRolledBackBySwarm() throws Exception {
        Map<String, Object> services = map(yaml(render(customised()).get(STACK)), "services");
        Map<String, Object> app = map(services, "app");
        assertEquals("localhost:5000/team/shop-api:${APP_IMAGE_TAG:-latest}", app.get("image"));
        assertEquals(List.of(".env.production"), app.get("env_file"));
        Map<String, Object> deploy = map(app, "deploy");
        assertEquals(3, deploy.get("replicas"), "<release><replicas>");
        assertEquals("dnsrr", deploy.get("endpoint_mode"), "no VIP: IPVS is not everywhere, and the proxy balances");
        Map<String, Object> update = map(deploy, "update_config");
        assertEquals("start-first", update.get("order"));
        assertEquals(1, update.get("parallelism"));
        assertEquals("rollback", update.get("failure_action"));
        Map<String, Object> health = map(app, "healthcheck");
        assertEquals(List.of("CMD", "curl", "-fsS", "--max-time", "4", "http://127.0.0.1:8080/up"), health.get("test"));
        Duration startPeriod = duration(health.get("start_period"));
        assertTrue(duration(update.get("monitor")).compareTo(startPeriod) > 0, "monitor longer than the health start period");
        Map<String, Object> rollback = map(deploy, "rollback_config");
        assertEquals("start-first", rollback.get("order"), "a rollback keeps the app up too");
        assertEquals(1, rollback.get("parallelism"));
    }

    @Test
    void workersDatabaseProxyAndNetworkAreSwarmReady() throws Exception {
        Map<String, Object> stack = yaml(render(customised()).get(STACK));
        Map<String, Object> services = map(stack, "services");
        assertEquals(Set.of("proxy", "app", "queue", "scheduler", "mysql"), services.keySet());
        for (String name : services.keySet()) {
            Map<String, Object> service = map(services, name);
            assertEquals("dnsrr", map(service, "deploy").get("endpoint_mode"), name);
            assertEquals(List.of("web"), name.equals("mysql") ? List.copyOf(map(service, "networks").keySet()) : service.get("networks"), name);
            assertFalse(service.containsKey("environment"), name + ": no value inline, secrets come from the env file");
            assertFalse(service.containsKey("depends_on"), name + ": docker stack deploy ignores depends_on");
        }
        Map<String, Object> queue = map(services, "queue");
        assertEquals("300s", queue.get("stop_grace_period"));
        assertEquals(Map.of("disable", true), queue.get("healthcheck"));
        Map<String, Object> scheduler = map(services, "scheduler");
        assertEquals(1, map(scheduler, "deploy").get("replicas"), "exactly one scheduler");
        assertEquals("stop-first", map(map(scheduler, "deploy"), "update_config").get("order"), "never two schedulers, not even during an update");
        Map<String, Object> mysql = map(services, "mysql");
        assertEquals(List.of("node.labels.db == primary"), map(map(mysql, "deploy"), "placement").get("constraints"));
        assertEquals(1, map(mysql, "deploy").get("replicas"));
        assertEquals("stop-first", map(map(mysql, "deploy"), "update_config").get("order"), "one mysqld per data directory");
        assertEquals(List.of("db-data:/var/lib/mysql"), mysql.get("volumes"));
        assertEquals(List.of(Defaults.databaseHost("mdb-copilot-api")), map(map(mysql, "networks"), "web").get("aliases"), "DB_HOST of the env");
        Map<String, Object> proxy = map(services, "proxy");
        assertEquals(List.of(Map.of("target", 80, "published", 8081, "protocol", "tcp", "mode", "host")), proxy.get("ports"),
                "published in host mode: no ingress routing mesh");
        assertEquals("global", map(proxy, "deploy").get("mode"));
        assertEquals(Map.of("external", true), map(map(stack, "networks"), "web"));
        Map<String, Object> caddyfile = map(map(stack, "configs"), "caddyfile");
        assertEquals("./Caddyfile.stack", caddyfile.get("file"));
        assertTrue(String.valueOf(caddyfile.get("name")).matches("shop-caddyfile-[0-9a-f]{12}"), caddyfile::toString);
        // The header gives the first install's commands.
        String text = render(customised()).get(STACK);
        assertTrue(text.contains("docker network create -d overlay --attachable web"), text);
        assertTrue(text.contains("docker stack deploy --with-registry-auth -c docker-stack.yml shop"), text);
    }

    @Test
    void theCaddyfileConfigNameChangesWithWhatShapesTheFile() throws Exception {
        String first = String.valueOf(map(map(yaml(render(customised()).get(STACK)), "configs"), "caddyfile").get("name"));
        String defaults = String.valueOf(map(map(yaml(render(swarm(TestConfigs.defaults(directory), "shop", 2,
                Defaults.RELEASE_DATABASE_NODE)).get(STACK)), "configs"), "caddyfile").get("name"));
        assertNotEquals(first, defaults, "another port and health path: another config (Swarm configs are immutable)");
    }

    /** docker-compose 1.29 validates the file against the compose 3.8 schema, as docker stack deploy reads it. */
    @Test
    void dockerComposeAcceptsTheStackFile() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        render(customised());
        Files.writeString(directory.resolve(".env.production"), "DB_PASSWORD=p\nDB_ROOT_PASSWORD=r\n", StandardCharsets.UTF_8);
        Tools.Result result = Tools.run(directory, List.of("docker-compose", "-f", STACK, "config"));
        assertEquals(0, result.exitCode(), result::describe);
        assertFalse(result.stderr().contains("WARNING"), result::describe);
        Map<String, Object> resolved = yaml(result.stdout());
        Map<String, Object> app = map(map(resolved, "services"), "app");
        assertEquals("localhost:5000/team/shop-api:latest", app.get("image"));
        // The env file's values reach the services, through env_file: none is written into the stack file.
        assertEquals("p", map(app, "environment").get("DB_PASSWORD"));
        assertFalse(render(customised()).get(STACK).contains("DB_PASSWORD=p"));
    }

    /** Caddy's own parser: the upstreams are every app task from Swarm's DNS, re-read every second. */
    @Test
    void caddyfileStackRoutesToTheAppTasksFromSwarmDns() throws Exception {
        Tools.assumeInstalled("caddy", "version");
        render(customised());
        Tools.Result adapted = Tools.run(directory, List.of("caddy", "adapt", "--config", "Caddyfile.stack", "--adapter", "caddyfile"));
        assertEquals(0, adapted.exitCode(), adapted::describe);
        assertFalse(adapted.stderr().contains("WARN"), adapted::describe);
        Map<?, ?> config = new ObjectMapper().readValue(adapted.stdout(), Map.class);
        Map<?, ?> server = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) config.get("apps")).get("http")).get("servers")).values().iterator().next();
        assertEquals(List.of(":80"), server.get("listen"));
        Map<?, ?> proxy = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) server.get("routes")).get(0)).get("handle")).get(0);
        Map<?, ?> dynamic = (Map<?, ?>) proxy.get("dynamic_upstreams");
        assertEquals("a", dynamic.get("source"));
        assertEquals("tasks.shop_app", dynamic.get("name"));
        assertEquals("8080", String.valueOf(dynamic.get("port")));
        assertEquals(1_000_000_000L, ((Number) dynamic.get("refresh")).longValue());
        Map<?, ?> loadBalancing = (Map<?, ?>) proxy.get("load_balancing");
        assertEquals(10_000_000_000L, ((Number) loadBalancing.get("try_duration")).longValue());
    }

    /** MySQL's entrypoint, run by /bin/sh as the container would, with the env file's variables. */
    @Test
    void mysqlGetsItsVariablesFromTheAppsAndStopsWithoutThem() throws Exception {
        Map<String, Object> mysql = map(map(yaml(render(customised()).get(STACK)), "services"), "mysql");
        List<?> entrypoint = (List<?>) mysql.get("entrypoint");
        assertEquals(List.of("sh", "-c"), entrypoint.subList(0, 2));
        // As compose reads it: $$ is a literal $.
        String script = String.valueOf(entrypoint.get(2)).replace("$$", "$");
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path fake = bin.resolve("docker-entrypoint.sh");
        Files.writeString(fake, "#!/bin/sh\necho \"$1 $MYSQL_DATABASE $MYSQL_USER $MYSQL_PASSWORD $MYSQL_ROOT_PASSWORD\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");
        Tools.Result ok = Tools.run(directory, List.of("/bin/sh", "-c", script), Map.of("PATH", path,
                "DB_DATABASE", "shop", "DB_USERNAME", "u", "DB_PASSWORD", "p w", "DB_ROOT_PASSWORD", "r$x"));
        assertEquals(0, ok.exitCode(), ok::describe);
        assertEquals("mysqld shop u p w r$x\n", ok.stdout());
        Tools.Result missing = Tools.run(directory, List.of("/bin/sh", "-c", script), Map.of("PATH", path,
                "DB_DATABASE", "shop", "DB_USERNAME", "u", "DB_ROOT_PASSWORD", "r"));
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("set DB_PASSWORD in .env.production"), missing::describe);
    }

    /** DEPLOY.md gives the first install's commands for this stack, the same as the stack file's header. */
    @Test
    void deployDocHasTheSwarmSectionWithTheStacksCommands() throws Exception {
        Map<String, String> files = render(customised());
        String deploy = files.get("DEPLOY.md");
        assertTrue(deploy.contains("## Docker Swarm"), deploy);
        for (String command : List.of("docker network create -d overlay --attachable web",
                "docker node update --label-add db=primary <node>",
                "docker stack deploy --with-registry-auth -c docker-stack.yml shop",
                "docker run --rm --network web --env-file .env.production localhost:5000/team/shop-api:latest php artisan migrate --force")) {
            assertTrue(deploy.contains("\n" + command + "\n"), () -> "DEPLOY.md lacks the line: " + command);
        }
        assertFalse(render(TestConfigs.defaults(directory)).get("DEPLOY.md").contains("## Docker Swarm"), "only with the swarm target");
    }

    private static Duration duration(Object value) {
        String text = String.valueOf(value);
        assertTrue(text.matches("[0-9]+s"), text);
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static Map<String, Object> yaml(String text) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertTrue(child instanceof Map, () -> key + " is not a mapping: " + child);
        return (Map<String, Object>) child;
    }
}
