package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.miweb.maven.frankenphp.config.ConfigValidator;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.config.Records;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * php.ini keys, checked against PHP's own ini parser (issue 11, item 8): a key the validator accepts is read by
 * {@code parse_ini_string} together with every directive after it; a key it refuses is one PHP stops at.
 */
class IniKeysTest {

    private static final List<String> CANDIDATES = List.of(
            "on", "On", "ON", "off", "yes", "Yes", "no", "true", "TRUE", "false", "null", "NULL", "none", "NONE",
            "memory_limit", "opcache.jit", "a-b", "1", "9x", "nul", "TRUE_", "yes_x", "foo.on", "on.foo", "_");

    @TempDir
    Path directory;

    @Test
    void theValidatorRefusesExactlyTheKeysPhpCannotParse() throws Exception {
        Tools.assumeInstalled("php", "-v");
        for (String key : CANDIDATES) {
            boolean phpReadsIt = phpReadsKeyAndTheNextDirective(key);
            DeploymentConfig config = withIni(key);
            if (phpReadsIt) {
                ConfigValidator.validate(config);
                Map<String, String> parsed = phpParse(render(config));
                assertEquals("1", parsed.get(key), () -> "PHP reads the rendered " + key);
                assertEquals("1440", parsed.get("session.gc_maxlifetime"), () -> "PHP reads the directives after " + key);
            } else {
                InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                        () -> ConfigValidator.validate(config), () -> "PHP cannot parse the key " + key + ", the validator must refuse it");
                assertEquals("<php><ini>", refused.problems().get(0).element());
                assertEquals(key, refused.problems().get(0).value());
            }
        }
    }

    private DeploymentConfig withIni(String key) {
        DeploymentConfig defaults = TestConfigs.defaults(directory);
        Map<String, String> ini = new LinkedHashMap<>();
        ini.put(key, "1");
        defaults.php().ini().forEach(ini::putIfAbsent);
        return Records.with(defaults, "php", Records.with(defaults.php(), "ini", ini));
    }

    private static String render(DeploymentConfig config) throws Exception {
        return DeploymentFiles.render(config, null, "1.2.3").stream().filter(f -> f.relativePath().equals("docker/php/php.ini"))
                .findFirst().orElseThrow().text();
    }

    private boolean phpReadsKeyAndTheNextDirective(String key) throws Exception {
        Map<String, String> parsed = phpParse(key + "=1\nafter=2\n");
        return "1".equals(parsed.get(key)) && "2".equals(parsed.get("after"));
    }

    /** What PHP's parse_ini_string returns, one key=value per line; empty when it refuses the text. */
    private Map<String, String> phpParse(String ini) throws Exception {
        Path file = directory.resolve("candidate.ini");
        Files.writeString(file, ini, StandardCharsets.UTF_8);
        Tools.Result result = Tools.run(directory, List.of("php", "-d", "display_errors=stderr", "-r",
                "$r = parse_ini_string(file_get_contents($argv[1]), false, INI_SCANNER_NORMAL);"
                        + " if ($r !== false) foreach ($r as $k => $v) echo $k, \"\\t\", $v, \"\\n\";", file.toString()));
        Map<String, String> values = new LinkedHashMap<>();
        result.stdout().lines().map(line -> line.split("\t", 2)).filter(parts -> parts.length == 2)
                .forEach(parts -> values.put(parts[0], parts[1]));
        return values;
    }
}
