package fr.miweb.maven.frankenphp.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile values (a newline followed by {@code privileged: true}, quotes, {@code #}, {@code ${X}},
 * {@code $(cmd)}, backticks...) in every configured string, rendered end to end through
 * {@link DeploymentFiles}: each one is refused by validation, naming its pom element, or the rendered files
 * read back by their real parsers (SnakeYAML and docker-compose, PHP, the Dockerfile instruction list, bash for
 * DEPLOY.md's shell blocks) hold exactly that string, and no extra key, instruction or command.
 *
 * <p>{@code render/QuotingPropertyTest} checks the quoting functions on random strings; this test is about the
 * configuration as a whole: which values reach which file, and what validation lets through.
 */
class HostileValuesTest {

    /** Appended to a legitimate value, so it is the metacharacters that are judged. */
    static final List<String> HOSTILE = List.of(
            "\nprivileged: true",
            "\r\nuser: root",
            "\"",
            "\" privileged: \"true",
            " # comment",
            "#x",
            "${X}",
            "${X:-evil}",
            "$(touch /tmp/frankenphp-fault-marker)",
            "`touch /tmp/frankenphp-fault-marker`",
            ";touch${IFS}/tmp/frankenphp-fault-marker",
            ";id",
            "&id",
            "|id",
            "(id)",
            "\\",
            "'",
            "\\\n",
            "\t",
            ": x",
            "{a: b}",
            "[a]");

    /** Every configured string that reaches a structured file, with where it goes in the pom. */
    private static Map<String, BiConsumer<ConfigBuilder, String>> structuralFields() {
        Map<String, BiConsumer<ConfigBuilder, String>> fields = new LinkedHashMap<>();
        fields.put("<image><registry>", (b, v) -> b.registry = b.registry + v);
        fields.put("<image><name>", (b, v) -> b.imageName = b.imageName + v);
        fields.put("<image><baseImage>", (b, v) -> b.baseImage = b.baseImage + v);
        fields.put("<image><composerImage>", (b, v) -> b.composerImage = b.composerImage + v);
        fields.put("<image><tag>", (b, v) -> b.tag = "1.0" + v);
        fields.put("<image><buildArgs>", (b, v) -> b.buildArgs.put("ARG" + v, "x"));
        fields.put("<image><user>", (b, v) -> b.user = b.user + v);
        fields.put("<php><extensions><extension>", (b, v) -> b.extensions.add("redis" + v));
        fields.put("<php><ini>", (b, v) -> b.ini.put("custom.key" + v, "1"));
        fields.put("<php><iniTarget>", (b, v) -> b.iniTarget = b.iniTarget + v);
        fields.put("<octane><workers>", (b, v) -> b.workers = "4" + v);
        fields.put("<octane><healthPath>", (b, v) -> b.healthPath = b.healthPath + v);
        fields.put("<compose><network>", (b, v) -> b.network = b.network + v);
        fields.put("<compose><mysqlImage>", (b, v) -> b.mysqlImage = b.mysqlImage + v);
        fields.put("<compose><mysqlVolume>", (b, v) -> b.mysqlVolume = b.mysqlVolume + v);
        fields.put("<environment>", (b, v) -> b.environment.put("EXTRA" + v, "x"));
        fields.put("<environment><APP_URL>", (b, v) -> b.environment.put("APP_URL", "https://api.example" + v));
        return fields;
    }

    @TempDir
    Path directory;

    /**
     * Values that reach Dockerfile, compose, .env or a shell line unquoted must be refused, with the element, the
     * value as given (control characters escaped) and a fix. Values that are quoted where they land are checked
     * against their parser by the tests below instead.
     */
    @Test
    void validationRefusesEveryHostileValueThatWouldChangeAStructuredFile() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, BiConsumer<ConfigBuilder, String>> field : structuralFields().entrySet()) {
            for (String hostile : HOSTILE) {
                ConfigBuilder builder = new ConfigBuilder(directory);
                field.getValue().accept(builder, hostile);
                DeploymentConfig config = builder.build();
                try {
                    ConfigValidator.validate(config);
                } catch (InvalidConfigurationException e) {
                    assertEquals(1, e.problems().size(), e::getMessage);
                    ConfigurationProblem problem = e.problems().get(0);
                    assertTrue(problem.element().startsWith(field.getKey()), () -> field.getKey() + ": " + problem.describe());
                    assertFalse(problem.describe().contains("\n"), problem::describe);
                    continue;
                }
                // Accepted: it must then come out of every file exactly, which the format checks prove.
                assertRendersFaithfully(config, field.getKey(), hostile);
                accepted.add(field.getKey() + " + " + ConfigurationProblemView.visible(hostile));
            }
        }
        System.out.println("hostile values accepted (and rendered faithfully): " + accepted);
    }

    /** php.ini values keep every character but line breaks (refused): PHP reads back exactly what was configured. */
    @Test
    void iniValuesWithMetacharactersReachPhpExactly() throws Exception {
        assumeTrue(installed("php", "--version"), "php is not installed");
        ConfigBuilder builder = new ConfigBuilder(directory);
        Map<String, String> expected = new LinkedHashMap<>(builder.ini);
        int index = 0;
        for (String hostile : HOSTILE) {
            String key = "frankenphp.hostile" + index++;
            String value = "v" + hostile;
            builder.ini.put(key, value);
            if (value.contains("\n") || value.contains("\r")) {
                DeploymentConfig config = builder.build();
                InvalidConfigurationException refused = assertRefused(config);
                assertTrue(refused.getMessage().contains("<php><ini><" + key + ">"), refused::getMessage);
                assertTrue(refused.getMessage().contains("cannot span lines"), refused::getMessage);
                builder.ini.remove(key);
            } else {
                expected.put(key, value);
            }
        }
        DeploymentConfig config = builder.build();
        ConfigValidator.validate(config);
        Path ini = write(render(config), "docker/php/php.ini");

        // parse_ini_file uses php.ini's scanner: the same keys, no more, and the same values.
        Map<String, String> parsed = php(ini, "echo json_encode(parse_ini_file($argv[1], false, INI_SCANNER_NORMAL));");
        Map<String, String> php = new LinkedHashMap<>();
        expected.forEach((key, value) -> php.put(key, phpMeaning(value)));
        assertEquals(php, parsed);
        // Loaded as the php.ini of a PHP process (get_cfg_var shows what the file configured, known directive or not).
        StringBuilder code = new StringBuilder("$r = [];");
        expected.keySet().forEach(key -> code.append("$r['").append(key).append("'] = (string) get_cfg_var('").append(key).append("');"));
        code.append("echo json_encode($r);");
        Map<String, String> loaded = new LinkedHashMap<>(php);
        loaded.put("max_execution_time", "0"); // the CLI forces it to 0, whatever php.ini says
        assertEquals(loaded, php(ini, code.toString()));
        assertFalse(Files.exists(Path.of("/tmp/frankenphp-fault-marker")), "a hostile value ran a command");
    }

    /** What PHP means by a bare word: the quoting keeps PHP's own words (Off, On...) as PHP reads them. */
    private static String phpMeaning(String value) {
        return switch (value) {
            case "Off" -> "";
            case "On" -> "1";
            default -> value;
        };
    }

    /** The project name is free text: it reaches DEPLOY.md's title and the image's title label only. */
    @Test
    void aHostileProjectNameStaysInTheTitleOfDeployMd() throws Exception {
        for (String hostile : List.of("\n```sh\ntouch /tmp/frankenphp-fault-marker\n```\n", "\r\n## Injected", "`id` $(id) ${X}")) {
            ConfigBuilder builder = new ConfigBuilder(directory);
            builder.name = "Shop" + hostile;
            DeploymentConfig config = builder.build();
            ConfigValidator.validate(config);
            List<RenderedFile> files = render(config);
            String deploy = text(files, "DEPLOY.md");
            String baseline = text(render(new ConfigBuilder(directory).build()), "DEPLOY.md");
            assertEquals(shellBlocks(baseline).size(), shellBlocks(deploy).size(), deploy);
            assertEquals(headings(baseline).size(), headings(deploy).size(), deploy);
            for (RenderedFile file : files) {
                if (!file.relativePath().equals("DEPLOY.md")) {
                    assertFalse(file.text().contains("Shop"), file.relativePath());
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- checks

    /**
     * The configuration (already validated) renders files that parse like the default configuration's, with the
     * hostile value present exactly where its field goes.
     */
    private void assertRendersFaithfully(DeploymentConfig config, String element, String hostile) throws Exception {
        List<RenderedFile> files = render(config);
        List<RenderedFile> baseline = render(new ConfigBuilder(directory).build());

        Map<String, Object> compose = yaml(text(files, "docker-compose.prod.yml"));
        Map<String, Object> baselineCompose = yaml(text(baseline, "docker-compose.prod.yml"));
        assertEquals(keyPaths(baselineCompose, ""), keyPaths(compose, ""), element + ": compose keys changed");
        assertEquals(instructions(text(baseline, "Dockerfile")).stream().map(i -> i.split(" ", 2)[0]).toList(),
                instructions(text(files, "Dockerfile")).stream().map(i -> i.split(" ", 2)[0]).toList(),
                element + ": Dockerfile instructions changed");
        assertEquals(dotenvKeys(text(baseline, ".env.production.example")), dotenvKeys(text(files, ".env.production.example")),
                element + ": .env keys changed");
        List<String> deployCommands = shellCommands(text(files, "DEPLOY.md"));
        assertEquals(shellCommands(text(baseline, "DEPLOY.md")).size(), deployCommands.size(),
                () -> element + ": DEPLOY.md's shell blocks have other commands: " + deployCommands);
        Map<String, Object> resolved = composeConfig(files);
        if (resolved != null) {
            Map<String, Object> app = map(map(resolved, "services"), "app");
            assertFalse(app.containsKey("privileged") || app.containsKey("user"), element + ": " + app);
            Map<String, String> environment = new LinkedHashMap<>();
            config.environment().forEach((key, value) -> environment.put(key, value.isEmpty() ? "filled-" + key : value));
            environment.put("APP_IMAGE_TAG", "filled-APP_IMAGE_TAG");
            assertEquals(environment, stringMap(map(app, "environment")), element + ": env_file read differently by compose");
        }
        if (element.equals("<octane><healthPath>")) {
            String url = "http://127.0.0.1:80" + config.octane().healthPath();
            Map<String, Object> app = map(map(compose, "services"), "app");
            assertEquals(List.of("CMD", "curl", "-fsS", "--max-time", "4", url), map(app, "healthcheck").get("test"));
            String healthcheck = instructions(text(files, "Dockerfile")).stream().filter(i -> i.startsWith("HEALTHCHECK")).findFirst().orElseThrow();
            List<?> exec = new ObjectMapper().readValue(healthcheck.substring(healthcheck.indexOf('[')), List.class);
            assertEquals(List.of("curl", "-fsS", "--max-time", "4", url), exec);
        }
    }

    /**
     * {@code docker-compose config} on the rendered compose file, with the example env file filled in as the
     * operator would: the stack as compose resolves it (env_file values inlined), or null without docker-compose.
     */
    private Map<String, Object> composeConfig(List<RenderedFile> files) throws Exception {
        if (!installed("docker-compose", "version")) {
            return null;
        }
        Path stack = Files.createTempDirectory(directory, "stack");
        Files.writeString(stack.resolve("docker-compose.prod.yml"), text(files, "docker-compose.prod.yml"));
        String env = text(files, ".env.production.example").lines()
                .map(line -> line.matches("[A-Z_]+=") ? line + "filled-" + line.substring(0, line.length() - 1) : line)
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(stack.resolve(".env.production"), env);
        FaultSupport.Result result = FaultSupport.run(List.of("env", "-u", "DB_DATABASE", "-u", "DB_USERNAME", "-u", "DB_PASSWORD",
                "-u", "DB_ROOT_PASSWORD", "-u", "APP_IMAGE_TAG", "docker-compose", "--project-directory", stack.toString(),
                "--env-file", stack.resolve(".env.production").toString(), "-f", stack.resolve("docker-compose.prod.yml").toString(),
                "config"), Duration.ofSeconds(60), false);
        assertEquals(0, result.exitCode(), result::output);
        return yaml(result.output());
    }

    private static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, value) -> strings.put(key, value == null ? "" : String.valueOf(value)));
        return strings;
    }

    private List<RenderedFile> render(DeploymentConfig config) throws Exception {
        return DeploymentFiles.render(config, directory.resolve("no-overrides"), "test");
    }

    private Path write(List<RenderedFile> files, String relativePath) throws IOException {
        Path target = directory.resolve("out").resolve(relativePath);
        Files.createDirectories(target.getParent());
        Files.writeString(target, text(files, relativePath));
        return target;
    }

    private static String text(List<RenderedFile> files, String relativePath) {
        return files.stream().filter(f -> f.relativePath().equals(relativePath)).findFirst().orElseThrow().text();
    }

    private static InvalidConfigurationException assertRefused(DeploymentConfig config) {
        try {
            ConfigValidator.validate(config);
        } catch (InvalidConfigurationException e) {
            return e;
        }
        return fail("accepted: " + config);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    /** Every key path of a YAML document, e.g. {@code services.app.healthcheck.test}. */
    @SuppressWarnings("unchecked")
    private static Set<String> keyPaths(Object node, String prefix) {
        Set<String> paths = new TreeSet<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                String path = prefix + "." + key;
                paths.add(path);
                paths.addAll(keyPaths(value, path));
            });
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                paths.addAll(keyPaths(item, prefix + "[]"));
            }
        }
        return paths;
    }

    /** Dockerfile instructions as the parser sees them: continuation lines joined, comments and blank lines dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = null;
        for (String line : dockerfile.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            String content = continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            current = current == null ? new StringBuilder(content) : current.append(' ').append(content);
            if (!continued) {
                instructions.add(current.toString());
                current = null;
            }
        }
        if (current != null) {
            instructions.add(current.toString());
        }
        return instructions;
    }

    private static List<String> dotenvKeys(String text) {
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> l.split("=", 2)[0]).toList();
    }

    private static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^```sh\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    private static List<String> headings(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("#")).toList();
    }

    /**
     * The commands of DEPLOY.md's shell blocks as bash parses them, without running anything: each block becomes
     * the body of a function, which {@code declare -f} prints back one command per line.
     */
    private List<String> shellCommands(String markdown) throws Exception {
        assumeTrue(installed("bash", "--version"), "bash is not installed");
        List<String> commands = new ArrayList<>();
        for (String block : shellBlocks(markdown)) {
            Path script = Files.createTempFile(directory, "block", ".sh");
            // Placeholders such as <version> are for the reader to replace.
            Files.writeString(script, "f() {\n" + block.replaceAll("<([a-z-]+)>", "$1") + "\n:\n}\ndeclare -f f\n");
            FaultSupport.Result result = FaultSupport.run(List.of("bash", "--norc", "--noprofile", script.toString()), Duration.ofSeconds(30));
            assertEquals(0, result.exitCode(), () -> "bash cannot parse:\n" + block + "\n" + result.output());
            result.output().lines().skip(2).map(String::strip).filter(l -> !l.equals("}") && !l.equals(":")).forEach(commands::add);
        }
        return commands;
    }

    private Map<String, String> php(Path ini, String code) throws Exception {
        Path script = Files.createTempFile(directory, "read", ".php");
        Files.writeString(script, "<?php " + code);
        Path output = Files.createTempFile(directory, "php", ".out");
        ProcessBuilder builder = new ProcessBuilder("php", "-c", ini.toString(), script.toString(), ini.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PHP_INI_SCAN_DIR", "");
        builder.environment().remove("X");
        Process process = builder.start();
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        String json = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), json);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = new ObjectMapper().readValue(json.substring(json.indexOf('{')), Map.class);
        return parsed.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()),
                (a, b) -> a, LinkedHashMap::new));
    }

    static boolean installed(String... command) {
        return FaultSupport.run(List.of(command), Duration.ofSeconds(30)).exitCode() == 0;
    }

    /** {@link ConfigurationProblem}'s escaping of control characters, for readable test output. */
    private static final class ConfigurationProblemView {
        static String visible(String value) {
            return new ConfigurationProblem("", value, "").describe().replaceFirst("^ = '", "").replaceFirst("': $", "");
        }
    }
}
