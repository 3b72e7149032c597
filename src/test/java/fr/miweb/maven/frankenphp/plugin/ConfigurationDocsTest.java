package fr.miweb.maven.frankenphp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Durations;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * docs/configuration.md against the code (issue 11, item 10): every element and goal parameter is documented,
 * with the default the code applies; the mojos' {@code @Parameter}s (as plugin.xml records them) match
 * {@link GoalParameter}. A change to a default, or a new element, fails here until the docs follow.
 */
class ConfigurationDocsTest {

    private static final Path DOCS = Path.of("docs/configuration.md");
    private static final Path PLUGIN_XML = Path.of("target/classes/META-INF/maven/plugin.xml");
    /** A cell that is exactly one code span: the docs state a literal default there. */
    private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");
    /** Section elements whose model component has another name. */
    private static final Map<String, String> COMPONENTS = Map.of("user", "runtimeUser", "uid", "runtimeUid");

    private static String docs() throws Exception {
        return Files.readString(DOCS, StandardCharsets.UTF_8);
    }

    /** The rows of the first table after the heading (## or ###) that starts with this text: first cell → cells. */
    private static Map<String, List<String>> table(String heading) throws Exception {
        List<String> lines = docs().lines().collect(Collectors.toList());
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## " + heading) || lines.get(i).startsWith("### " + heading)) {
                start = i;
                break;
            }
        }
        assertTrue(start >= 0, "docs/configuration.md has no heading ## or ### " + heading);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            if (!inTable) {
                inTable = true;
                i++; // the |---| line
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("(?<!\\\\)\\|"))
                    .map(String::trim).collect(Collectors.toList());
            // "`queueSleep`, `queueTries`" documents several elements in one row, their defaults in the same order.
            List<String> names = codeSpans(cells.get(0));
            for (int n = 0; n < names.size(); n++) {
                List<String> row = new ArrayList<>(cells);
                if (names.size() > 1) {
                    for (int c = 1; c < row.size(); c++) {
                        List<String> parts = codeSpans(row.get(c));
                        if (parts.size() == names.size()) {
                            row.set(c, "`" + parts.get(n) + "`");
                        }
                    }
                }
                rows.put(names.get(n), row);
            }
        }
        return rows;
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = LITERAL.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    /** The literal default a cell states, or null when it describes one in words (*(none)*, "the registry host"). */
    private static String literal(String cell) {
        Matcher m = LITERAL.matcher(cell);
        return m.matches() ? m.group(1) : null;
    }

    @Test
    void goalParametersTableMatchesTheCode() throws Exception {
        Map<String, List<String>> rows = table("Goal parameters");
        assertEquals(names(Arrays.stream(GoalParameter.values()).map(p -> p.element)), new TreeSet<>(rows.keySet()),
                "goal parameters documented vs GoalParameter");
        for (GoalParameter parameter : GoalParameter.values()) {
            List<String> row = rows.get(parameter.element);
            assertEquals(parameter.property, literal(row.get(1)), parameter.element + ": property");
            String documented = literal(row.get(2));
            assertEquals(parameter.defaultValue, documented, parameter.element + ": default");
        }
    }

    @Test
    void everyMojoParameterIsAGoalParameterOrASection() throws Exception {
        Document pluginXml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(PLUGIN_XML.toFile());
        NodeList mojos = pluginXml.getElementsByTagName("mojo");
        Set<String> sections = Set.of("image", "php", "octane", "compose", "release", "environment");
        int checked = 0;
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = child(mojo, "goal").getTextContent();
            Element configuration = child(mojo, "configuration");
            Map<String, Element> configured = new HashMap<>();
            if (configuration != null) {
                for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        configured.put(e.getTagName(), e);
                    }
                }
            }
            Element parameters = child(mojo, "parameters");
            if (parameters == null || goal.equals("help")) { // the generated help goal
                continue;
            }
            for (Node n = parameters.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element parameter) || !"true".equals(child(parameter, "editable").getTextContent())) {
                    continue;
                }
                String name = child(parameter, "name").getTextContent();
                if (sections.contains(name)) {
                    continue;
                }
                GoalParameter known = GoalParameter.byElement(name).orElseThrow(() -> new AssertionError(
                        goal + ": the parameter <" + name + "> is missing from GoalParameter (and so from the checks and the docs)"));
                Element binding = configured.get(name);
                assertEquals("${" + known.property + "}", binding.getTextContent(), goal + " <" + name + ">: property");
                String defaultValue = binding.hasAttribute("default-value") ? binding.getAttribute("default-value") : null;
                assertEquals(known.defaultValue, defaultValue, goal + " <" + name + ">: default");
                checked++;
            }
        }
        assertTrue(checked > 20, "plugin.xml lists the goal parameters: " + checked);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void sectionTablesListEveryElementWithTheDefaultTheCodeApplies() throws Exception {
        DeploymentConfig defaults = new ConfigurationMapper(name -> null, name -> null)
                .map(new ProjectInfo(Path.of("/projects/mdb-copilot-api"), "mdb-copilot-api", "1.0.0", "MDB Copilot API"),
                        null, null, null, null, null, null);
        Map<String, Record> models = Map.of("image", defaults.image(), "php", defaults.php(), "octane", defaults.octane(),
                "compose", defaults.compose(), "release", defaults.release());
        int compared = 0;
        for (String section : List.of("image", "php", "octane", "compose", "release")) {
            Map<String, List<String>> rows = table("`<" + section + ">`");
            assertEquals(names(ConfigurationStructure.elementsOf(section).stream()), new TreeSet<>(rows.keySet()),
                    "<" + section + "> elements documented vs " + section + " configuration class");
            for (Map.Entry<String, List<String>> row : rows.entrySet()) {
                // Tables with a Property column have the default third, the others second.
                String cell = row.getValue().get(row.getValue().size() == 4 ? 2 : 1);
                String documented = literal(cell);
                if (documented == null || documented.contains("${")) {
                    continue; // a default described in words, such as *(none)* or "the image name"
                }
                Object actual = component(models.get(section), COMPONENTS.getOrDefault(row.getKey(), row.getKey()));
                assertEquals(text(actual), normalise(documented, actual), "<" + section + "><" + row.getKey() + "> default");
                compared++;
            }
        }
        assertTrue(compared >= 30, "defaults compared: " + compared);
    }

    /**
     * The sections' Javadoc repeats each default for readers of the code (and of help): it must say what the docs
     * say, which the test above ties to the code.
     */
    @Test
    void sectionJavadocDefaultsMatchTheDocs() throws Exception {
        Pattern field = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:\\w+(?:<[^>]*>)?) (\\w+);", Pattern.DOTALL);
        Pattern stated = Pattern.compile("Default (?:\\{@code (.*?)}(?=[.\\s])|(\\w[\\w.:/-]*\\w))");
        int compared = 0;
        for (String section : List.of("image", "php", "octane", "compose", "release")) {
            String className = Character.toUpperCase(section.charAt(0)) + section.substring(1) + "Configuration.java";
            String source = Files.readString(Path.of("src/main/java/fr/miweb/maven/frankenphp/plugin", className));
            Map<String, List<String>> rows = table("`<" + section + ">`");
            Matcher m = field.matcher(source);
            while (m.find()) {
                Matcher d = stated.matcher(m.group(1));
                List<String> row = rows.get(m.group(2));
                if (!d.find() || row == null) {
                    continue;
                }
                String javadoc = d.group(1) != null ? d.group(1) : d.group(2);
                String documented = literal(row.get(row.size() == 4 ? 2 : 1));
                if (documented != null) {
                    assertEquals(documented, javadoc, className + " " + m.group(2) + ": the Javadoc's default");
                    compared++;
                }
            }
        }
        assertTrue(compared >= 20, "Javadoc defaults compared: " + compared);
    }

    /**
     * {@code mvn frankenphp:help -Ddetail} and {@code help:describe} show plugin.xml's descriptions (issue 11, item 13):
     * each section's description lists every element of its docs table, with the property and the literal default
     * the table states, in the list item that names the element.
     */
    @Test
    void helpDescribesEverySectionElementWithItsPropertyAndDefault() throws Exception {
        Document pluginXml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(PLUGIN_XML.toFile());
        Map<String, String> descriptions = new HashMap<>();
        NodeList parameters = pluginXml.getElementsByTagName("parameter");
        for (int i = 0; i < parameters.getLength(); i++) {
            Element parameter = (Element) parameters.item(i);
            Element description = child(parameter, "description");
            if (description != null) {
                descriptions.putIfAbsent(child(parameter, "name").getTextContent(), description.getTextContent());
            }
        }
        int checked = 0;
        for (String section : List.of("image", "php", "octane", "compose", "release")) {
            String description = descriptions.get(section);
            assertTrue(description != null, "plugin.xml describes <" + section + ">");
            // plugin.xml holds the Javadoc as text: one "* " line per list item.
            List<String> items = Arrays.asList(description.split("\n\\* "));
            Map<String, List<String>> rows = new LinkedHashMap<>(table("`<" + section + ">`"));
            Map<String, List<String>> startupSteps = section.equals("image") ? table("`<image><startup>`") : Map.of();
            assertTrue(!section.equals("image") || startupSteps.size() == 5, "startup rows: " + startupSteps.keySet());
            rows.putAll(startupSteps);
            for (Map.Entry<String, List<String>> row : rows.entrySet()) {
                // An item starts with the elements it describes ("queueSleep, queueTries, queueMaxTime: ..."); the
                // startup steps are described inside the item of <startup>.
                boolean startupStep = startupSteps.containsKey(row.getKey());
                String item = items.stream().skip(1)
                        .filter(it -> mentions(startupStep ? it : it.substring(0, Math.max(0, it.indexOf(':'))), row.getKey()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("help for <" + section + "> does not list <" + row.getKey() + ">"));
                List<String> cells = row.getValue();
                // A startup step is described in its own clause of the <startup> item: "configCache (config:cache; ...)".
                String described = startupStep ? clause(item, row.getKey()) : item;
                String property = cells.size() == 4 ? literal(cells.get(1)) : null;
                if (property != null) {
                    assertTrue(mentions(described, property),
                            "help for <" + section + "><" + row.getKey() + "> names its property " + property + ": " + described);
                }
                String documented = literal(cells.get(cells.size() == 4 ? 2 : 1));
                if (documented != null) {
                    assertTrue(statesDefault(described, documented),
                            "help for <" + section + "><" + row.getKey() + "> states its default " + documented + ": " + described);
                }
                checked++;
            }
        }
        assertTrue(checked >= 40, "elements checked in help: " + checked);
        assertTrue(!descriptions.get("image").contains("docs/configuration.md"),
                "help points to docs/configuration.md, which is not in the jar");
    }

    /**
     * The text states this default: "default X", or "defaults A, B, C" listing it. Listing the allowed values
     * ("true or false") does not count.
     */
    private static boolean statesDefault(String text, String value) {
        int single = text.indexOf("default " + value);
        if (single >= 0 && mentions(text.substring(single + "default ".length()), value)) {
            return true;
        }
        int several = text.indexOf("defaults ");
        return several >= 0 && mentions(text.substring(several, Math.max(several, text.indexOf('.', several))), value);
    }

    /** From the element's name to the closing parenthesis of its description. */
    private static String clause(String item, String element) {
        Matcher m = Pattern.compile("(?<![\\w.$-])" + Pattern.quote(element) + " \\(([^)]*)\\)").matcher(item);
        assertTrue(m.find(), "no clause '" + element + " (...)' in: " + item);
        return m.group(1);
    }

    /** The text names this word, not as part of a longer one. */
    private static boolean mentions(String text, String word) {
        return Pattern.compile("(?<![\\w.$-])" + Pattern.quote(word) + "(?![\\w-]|\\.\\w)").matcher(text).find();
    }

    @Test
    void phpIniAndEnvironmentDefaultsMatchTheCode() throws Exception {
        String docs = docs();
        int start = docs.indexOf("| Directive | Value |");
        List<String> directives = docs.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|"))
                .map(l -> l.split("\\|")).map(c -> codeSpans(c[1]).get(0) + "=" + codeSpans(c[2]).get(0)).collect(Collectors.toList());
        assertEquals(Defaults.phpIni().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList()),
                directives, "php.ini defaults, in order");

        int env = docs.indexOf("## `<environment>`");
        String block = docs.substring(docs.indexOf("```", env) + 3, docs.indexOf("```", docs.indexOf("```", env) + 3));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z_]+)=(\\S*)").matcher(block);
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        // DB_HOST's default depends on the image name: its key is compared, not its value.
        Map<String, String> expected = new LinkedHashMap<>(Defaults.environment("mdb-copilot-api"));
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(documented.keySet()), "environment keys");
        expected.forEach((key, value) -> {
            if (!key.equals("DB_HOST")) {
                assertEquals(value, documented.get(key), "environment " + key);
            }
        });
    }

    private static Set<String> names(java.util.stream.Stream<String> names) {
        return names.collect(Collectors.toCollection(TreeSet::new));
    }

    private static Object component(Record record, String name) throws Exception {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                Object value = component.getAccessor().invoke(record);
                return value instanceof java.util.Optional<?> optional ? optional.orElse(null) : value;
            }
        }
        throw new AssertionError(record.getClass().getSimpleName() + " has no component " + name);
    }

    /** The model value as the docs write it. */
    private static String text(Object value) throws Exception {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
        }
        if (value instanceof Enum<?> e) {
            return (String) e.getClass().getMethod("configValue").invoke(e);
        }
        return String.valueOf(value);
    }

    private static String normalise(String documented, Object actual) {
        if (actual instanceof java.time.Duration) {
            return Durations.parse(documented).map(String::valueOf).orElse(documented);
        }
        return documented;
    }
}
