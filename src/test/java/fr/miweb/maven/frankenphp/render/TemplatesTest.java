package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.Durations;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.OctaneSettings;
import fr.miweb.maven.frankenphp.config.PhpSettings;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.Records;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.config.SchedulerMode;
import fr.miweb.maven.frankenphp.config.TagStrategy;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.context.SecretFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The built-in templates, rendered for the defaults (the seed story's values) and for a customised
 * configuration, and read back with the tools that will consume them: SnakeYAML and docker-compose for
 * the compose file, PHP for php.ini, dash for the Dockerfile's shell commands, the plugin's Docker-exact
 * .dockerignore matcher.
 */
class TemplatesTest {

    private static final String COMPOSE = "docker-compose.prod.yml";
    private static final List<String> APP_SERVICES = List.of("app", "queue", "scheduler");
    private static final String WATCHTOWER_LABEL = "com.centurylinklabs.watchtower.enable";
    private static final Map<String, String> DB_VARIABLES = Map.of(
            "DB_DATABASE", "mdb_copilot_prod", "DB_USERNAME", "mdb_user",
            "DB_PASSWORD", "db-secret-1", "DB_ROOT_PASSWORD", "root-secret-2");

    @TempDir
    Path directory;

    // ---------------------------------------------------------------- configurations

    private DeploymentConfig defaults() {
        return TestConfigs.defaults(directory);
    }

    /** Every setting changed, so a value hard-coded in a template instead of read from the config shows. */
    private DeploymentConfig customised() throws Exception {
        Map<String, String> ini = new LinkedHashMap<>(Defaults.phpIni());
        ini.put("memory_limit", "1G");
        ini.put("error_log", "/var/log/php errors.log");
        Map<String, String> environment = new LinkedHashMap<>(Defaults.environment("mdb-copilot-api"));
        environment.put("APP_NAME", "Shop API");
        environment.put("APP_URL", "https://shop.example.com");
        environment.put("MAIL_FROM_ADDRESS", "ops@shop.example.com");
        DeploymentConfig config = new DeploymentConfig(
                new ProjectInfo(directory, "shop-api", "2.3.4", "Shop API"),
                new ImageSettings("localhost:5000", "team/shop-api", "dunglas/frankenphp:1.9-php8.4-trixie", "composer:2.8",
                        null, TagStrategy.PROJECT_VERSION, Map.of(), Map.of(), false, false, "www", 1001),
                new PhpSettings(List.of("pdo_mysql", "pcntl", "redis"), ini, "/usr/local/etc/php/conf.d/99-app.ini"),
                new OctaneSettings(8080, 2020, "4", 1000, "/up"),
                new ComposeSettings("web", 8081, "mysql:8.4", "db-data", 5, 2, 1800, Duration.ofMinutes(5),
                        SchedulerMode.LOOP, false, "caddy:2.10"),
                environment, TestConfigs.release("shop"));
        ConfigValidator.validate(config);
        return config;
    }

    private static Map<String, String> render(DeploymentConfig config) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (RenderedFile file : DeploymentFiles.render(config, null, "1.2.3")) {
            files.put(file.relativePath(), file.text());
        }
        return files;
    }

    @Test
    void rendersTheSeedsFileLayout() throws Exception {
        assertEquals(Set.of("Dockerfile", COMPOSE, "Caddyfile", "docker/php/php.ini", "docker/laravel-entrypoint.sh", ".dockerignore", ".env.production.example",
                "DEPLOY.md"), render(defaults()).keySet());
    }

    // ---------------------------------------------------------------- docker-compose.prod.yml

    @Test
    void composeFileForTheDefaultsHasTheSeedsStack() throws Exception {
        Map<String, Object> compose = yaml(render(defaults()).get(COMPOSE));

        assertStackInvariants(compose, "docker_internal", "mysql-data", true);
        Map<String, Object> services = map(compose, "services");
        for (String name : APP_SERVICES) {
            // Literally, before interpolation: the tag is the rollback switch.
            assertEquals("docker-registry.miweb.fr/mdb-copilot-api:${APP_IMAGE_TAG:-latest}", map(services, name).get("image"));
        }
        // The proxy publishes the port and routes to app's release slots; app publishes nothing.
        assertEquals(List.of("80:80"), map(services, "proxy").get("ports"));
        assertEquals("caddy:2", map(services, "proxy").get("image"));
        assertEquals(List.of("./Caddyfile:/etc/caddy/Caddyfile:ro"), map(services, "proxy").get("volumes"));
        assertEquals("mdb-copilot-api-app", map(services, "app").get("container_name"));
        assertEquals(List.of("CMD", "curl", "-fsS", "--max-time", "4", "http://127.0.0.1:80/api/health"),
                map(map(services, "app"), "healthcheck").get("test"));
        assertEquals("mysql:8.0", map(services, "mysql").get("image"));
        assertEquals("php artisan queue:work --sleep=3 --tries=3 --max-time=3600",
                String.join(" ", strings(map(services, "queue").get("command"))));
        assertEquals(List.of("php", "artisan", "schedule:work"), map(services, "scheduler").get("command"));
        // Longer than queue:work's default 60 s job timeout, so a running job finishes on deploy.
        Duration grace = Durations.parse((String) map(services, "queue").get("stop_grace_period")).orElseThrow();
        assertTrue(grace.compareTo(Duration.ofSeconds(60)) > 0, "stop_grace_period " + grace);
    }

    @Test
    void composeFileForACustomisedConfigurationUsesEveryValue() throws Exception {
        Map<String, Object> compose = yaml(render(customised()).get(COMPOSE));

        assertStackInvariants(compose, "web", "db-data", false);
        Map<String, Object> services = map(compose, "services");
        assertEquals("localhost:5000/team/shop-api:${APP_IMAGE_TAG:-latest}", map(services, "app").get("image"));
        assertEquals(List.of("8081:80"), map(services, "proxy").get("ports"));
        assertEquals("caddy:2.10", map(services, "proxy").get("image"));
        assertEquals("shop-app", map(services, "app").get("container_name"));
        assertEquals("http://127.0.0.1:8080/up", last(strings(map(map(services, "app"), "healthcheck").get("test"))));
        assertEquals("mysql:8.4", map(services, "mysql").get("image"));
        assertEquals(List.of("php", "artisan", "queue:work", "--sleep=5", "--tries=2", "--max-time=1800"),
                map(services, "queue").get("command"));
        assertEquals("300s", map(services, "queue").get("stop_grace_period"));
        // The seed's shell loop, which must still be valid sh.
        List<String> scheduler = strings(map(services, "scheduler").get("command"));
        assertEquals(List.of("sh", "-c", "while true; do php artisan schedule:run; sleep 60; done"), scheduler);
        Tools.assumeInstalled("/bin/sh", "-c", "true");
        Tools.Result syntax = Tools.run(directory, List.of("/bin/sh", "-n", "-c", scheduler.get(2)));
        assertEquals(0, syntax.exitCode(), syntax::describe);
    }

    private static void assertStackInvariants(Map<String, Object> compose, String network, String volume, boolean watchtower) {
        assertFalse(compose.containsKey("version"), "compose v2 ignores and warns about a top-level version key");
        Map<String, Object> services = map(compose, "services");
        assertEquals(Set.of("proxy", "app", "queue", "scheduler", "mysql"), services.keySet());
        services.forEach((name, service) -> {
            Map<String, Object> definition = castMap(service);
            if (name.equals("mysql")) {
                // On the shared network MySQL answers to this stack's DB_HOST, never only to "mysql".
                assertEquals(Map.of(network, Map.of("aliases", List.of("mdb-copilot-api-mysql"))), definition.get("networks"), "mysql networks");
            } else {
                assertEquals(List.of(network), definition.get("networks"), name + " networks");
            }
            assertEquals("unless-stopped", definition.get("restart"), name + " restart");
            if (!name.equals("proxy")) {
                assertNull(definition.get("ports"), name + " must not publish a port");
            }
        });
        assertEquals(Map.of("external", true), map(map(compose, "networks"), network));
        assertTrue(map(compose, "volumes").containsKey(volume), "named volume " + volume);
        for (String name : APP_SERVICES) {
            Map<String, Object> service = map(services, name);
            assertEquals(List.of(".env.production"), service.get("env_file"), name + " env_file");
            assertEquals("service_healthy", map(map(service, "depends_on"), "mysql").get("condition"), name + " depends_on");
            Object labels = service.get("labels");
            if (watchtower) {
                assertEquals("true", map(service, "labels").get(WATCHTOWER_LABEL), name + " watchtower label");
            } else {
                assertNull(labels, name + " labels");
            }
        }
        // The image's HEALTHCHECK polls HTTP, which workers do not serve.
        assertEquals(Map.of("disable", true), map(services, "queue").get("healthcheck"));
        assertEquals(Map.of("disable", true), map(services, "scheduler").get("healthcheck"));

        Map<String, Object> mysql = map(services, "mysql");
        assertNull(mysql.get("labels"), "Watchtower must never restart the database");
        assertEquals(List.of(volume + ":/var/lib/mysql"), mysql.get("volumes"));
        String healthcheck = String.join(" ", strings(map(mysql, "healthcheck").get("test")));
        assertTrue(healthcheck.contains("mysqladmin ping -h 127.0.0.1"), "TCP ping, not the init server's socket: " + healthcheck);
        // No secret inline: every value is interpolated from the env file, and compose stops if one is missing.
        Map<String, Object> environment = map(mysql, "environment");
        assertEquals(Set.of("MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"), environment.keySet());
        environment.forEach((key, value) -> assertTrue(String.valueOf(value).matches("\\$\\{DB_[A-Z_]+:\\?[^}]*}"),
                key + " must be a required interpolation, not a literal: " + value));
        services.forEach((name, service) -> assertFalse(castMap(service).containsKey("environment") && !name.equals("mysql"),
                name + " gets its environment from .env.production only"));
    }

    @Test
    void dockerComposeAcceptsTheDefaultStackAndInterpolatesTheEnvFile() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        writeRendered(render(defaults()));
        writeEnvFile(DB_VARIABLES);

        Map<String, Object> resolved = composeConfig(".env.production");

        Map<String, Object> services = map(resolved, "services");
        assertEquals("db-secret-1", map(map(services, "mysql"), "environment").get("MYSQL_PASSWORD"));
        assertEquals("mdb_copilot_prod", map(map(services, "mysql"), "environment").get("MYSQL_DATABASE"));
        assertEquals("docker-registry.miweb.fr/mdb-copilot-api:latest", map(services, "app").get("image"));
    }

    @Test
    void pinningAppImageTagInTheEnvFileRollsEveryAppServiceBack() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        writeRendered(render(defaults()));
        Map<String, String> variables = new LinkedHashMap<>(DB_VARIABLES);
        variables.put("APP_IMAGE_TAG", "20240101-120000");
        writeEnvFile(variables);

        Map<String, Object> services = map(composeConfig(".env.production"), "services");

        for (String name : APP_SERVICES) {
            assertEquals("docker-registry.miweb.fr/mdb-copilot-api:20240101-120000", map(services, name).get("image"));
        }
        assertEquals("mysql:8.0", map(services, "mysql").get("image"));
    }

    @Test
    void dockerComposeStopsAndNamesAMissingDatabasePassword() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        writeRendered(render(defaults()));
        Map<String, String> variables = new LinkedHashMap<>(DB_VARIABLES);
        variables.remove("DB_PASSWORD");
        writeEnvFile(variables);

        Tools.Result result = Tools.run(directory, List.of("docker-compose", "--env-file", ".env.production", "-f", COMPOSE, "config"));

        assertNotEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stderr().contains("DB_PASSWORD"), result::describe);
    }

    @Test
    void dockerComposeReadsTheCustomisedStackAndTheExampleEnvFileOnceSecretsAreFilledIn() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        Map<String, String> files = render(customised());
        writeRendered(files);
        // What DEPLOY.md tells the operator to do: copy the example and fill in the empty secrets.
        String filled = files.get(".env.production.example")
                .replace("\nDB_PASSWORD=\n", "\nDB_PASSWORD=db-secret-1\n")
                .replace("\nDB_ROOT_PASSWORD=\n", "\nDB_ROOT_PASSWORD=root-secret-2\n");
        Files.writeString(directory.resolve(".env.production"), filled, StandardCharsets.UTF_8);

        Map<String, Object> services = map(composeConfig(".env.production"), "services");

        assertEquals("localhost:5000/team/shop-api:latest", map(services, "app").get("image"));
        assertEquals("db-secret-1", map(map(services, "mysql"), "environment").get("MYSQL_PASSWORD"));
        assertEquals("mdb_copilot_prod", map(map(services, "mysql"), "environment").get("MYSQL_DATABASE"));
        Map<String, Object> appEnvironment = map(map(services, "app"), "environment");
        assertEquals("Shop API", appEnvironment.get("APP_NAME"));
        assertEquals("ops@shop.example.com", appEnvironment.get("MAIL_FROM_ADDRESS"));
        assertEquals("false", appEnvironment.get("APP_DEBUG"));
    }

    /**
     * Network and volume names are YAML keys too: names that YAML 1.1 reads as a number, a boolean, null or a date
     * must stay the strings the user wrote, for SnakeYAML and for docker-compose (issue 11, item 7).
     */
    @Test
    void networkAndVolumeNamesThatLookLikeYamlScalarsStayStrings() throws Exception {
        Tools.assumeInstalled("docker-compose", "version");
        for (String name : List.of("123", "true", "null", "on", "yes", "1.0", "2024-01-01", "0x1F", "1e3", "NO")) {
            DeploymentConfig config = defaults();
            config = Records.with(config, "compose", Records.with(Records.with(config.compose(), "network", name), "mysqlVolume", name));
            ConfigValidator.validate(config);
            String text = render(config).get(COMPOSE);

            Map<String, Object> compose = yaml(text);
            assertEquals(Set.of(name), map(compose, "networks").keySet(), () -> "networks keys for " + name);
            assertEquals(Set.of(name), map(compose, "volumes").keySet(), () -> "volumes keys for " + name);
            assertStackInvariants(compose, name, name, true);

            writeRendered(Map.of(COMPOSE, text));
            writeEnvFile(DB_VARIABLES);
            // compose refuses a non-string network or volume name; --volumes lists the names as it read them. (Its full
            // output is not read back with SnakeYAML here: PyYAML writes 1e3 bare, which SnakeYAML reads as a float.)
            Tools.Result volumes = Tools.run(directory, List.of("docker-compose", "--env-file", ".env.production", "-f", COMPOSE,
                    "config", "--volumes"));
            assertEquals(0, volumes.exitCode(), volumes::describe);
            assertEquals(name, volumes.stdout().strip(), () -> "docker-compose volumes for " + name);
            Map<String, Object> resolved = composeConfig(".env.production");
            assertEquals(1, map(resolved, "networks").size(), () -> "docker-compose networks for " + name);
        }
    }

    private Map<String, Object> composeConfig(String envFile) throws Exception {
        Tools.Result result = Tools.run(directory, List.of("docker-compose", "--env-file", envFile, "-f", COMPOSE, "config"));
        assertEquals(0, result.exitCode(), result::describe);
        return yaml(result.stdout());
    }

    private void writeRendered(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = directory.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
    }

    private void writeEnvFile(Map<String, String> variables) throws IOException {
        String content = variables.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining());
        Files.writeString(directory.resolve(".env.production"), content, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- Caddyfile

    /**
     * Caddy's own parser: the proxy prefers a release's candidate container to the app container, and checks both
     * on their health path every second.
     */
    @Test
    void caddyfileRoutesToTheCandidateFirstThenTheAppWithActiveHealthChecks() throws Exception {
        Tools.assumeInstalled("caddy", "version");
        writeRendered(render(customised()));
        Tools.Result adapted = Tools.run(directory, List.of("caddy", "adapt", "--config", "Caddyfile", "--adapter", "caddyfile"));
        assertEquals(0, adapted.exitCode(), adapted::describe);
        assertFalse(adapted.stderr().contains("WARN"), adapted::describe);
        Map<?, ?> config = new ObjectMapper().readValue(adapted.stdout(), Map.class);
        Map<?, ?> server = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) config.get("apps")).get("http")).get("servers")).values().iterator().next();
        assertEquals(List.of(":80"), server.get("listen"));
        Map<?, ?> proxy = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) server.get("routes")).get(0)).get("handle")).get(0);
        assertEquals("reverse_proxy", proxy.get("handler"));
        assertEquals(List.of(Map.of("dial", "shop-app-next:8080"), Map.of("dial", "shop-app:8080")), proxy.get("upstreams"));
        Map<?, ?> active = (Map<?, ?>) ((Map<?, ?>) proxy.get("health_checks")).get("active");
        assertEquals("/up", active.get("uri"));
        assertEquals(1_000_000_000L, ((Number) active.get("interval")).longValue());
        Map<?, ?> loadBalancing = (Map<?, ?>) proxy.get("load_balancing");
        assertEquals("first", ((Map<?, ?>) loadBalancing.get("selection_policy")).get("policy"),
                "the first healthy upstream in order: a healthy candidate takes every request");
        assertEquals(10_000_000_000L, ((Number) loadBalancing.get("try_duration")).longValue(), "a request waits for a slot, not fails");
        assertEquals("localhost:2019", ((Map<?, ?>) config.get("admin")).get("listen"), "the admin API stays inside the container");
        Map<?, ?> defaultLog = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) config.get("logging")).get("logs")).get("default");
        assertEquals(List.of("http.handlers.reverse_proxy.health_checker.active"), defaultLog.get("exclude"),
                "the empty slot's failing health check is not logged every second");
    }

    // ---------------------------------------------------------------- php.ini

    private static final Map<String, String> SEED_INI = Map.ofEntries(
            Map.entry("opcache.enable", "1"),
            Map.entry("opcache.memory_consumption", "256"),
            Map.entry("opcache.interned_strings_buffer", "16"),
            Map.entry("opcache.max_accelerated_files", "20000"),
            Map.entry("opcache.validate_timestamps", "0"),
            Map.entry("opcache.save_comments", "1"),
            Map.entry("opcache.jit", "tracing"),
            Map.entry("opcache.jit_buffer_size", "100M"),
            Map.entry("memory_limit", "512M"),
            Map.entry("upload_max_filesize", "20M"),
            Map.entry("post_max_size", "20M"),
            Map.entry("max_execution_time", "60"),
            Map.entry("date.timezone", "Europe/Paris"),
            Map.entry("session.save_handler", "files"),
            Map.entry("session.gc_maxlifetime", "1440"),
            // Off, as PHP's ini scanner reads it.
            Map.entry("expose_php", ""));

    @Test
    void phpIniHasEverySeedValueAsPhpParsesIt() throws Exception {
        Tools.assumeInstalled("php", "-n", "-v");
        Path ini = write("php.ini", render(defaults()).get("docker/php/php.ini"));

        assertEquals(SEED_INI, parseIni(ini));
    }

    @Test
    void phpIniSeedValuesAreTheOnesPhpRunsWith() throws Exception {
        Tools.assumeInstalled("php", "-n", "-d", "zend_extension=opcache", "-r", "exit(extension_loaded('Zend OPcache') ? 0 : 1);");
        Path ini = write("php.ini", render(defaults()).get("docker/php/php.ini"));

        Map<String, String> effective = effectiveIni(ini, SEED_INI.keySet());

        Map<String, String> expected = new LinkedHashMap<>(SEED_INI);
        expected.put("max_execution_time", "0"); // the CLI forces 0 whatever php.ini says
        assertEquals(expected, effective);
    }

    @Test
    void phpIniOverrideFromTheConfigurationReplacesTheDefault() throws Exception {
        Tools.assumeInstalled("php", "-n", "-v");
        Path ini = write("php.ini", render(customised()).get("docker/php/php.ini"));

        Map<String, String> parsed = parseIni(ini);

        assertEquals("1G", parsed.get("memory_limit"));
        assertEquals("/var/log/php errors.log", parsed.get("error_log"));
        assertEquals("Europe/Paris", parsed.get("date.timezone"));
        assertEquals(SEED_INI.size() + 1, parsed.size(), "one directive each, the override replacing the default");
        assertEquals("1G", effectiveIni(ini, Set.of("memory_limit")).get("memory_limit"));
    }

    private Map<String, String> parseIni(Path ini) throws Exception {
        Tools.Result result = Tools.run(directory, List.of("php", "-n", "-r",
                "$v = parse_ini_file($argv[1], false, INI_SCANNER_NORMAL); if ($v === false) exit(3); echo json_encode($v);",
                ini.toString()));
        assertEquals(0, result.exitCode(), result::describe);
        return json(result.stdout());
    }

    private Map<String, String> effectiveIni(Path ini, Set<String> keys) throws Exception {
        List<String> command = new ArrayList<>(List.of("php", "-n", "-d", "zend_extension=opcache", "-c", ini.toString(), "-r",
                "$keys = array_slice($argv, 1); echo json_encode(array_combine($keys, array_map('ini_get', $keys)));"));
        command.addAll(keys);
        Tools.Result result = Tools.run(directory, command);
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stderr().isBlank(), result::describe);
        return json(result.stdout());
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileForTheDefaultsBuildsTheSeedsImage() throws Exception {
        Map<String, String> files = render(defaults());
        List<Instruction> instructions = instructions(files.get("Dockerfile"));

        assertEquals("dunglas/frankenphp:1-php8.4-bookworm AS base", instructions.get(0).arguments());
        assertHas(instructions, "RUN", "install-php-extensions pdo_mysql gd zip opcache intl pcntl");
        assertHas(instructions, "COPY", "--from=composer:2 /usr/bin/composer /usr/bin/composer");
        assertHas(instructions, "COPY", "docker/php/php.ini " + Defaults.PHP_INI_TARGET);
        assertCommonStructure(instructions, files, "app", 1000);
        assertEquals(List.of("php", "artisan", "octane:frankenphp", "--host=0.0.0.0", "--port=80", "--admin-port=2019",
                "--workers=auto", "--max-requests=500"), execForm(only(instructions, "CMD").arguments()));
        assertEquals("http://127.0.0.1:80/api/health", last(healthcheckCommand(instructions)));
        assertEquals("80", only(instructions, "EXPOSE").arguments());
    }

    @Test
    void dockerfileForACustomisedConfigurationUsesEveryValue() throws Exception {
        Map<String, String> files = render(customised());
        List<Instruction> instructions = instructions(files.get("Dockerfile"));

        assertEquals("dunglas/frankenphp:1.9-php8.4-trixie AS base", instructions.get(0).arguments());
        assertHas(instructions, "RUN", "install-php-extensions pdo_mysql pcntl redis");
        assertHas(instructions, "COPY", "--from=composer:2.8 /usr/bin/composer /usr/bin/composer");
        assertHas(instructions, "COPY", "docker/php/php.ini /usr/local/etc/php/conf.d/99-app.ini");
        assertCommonStructure(instructions, files, "www", 1001);
        assertEquals(List.of("php", "artisan", "octane:frankenphp", "--host=0.0.0.0", "--port=8080", "--admin-port=2020",
                "--workers=4", "--max-requests=1000"), execForm(only(instructions, "CMD").arguments()));
        assertEquals("http://127.0.0.1:8080/up", last(healthcheckCommand(instructions)));
        assertEquals("8080", only(instructions, "EXPOSE").arguments());
    }

    private void assertCommonStructure(List<Instruction> instructions, Map<String, String> files, String user, int uid)
            throws Exception {
        String dockerfile = files.get("Dockerfile");
        assertTrue(dockerfile.lines().noneMatch(l -> l.matches("(?i)#\\s*(syntax|escape|check)\\s*=.*")),
                "no parser directive: the classic builder has no # syntax=");
        assertHas(instructions, "WORKDIR", "/app");

        // Dependencies before the code, so the composer install layer stays cached.
        int manifests = indexOf(instructions, "COPY", a -> a.equals("composer.json composer.lock ./"));
        int install = indexOf(instructions, "RUN", a -> a.startsWith("composer install ") && a.contains("--no-dev"));
        int code = indexOf(instructions, "COPY", a -> a.equals(". ."));
        assertTrue(manifests < install && install < code, "composer.json+lock, composer install --no-dev, then COPY . .");
        String afterCode = instructions.subList(code, instructions.size()).stream()
                .filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments).collect(Collectors.joining("\n"));
        int clearCache = afterCode.indexOf("rm -f bootstrap/cache/*.php");
        int dump = afterCode.indexOf("composer dump-autoload");
        assertTrue(clearCache >= 0 && clearCache < dump, "stale bootstrap/cache/*.php removed before the autoloader dump");

        // The runtime stage: the last FROM.
        int runtimeStart = IntStream.range(0, instructions.size()).filter(i -> instructions.get(i).keyword().equals("FROM"))
                .max().orElseThrow();
        List<Instruction> runtime = instructions.subList(runtimeStart, instructions.size());
        Map<String, String> env = runtime.stream().filter(i -> i.keyword().equals("ENV"))
                .flatMap(i -> List.of(i.arguments().split("\\s+")).stream())
                .map(pair -> pair.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertEquals("frankenphp", env.get("OCTANE_SERVER"));
        assertEquals("production", env.get("APP_ENV"));
        String runtimeRuns = runtime.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments)
                .collect(Collectors.joining("\n"));
        assertTrue(runtimeRuns.contains("useradd --uid " + uid + " "), runtimeRuns);
        assertTrue(runtimeRuns.contains("setcap CAP_NET_BIND_SERVICE=+eip /usr/local/bin/frankenphp"), runtimeRuns);
        assertTrue(runtimeRuns.contains("chmod -R 775 storage bootstrap/cache"), runtimeRuns);
        List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertEquals(user, last(users).arguments(), "the container runs as the configured user");
        assertFalse(Set.of("root", "0", "0:0").contains(last(users).arguments()));
        assertTrue(runtime.indexOf(last(users)) > runtime.stream().filter(i -> i.keyword().equals("RUN"))
                .mapToInt(runtime::indexOf).max().orElseThrow(), "USER after the last RUN that needs root");

        // Every file the Dockerfile copies from the plugin is one it renders.
        instructions.stream().filter(i -> i.keyword().equals("COPY") && i.arguments().startsWith("docker/"))
                .forEach(i -> assertTrue(files.containsKey(i.arguments().split(" ")[0]), "rendered: " + i));

        assertNoBuildKitSyntax(instructions);
        assertRunCommandsAreValidShell(instructions);
    }

    /** The image is built through the Engine API with the classic builder: BuildKit-only syntax fails there. */
    private static void assertNoBuildKitSyntax(List<Instruction> instructions) {
        for (Instruction instruction : instructions) {
            List<String> flags = List.of(instruction.arguments().split("\\s+")).stream()
                    .takeWhile(word -> word.startsWith("--")).map(flag -> flag.replaceFirst("=.*", "")).toList();
            Set<String> allowed = switch (instruction.keyword()) {
                case "COPY" -> Set.of("--from", "--chown");
                case "ADD" -> Set.of("--chown");
                case "FROM" -> Set.of("--platform");
                case "HEALTHCHECK" -> Set.of("--interval", "--timeout", "--start-period", "--retries");
                default -> Set.of();
            };
            assertTrue(allowed.containsAll(flags), "classic builder rejects " + flags + " in " + instruction);
            assertFalse(instruction.arguments().contains("<<"), "heredocs need BuildKit: " + instruction);
        }
    }

    private void assertRunCommandsAreValidShell(List<Instruction> instructions) throws Exception {
        Tools.assumeInstalled("/bin/sh", "-c", "true");
        String script = instructions.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::arguments)
                .collect(Collectors.joining("\n"));
        Tools.Result result = Tools.run(directory, List.of("/bin/sh", "-n", "-c", script));
        assertEquals(0, result.exitCode(), () -> script + "\n" + result.describe());
    }

    /** One Dockerfile instruction, its continuation lines joined as Docker joins them. */
    record Instruction(String keyword, String arguments, int line) {
    }

    /**
     * Splits a Dockerfile the way Docker's parser does for the default escape character: a line ending
     * in a backslash continues on the next line, comment and blank lines inside a continuation are dropped.
     */
    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        List<String> lines = dockerfile.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            String content = continues ? line.substring(0, line.lastIndexOf('\\')) : line;
            if (current == null) {
                current = new StringBuilder(content.stripLeading());
                start = index + 1;
            } else {
                current.append(content);
            }
            if (!continues) {
                String text = current.toString().strip();
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "", start));
                current = null;
            }
        }
        assertNull(current, "the Dockerfile ends inside a continuation");
        return instructions;
    }

    @Test
    void instructionSplitterJoinsContinuationsAndSkipsComments() {
        List<Instruction> instructions = instructions("# comment\nFROM a AS b\nRUN one \\\n# inside\n  && two\nrun three\n");

        assertEquals(List.of(new Instruction("FROM", "a AS b", 2), new Instruction("RUN", "one   && two", 3),
                new Instruction("RUN", "three", 6)), instructions);
    }

    private static List<String> execForm(String arguments) throws IOException {
        assertTrue(arguments.startsWith("["), "exec form, so signals reach Octane: " + arguments);
        return strings(new ObjectMapper().readValue(arguments, List.class));
    }

    private static List<String> healthcheckCommand(List<Instruction> instructions) throws IOException {
        String arguments = only(instructions, "HEALTHCHECK").arguments();
        Matcher cmd = Pattern.compile("\\bCMD\\s+(\\[.*])$").matcher(arguments);
        assertTrue(cmd.find(), arguments);
        return execForm(cmd.group(1));
    }

    private static void assertHas(List<Instruction> instructions, String keyword, String arguments) {
        assertTrue(instructions.stream().anyMatch(i -> i.keyword().equals(keyword) && i.arguments().equals(arguments)),
                () -> "no " + keyword + " " + arguments + " in " + instructions);
    }

    private static int indexOf(List<Instruction> instructions, String keyword, Predicate<String> arguments) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals(keyword) && arguments.test(instructions.get(i).arguments())) {
                return i;
            }
        }
        throw new AssertionError("no matching " + keyword + " in " + instructions);
    }

    private static Instruction only(List<Instruction> instructions, String keyword) {
        List<Instruction> found = instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        assertEquals(1, found.size(), () -> keyword + ": " + found);
        return found.get(0);
    }

    // ---------------------------------------------------------------- .dockerignore

    @Test
    void dockerignoreKeepsSecretsDependenciesAndCachesOutOfTheContext() throws Exception {
        DockerIgnore ignore = DockerIgnore.parse(render(defaults()).get(".dockerignore"));

        for (String excluded : List.of(".env", ".env.production", "vendor/x", "node_modules/x", ".git/HEAD",
                "storage/logs/laravel.log", "bootstrap/cache/packages.php", "tests/Feature/X.php")) {
            assertTrue(ignore.isExcluded(excluded), excluded + " must not be sent to the daemon");
        }
        for (String included : List.of(".env.example", "app/Models/User.php", "composer.json", "composer.lock",
                "public/index.php", "artisan", "bootstrap/app.php", "config/app.php", "routes/api.php",
                "config/environment.php", "public/app.pem.txt", "config/auth.php", "resources/js/app.js")) {
            assertFalse(ignore.isExcluded(included), included + " is needed by the build");
        }
        // Exceptions that could match below them would make the daemon's and the plugin's walk read them.
        for (String pruned : List.of("vendor", "node_modules", ".git")) {
            assertTrue(ignore.canSkipDirectory(pruned), pruned + " must be skipped unread");
        }
    }

    @Test
    void dockerignoreExcludesEverySecretBearingFileSecretFilesKnows() throws Exception {
        DockerIgnore ignore = DockerIgnore.parse(render(defaults()).get(".dockerignore"));

        for (String secret : List.of(".env", "config/.env.production", ".env-production", ".env_local", "production.env",
                "docker/app.env", "config/.env/production", "auth.json", "packages/acme/auth.json", ".npmrc",
                "resources/js/.npmrc", ".envrc", "storage/oauth-private.key", "storage/oauth-public.key",
                "certs/server.pem", "server.pem", "certs/client.p12", "certs/client.pfx", "deploy/id_rsa", "id_ed25519",
                ".netrc", ".git-credentials", "Homestead.yaml", "Homestead.json")) {
            assertTrue(SecretFiles.isDotenv(secret) || SecretFiles.secretKind(secret).isPresent(),
                    secret + " is one of SecretFiles' classes");
            assertTrue(ignore.isExcluded(secret), secret + " must not be sent by the default .dockerignore");
        }
    }

    // ---------------------------------------------------------------- .env.production.example

    @Test
    void envExampleHasTheSeedsKeysAndValuesAndNoSecret() throws Exception {
        Map<String, String> env = dotenv(render(defaults()).get(".env.production.example"));

        Map<String, String> seed = Map.ofEntries(
                Map.entry("APP_ENV", "production"), Map.entry("APP_DEBUG", "false"),
                Map.entry("APP_URL", "https://api.mdbcopilot.miweb.fr"), Map.entry("DB_HOST", "mdb-copilot-api-mysql"),
                Map.entry("DB_DATABASE", "mdb_copilot_prod"), Map.entry("DB_USERNAME", "mdb_user"),
                Map.entry("SANCTUM_STATEFUL_DOMAINS", "mdbcopilot.miweb.fr"), Map.entry("OCTANE_SERVER", "frankenphp"),
                Map.entry("CACHE_DRIVER", "database"), Map.entry("QUEUE_CONNECTION", "database"));
        seed.forEach((key, value) -> assertEquals(value, env.get(key), key));
        for (String secret : List.of("APP_KEY", "DB_PASSWORD", "DB_ROOT_PASSWORD")) {
            assertEquals("", env.get(secret), secret + " is listed, empty, for the operator to fill in");
        }
        // The rollback switch of the compose file, empty: follow latest.
        assertEquals("", env.get("APP_IMAGE_TAG"));
    }

    private static Map<String, String> dotenv(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(line -> {
            String[] pair = line.split("=", 2);
            assertEquals(2, pair.length, line);
            assertNull(env.put(pair[0], pair[1]), "duplicate key " + pair[0]);
        });
        return env;
    }

    // ---------------------------------------------------------------- DEPLOY.md

    @Test
    void deployDocGivesTheSameComposeCommandAsTheComposeFileAndItWorks() throws Exception {
        Map<String, String> files = render(defaults());
        String deploy = files.get("DEPLOY.md");
        Matcher header = Pattern.compile("(?m)^#\\s+(docker compose .*)$").matcher(files.get(COMPOSE));
        assertTrue(header.find(), "the compose file's header gives the command");
        String upCommand = header.group(1);

        // -p: releases find the stack's containers by this project name.
        assertEquals("docker compose -p mdb-copilot-api --env-file .env.production -f docker-compose.prod.yml up -d", upCommand);
        assertTrue(deploy.lines().anyMatch(l -> l.strip().equals(upCommand)), "DEPLOY.md gives " + upCommand + " as a command line");
        // The documented command must supply the ${DB_*} variables: run it, as config, with compose 1.29.
        Tools.assumeInstalled("docker-compose", "version");
        writeRendered(files);
        writeEnvFile(DB_VARIABLES);
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(upCommand.replaceFirst("^docker compose ", "").replaceFirst(" up -d$", " config").split(" ")));
        Tools.Result result = Tools.run(directory, command);
        assertEquals(0, result.exitCode(), result::describe);
    }

    @Test
    void deployDocCoversNetworkReleaseWatchtowerDebuggingAndRollback() throws Exception {
        String deploy = render(defaults()).get("DEPLOY.md");
        String compose = "docker compose -p mdb-copilot-api --env-file .env.production -f docker-compose.prod.yml";

        assertHasLine(deploy, "docker network create docker_internal");
        assertHasLine(deploy, "mvn frankenphp:rollback", "the release rollback");
        assertTrue(deploy.contains("sudo usermod -aG docker deploy"), "SSH access for releases");
        assertHasLine(deploy, "mvn deploy");
        assertTrue(deploy.contains("Watchtower"));
        assertTrue(deploy.contains("com.centurylinklabs.watchtower.enable=true"));
        assertTrue(deploy.contains("--label-enable --interval 300"), "the seed's 5-minute poll");
        assertTrue(deploy.contains(compose + " logs -f app"));
        assertTrue(deploy.contains(compose + " exec app "));
        assertTrue(deploy.contains(compose + " restart queue"));
        assertTrue(deploy.contains("## Rollback"));
        assertHasLine(deploy, "APP_IMAGE_TAG=<version>", "the rollback pin");
    }

    @Test
    void deployDocForTheWatchtowerTargetRunsWatchtowerWithItsHttpApi() throws Exception {
        DeploymentConfig config = defaults();
        var release = Records.with(Records.with(Records.with(config.release(), "target", ReleaseTarget.WATCHTOWER),
                "watchtowerUrl", Optional.of(URI.create("http://server.example.com:9090"))),
                "url", Optional.of(URI.create("https://api.example.com/api/health")));
        config = Records.with(config, "release", release);
        ConfigValidator.validate(config);
        String deploy = render(config).get("DEPLOY.md");

        assertTrue(deploy.contains("| Release target | `watchtower` at `http://server.example.com:9090`, checked on "
                + "`https://api.example.com/api/health` |"), deploy);
        assertHasLine(deploy, "-p 9090:8080 \\", "the API port published");
        assertHasLine(deploy, "nickfedor/watchtower --label-enable --http-api-update --http-api-periodic-polls \\", "the API mode");
        assertHasLine(deploy, "--http-api-token \"$WATCHTOWER_HTTP_API_TOKEN\" --interval 300 --stop-timeout 90s", "token and stop timeout");
        assertHasLine(deploy, "<id>watchtower</id>", "the settings.xml server");
        assertTrue(deploy.contains("`POST http://server.example.com:9090/v1/update`"), deploy);
        assertTrue(deploy.contains("X-App-Version"), "what the app must report");
        assertFalse(deploy.contains("nickfedor/watchtower --label-enable --interval 300"), "the poll-only command is replaced");
        // Without the target, the poll-only command stays and the API is not opened.
        String defaultDeploy = render(defaults()).get("DEPLOY.md");
        assertFalse(defaultDeploy.contains("--http-api-update"));
        assertTrue(defaultDeploy.contains("nickfedor/watchtower --label-enable --interval 300 --stop-timeout 90s"));
    }

    @Test
    void deployDocFollowsACustomisedConfiguration() throws Exception {
        String deploy = render(customised()).get("DEPLOY.md");

        assertHasLine(deploy, "docker network create web");
        assertHasLine(deploy, "docker login localhost:5000");
        assertTrue(deploy.contains("Watchtower labels are disabled"), "no label-enable instructions without labels");
        assertTrue(deploy.contains("`localhost:5000/team/shop-api`"));
    }

    private static void assertHasLine(String text, String line) {
        assertHasLine(text, line, line);
    }

    private static void assertHasLine(String text, String prefix, String what) {
        assertTrue(text.lines().anyMatch(l -> l.strip().startsWith(prefix)), "missing " + what + ": " + prefix);
    }

    // ---------------------------------------------------------------- helpers

    private Path write(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Object> yaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    private static Map<String, String> json(String text) throws IOException {
        Map<?, ?> parsed = new ObjectMapper().readValue(text, Map.class);
        Map<String, String> values = new LinkedHashMap<>();
        // ini_get answers false for a directive PHP does not know: keep it visible in a failure.
        parsed.forEach((key, value) -> values.put((String) key, value instanceof String string ? string : String.valueOf(value)));
        return values;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertTrue(child instanceof Map, () -> key + " is not a mapping: " + child);
        return castMap(child);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object list) {
        assertTrue(list instanceof List, () -> "not a list: " + list);
        return ((List<?>) list).stream().map(item -> {
            assertTrue(item instanceof String, () -> "not a string: " + item);
            return (String) item;
        }).toList();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
