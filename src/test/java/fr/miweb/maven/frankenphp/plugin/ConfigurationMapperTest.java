package fr.miweb.maven.frankenphp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.InvalidConfigurationException;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pom → model mapping: precedence, parsing, and every problem reported at once with where it came from. */
class ConfigurationMapperTest {

    @TempDir
    Path base;

    private final Map<String, String> commandLine = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private final Map<GoalParameter, String> goal = new HashMap<>();
    private final ImageConfiguration image = new ImageConfiguration();
    private final OctaneConfiguration octane = new OctaneConfiguration();
    private final ComposeConfiguration compose = new ComposeConfiguration();
    private final ReleaseConfiguration release = new ReleaseConfiguration();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private DeploymentConfig map() throws InvalidConfigurationException {
        return new ConfigurationMapper(commandLine::get, properties::get).goalParameters(goal)
                .map(new ProjectInfo(base, "mdb-copilot-api", "1.0.0", "MDB Copilot API"), image, new PhpConfiguration(), octane,
                        compose, environment, release);
    }

    private List<String> problems() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, this::map);
        return e.problems().stream().map(ConfigurationProblem::describe).collect(Collectors.toList());
    }

    @Test
    void anEmptyConfigurationIsTheDefaults() throws Exception {
        assertEquals(TestConfigs.defaults(base), map());
    }

    /** Issue 11 item 1: the reported pom with six bad values (and the two booleans of item 3) reports all of them. */
    @Test
    void everyBadValueOfAPomIsReportedAtOnce() {
        image.registry = "https://docker-registry.miweb.fr/v2";
        image.name = "MDB Copilot API";
        image.pull = "yes";
        octane.port = "eighty";
        octane.workers = "many";
        compose.schedulerMode = "cron";
        compose.watchtowerLabels = "yes";
        environment.put("DB_PASSWORD", "hunter2");

        List<String> problems = problems();

        assertEquals(8, problems.size(), () -> String.join("\n", problems));
        assertHas(problems, "<image><registry> = 'https://docker-registry.miweb.fr/v2': use a registry host");
        assertHas(problems, "<image><name> = 'MDB Copilot API': use lowercase letters");
        assertHas(problems, "<image><pull> = 'yes': use true or false");
        assertHas(problems, "<octane><port> = 'eighty': use a whole number, such as 80");
        assertHas(problems, "<octane><workers> = 'many': use auto or a worker count");
        assertHas(problems, "<compose><schedulerMode> = 'cron': use one of: work, loop");
        assertHas(problems, "<compose><watchtowerLabels> = 'yes': use true or false");
        assertHas(problems, "<environment><DB_PASSWORD> = '(hidden)'");
        assertTrue(problems.stream().noneMatch(p -> p.contains("hunter2")));
    }

    /** Issue 11 items 1 and 5: -D values are reported together, each under its element and its property. */
    @Test
    void commandLineValuesAreReportedTogetherAndNamed() {
        commandLine.put("frankenphp.registry", "https://x/v2");
        commandLine.put("frankenphp.tagStrategy", "semver");
        commandLine.put("frankenphp.tag", "v1.0 beta!");
        commandLine.put("frankenphp.pull", "yes");

        List<String> problems = problems();

        assertEquals(4, problems.size(), () -> String.join("\n", problems));
        assertHas(problems, "<image><registry> (-Dfrankenphp.registry) = 'https://x/v2'");
        assertHas(problems, "<image><tagStrategy> (-Dfrankenphp.tagStrategy) = 'semver': use one of:");
        assertHas(problems, "<image><tag> (-Dfrankenphp.tag) = 'v1.0 beta!'");
        assertHas(problems, "<image><pull> (-Dfrankenphp.pull) = 'yes': use true or false");
    }

    @Test
    void aValueFromThePomsPropertiesNamesTheProperty() {
        properties.put("frankenphp.release.target", "kubernetes");
        assertHas(problems(), "<release><target> (<frankenphp.release.target> in <properties>) = 'kubernetes'");
    }

    @Test
    void aValueFromThePomElementNamesTheElementOnly() {
        image.tag = "v1.0 beta!";
        assertHas(problems(), "<image><tag> = 'v1.0 beta!'");
    }

    @Test
    void oneRuleCommandLineThenPomThenPropertiesThenDefault() throws Exception {
        properties.put("frankenphp.registry", "from-properties:5000");
        assertEquals("from-properties:5000", map().image().registry());
        image.registry = "from-pom:5000";
        assertEquals("from-pom:5000", map().image().registry());
        commandLine.put("frankenphp.registry", "from-cli:5000");
        assertEquals("from-cli:5000", map().image().registry());
    }

    @Test
    void emptyCommandLineRegistryIsRefusedNotDefaulted() {
        commandLine.put("frankenphp.registry", "");
        assertHas(problems(), "<image><registry> (-Dfrankenphp.registry) = '': use a registry host");
    }

    /** Issue 11 item 6: every goal checks every goal parameter, its own as bound, the others' from their properties. */
    @Test
    void everyGoalChecksEveryGoalParameter() {
        commandLine.put("frankenphp.push.attempts", "abc");
        commandLine.put("frankenphp.build.timeout", "forever");
        properties.put("frankenphp.release.skip", "yes");
        goal.put(GoalParameter.SKIP, "no");

        List<String> problems = problems();

        assertEquals(4, problems.size(), () -> String.join("\n", problems));
        assertHas(problems, "<pushAttempts> (-Dfrankenphp.push.attempts) = 'abc': use a whole number, 1 or more, such as 4");
        assertHas(problems, "<buildTimeout> (-Dfrankenphp.build.timeout) = 'forever': use a duration");
        assertHas(problems, "<releaseSkip> (<frankenphp.release.skip> in <properties>) = 'yes': use true or false");
        assertHas(problems, "<skip> = 'no': use true or false");
    }

    /** Issue 11 item 4. */
    @Test
    void anExplicitTemplateDirectoryMustBeADirectory() throws Exception {
        goal.put(GoalParameter.TEMPLATE_DIRECTORY, base.resolve("src/main/frankenphp").toString());
        map();  // the default may be absent: no override templates

        goal.put(GoalParameter.TEMPLATE_DIRECTORY, base.resolve("src/main/frankenphp-typo").toString());
        assertHas(problems(), "<templateDirectory> = 'src/main/frankenphp-typo': this directory does not exist");

        Files.writeString(base.resolve("pom.xml"), "<project/>");
        goal.put(GoalParameter.TEMPLATE_DIRECTORY, base.resolve("pom.xml").toString());
        assertHas(problems(), "<templateDirectory> = 'pom.xml': this is a file, not a directory");

        Files.createDirectories(base.resolve("templates"));
        goal.put(GoalParameter.TEMPLATE_DIRECTORY, base.resolve("templates").toString());
        map();
    }

    /** Issue 11 item 4: Maven on Linux takes C:\build\x as a file name in the project. */
    @Test
    void aWindowsOutputDirectoryIsRefusedOnLinux() {
        goal.put(GoalParameter.OUTPUT_DIRECTORY, base.resolve("C:\\build\\x").toString());
        commandLine.put("frankenphp.outputDirectory", "C:\\build\\x");
        assertHas(problems(), "<outputDirectory> (-Dfrankenphp.outputDirectory) = 'C:\\build\\x': this is a Windows path");

        goal.put(GoalParameter.OUTPUT_DIRECTORY, base.resolve("C:/build/x").toString());
        assertHas(problems(), "'C:/build/x': this is a Windows path");
    }

    // ------------------------------------------------------------------ structure (issue 11 item 2)

    private static ConfigurationStructure.Element element(String name, String value) {
        return new ConfigurationStructure.Element(name, value, List.of());
    }

    @Test
    void aNestedElementAtTheTopIsMisplaced() {
        List<String> problems = ConfigurationStructure.checkTopLevel(List.of(element("registry", "localhost:5000"),
                element("port", "8080"), element("pushAttempts", "3"), element("image", null), element("registy", "x")))
                .stream().map(ConfigurationProblem::describe).collect(Collectors.toList());
        assertEquals(List.of(
                "<registry> = 'localhost:5000': this element belongs in <image>: write <image><registry>...</registry></image>",
                "<port> = '8080': this element belongs in <octane>: write <octane><port>...</port></octane>",
                "<registy> = 'x': not a parameter of this plugin; see docs/configuration.md"), problems);
    }

    @Test
    void sectionChildrenAreCheckedAsAClass() {
        List<ConfigurationStructure.Element> keep = new java.util.ArrayList<>();
        List<String> problems = ConfigurationStructure.checkSection("image", List.of(element("registry", ""), element("registy", "x"),
                element("port", "80"), element("pushAttempts", "2"), element("name", "api"), element("registry", "  ")), keep)
                .stream().map(ConfigurationProblem::describe).collect(Collectors.toList());
        assertEquals(5, problems.size(), () -> String.join("\n", problems));
        assertHas(problems, "<image><registry> = '': the element is empty; give it a value, or remove it to use the default");
        assertHas(problems, "<image><registy> = 'x': <image> has no such element (did you mean <registry>?); it takes registry, name,");
        assertHas(problems, "<image><port> = '80': this element belongs in <octane>, not in <image>");
        assertHas(problems, "<image><pushAttempts> = '2': this is a goal parameter");
        assertEquals(List.of("registry", "name", "registry"), keep.stream().map(ConfigurationStructure.Element::name).collect(Collectors.toList()));
    }

    private static void assertHas(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected) || p.contains(expected)),
                () -> "no problem starts with: " + expected + "\nproblems:\n" + String.join("\n", problems));
    }
}
