package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.config.Records;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code <environment>} value rule, checked character by character against the two real readers of
 * .env.production (issue 11, item 9): Laravel's dotenv (vlucas/phpdotenv, Debian's php-vlucas-phpdotenv) and
 * docker-compose ({@code env_file} and {@code --env-file}). Every character the validator accepts reaches both
 * exactly as written, wherever it stands in the value; every one it refuses is read differently by at least one
 * of them (or cannot be written at all).
 */
class EnvValuesTest {

    private static final String PHPDOTENV = "/usr/share/php/Dotenv/autoload.php";

    @TempDir
    Path directory;

    @Test
    void acceptedValuesReachLaravelAndComposeAsWritten() throws Exception {
        assumeReaders();
        Map<String, String> accepted = new LinkedHashMap<>();
        List<Integer> refused = new ArrayList<>();
        for (int c : candidates()) {
            String value = sample(c);
            if (accepts(value)) {
                accepted.put("K_" + c, value);
            } else {
                refused.add(c);
            }
        }
        // Plain words and the usual URL, mail and list characters, spaces and '#' included.
        for (char c : " ./:@,+=-_#\"%*?!&()[]{}<>~^;|`é".toCharArray()) {
            assertTrue(accepted.containsKey("K_" + (int) c), () -> "accepted: '" + c + "'");
        }
        String envFile = render(accepted);

        Map<String, String> laravel = phpdotenv(envFile);
        Map<String, String> compose = compose(envFile);
        accepted.forEach((key, value) -> {
            assertEquals(value, laravel.get(key), () -> "Laravel reads " + key + " from\n" + envFile);
            assertEquals(value, compose.get(key), () -> "compose reads " + key + " from\n" + envFile);
        });
        assertEquals(List.of((int) '\t', (int) '$', (int) '\'', (int) '\\', 0x7f, 0x85, 0x2028), refused);
    }

    @Test
    void eachRefusedCharacterIsReadDifferentlyByOneReader() throws Exception {
        assumeReaders();
        // As the template would write them: single-quoted, the one quoting both readers share. (Control characters,
        // a tab included, are refused as a rule: invisible in the file, and kept out of the one-line messages.)
        for (String value : List.of("${N}", "a${N}b", sample('\''), "a\\\\b")) {
            String envFile = "N=next\nK='" + value + "'\n";
            Map<String, String> laravel = phpdotenv(envFile);
            Map<String, String> compose = compose(envFile);
            assertTrue(!value.equals(laravel.get("K")) || !value.equals(compose.get("K")),
                    () -> value + " is read alike by Laravel (" + laravel + ") and compose (" + compose + "): accept it");
            assertNotEquals(true, accepts(value), () -> "the validator must refuse " + value);
        }
    }

    private static List<Integer> candidates() {
        List<Integer> candidates = new ArrayList<>();
        for (int c = 0x20; c < 0x7f; c++) {
            if (!Character.isLetterOrDigit(c)) {
                candidates.add(c);
            }
        }
        candidates.addAll(List.of((int) '\t', 0x7f, 0x85, (int) 'é', 0x2014, 0x2028, 0x65e5));
        candidates.sort(Integer::compare);
        return candidates;
    }

    /** The character at the start, inside and at the end of a value, where readers treat it differently. */
    private static String sample(int c) {
        String s = new String(Character.toChars(c));
        return s + "a" + s + "b " + s;
    }

    private boolean accepts(String value) {
        try {
            ConfigValidator.validate(withEnvironment(Map.of("APP_NAME", value)));
            return true;
        } catch (InvalidConfigurationException e) {
            return false;
        }
    }

    private DeploymentConfig withEnvironment(Map<String, String> values) {
        DeploymentConfig defaults = TestConfigs.defaults(directory);
        Map<String, String> environment = new LinkedHashMap<>(defaults.environment());
        environment.putAll(values);
        return Records.with(defaults, "environment", environment);
    }

    private String render(Map<String, String> values) throws Exception {
        DeploymentConfig config = withEnvironment(values);
        ConfigValidator.validate(config);
        return DeploymentFiles.render(config, null, "1.2.3").stream().filter(f -> f.relativePath().equals(".env.production.example"))
                .findFirst().orElseThrow().text();
    }

    private void assumeReaders() {
        Tools.assumeInstalled("php", "-r", "require '" + PHPDOTENV + "';");
        Tools.assumeInstalled("docker-compose", "version");
    }

    private Map<String, String> phpdotenv(String envFile) throws Exception {
        Path file = directory.resolve("laravel.env");
        Files.writeString(file, envFile, StandardCharsets.UTF_8);
        Tools.Result result = Tools.run(directory, List.of("php", "-r", "require '" + PHPDOTENV + "';"
                + " try { echo json_encode(Dotenv\\Dotenv::parse(file_get_contents($argv[1]))); }"
                + " catch (Throwable $e) { echo json_encode(['ERROR' => $e->getMessage()]); }", file.toString()));
        assertEquals(0, result.exitCode(), result::describe);
        @SuppressWarnings("unchecked")
        Map<String, String> parsed = new ObjectMapper().readValue(result.stdout(), Map.class);
        return parsed;
    }

    /** What a service reads from the file as env_file, with the file also given as --env-file, as DEPLOY.md does. */
    private Map<String, String> compose(String envFile) throws Exception {
        Files.writeString(directory.resolve(".env.production"), envFile, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("compose.yml"), "services:\n  s:\n    image: x\n    env_file: [.env.production]\n");
        Tools.Result result = Tools.run(directory, List.of("docker-compose", "--env-file", ".env.production", "-f", "compose.yml", "config"));
        if (result.exitCode() != 0) {
            return Map.of("ERROR", result.stderr());
        }
        Map<String, Object> services = new Yaml().<Map<String, Map<String, Object>>>load(result.stdout()).get("services");
        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services.get("s")).get("environment");
        // config prints values escaped for interpolation: $$ is one '$' in the container.
        return environment.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> String.valueOf(e.getValue()).replace("$$", "$")));
    }
}
