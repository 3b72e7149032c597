package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape of the plugin's {@code <configuration>}: which elements exist and where. It finds, all at once, what
 * Maven would only warn about or stop at: an element in the wrong place ({@code <registry>} at the top instead of
 * in {@code <image>}, {@code <port>} in {@code <compose>} instead of {@code <octane>}), a misspelt one, and an empty
 * one (which Maven binds as unset, so the default would silently apply).
 *
 * <p>It knows the names from the code itself: the fields of the {@code *Configuration} classes and
 * {@link GoalParameter}. A new element needs no change here.
 */
final class ConfigurationStructure {

    static final String DOCS = "see docs/configuration.md";

    /** The nested sections and the class each binds to; {@code <environment>} takes any key. */
    private static final Map<String, Class<?>> SECTIONS = sections();
    private static final String ENVIRONMENT = "environment";

    /** An element of the pom as written: its name, its text, its children. */
    record Element(String name, String value, List<Element> children) {
        boolean isBlank() {
            return children.isEmpty() && (value == null || value.isBlank());
        }
    }

    private ConfigurationStructure() {
    }

    private static Map<String, Class<?>> sections() {
        Map<String, Class<?>> sections = new LinkedHashMap<>();
        sections.put("image", ImageConfiguration.class);
        sections.put("php", PhpConfiguration.class);
        sections.put("octane", OctaneConfiguration.class);
        sections.put("compose", ComposeConfiguration.class);
        sections.put("release", ReleaseConfiguration.class);
        return sections;
    }

    static boolean isSection(String name) {
        return SECTIONS.containsKey(name);
    }

    /** Every top-level element of the plugin's configuration: the goal parameters and the sections. */
    static Set<String> topLevelNames() {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(GoalParameter.values()).forEach(p -> names.add(p.element));
        names.addAll(SECTIONS.keySet());
        names.add(ENVIRONMENT);
        return names;
    }

    /** The elements a section takes, in declaration order. */
    static List<String> elementsOf(String section) {
        return elementsOf(SECTIONS.get(section));
    }

    private static List<String> elementsOf(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.isSynthetic())
                .map(Field::getName).collect(Collectors.toList());
    }

    private static Optional<Class<?>> typeOf(Class<?> type, String element) {
        try {
            return Optional.of(type.getDeclaredField(element).getType());
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        }
    }

    /** A group of elements of its own, such as {@code <image><startup>}: checked like a section. */
    private static boolean isNested(Class<?> fieldType) {
        return fieldType != String.class && !Map.class.isAssignableFrom(fieldType)
                && !java.util.Collection.class.isAssignableFrom(fieldType);
    }

    /**
     * The top-level elements of the plugin's {@code <configuration>} (and of its executions'): Maven only warns
     * about an unknown one, then goes on with the default.
     */
    static List<ConfigurationProblem> checkTopLevel(List<Element> topLevel) {
        List<ConfigurationProblem> problems = new ArrayList<>();
        Set<String> known = topLevelNames();
        for (Element element : topLevel) {
            if (known.contains(element.name())) {
                continue;
            }
            String label = "<" + element.name() + ">";
            Optional<String> home = sectionOf(element.name());
            if (home.isPresent()) {
                problems.add(new ConfigurationProblem(label, display(element), "this element belongs in <" + home.get() + ">: write <"
                        + home.get() + "><" + element.name() + ">...</" + element.name() + "></" + home.get() + ">"));
            } else {
                problems.add(new ConfigurationProblem(label, display(element), "not a parameter of this plugin"
                        + suggestion(element.name(), known) + "; " + DOCS));
            }
        }
        return problems;
    }

    /**
     * The children of one section, and of the groups inside it ({@code <image><startup>}): unknown or misplaced
     * ones (which Maven would stop at, one at a time), and empty scalars (which Maven would bind as unset). Returns
     * the problems; {@code keep} receives the children Maven can bind, each with only its own bindable children.
     */
    static List<ConfigurationProblem> checkSection(String section, List<Element> children, List<Element> keep) {
        List<ConfigurationProblem> problems = new ArrayList<>();
        check(section, "<" + section + ">", SECTIONS.get(section), children, keep, problems);
        return problems;
    }

    private static void check(String section, String path, Class<?> type, List<Element> children, List<Element> keep,
                              List<ConfigurationProblem> problems) {
        List<String> elements = elementsOf(type);
        for (Element child : children) {
            String label = path + "<" + child.name() + ">";
            Optional<Class<?>> childType = typeOf(type, child.name());
            if (childType.isPresent()) {
                if (isNested(childType.get())) {
                    List<Element> kept = new ArrayList<>();
                    check(section, label, childType.get(), child.children(), kept, problems);
                    keep.add(new Element(child.name(), child.value(), kept));
                    continue;
                }
                keep.add(child);
                if (childType.get() == String.class && child.isBlank()) {
                    problems.add(new ConfigurationProblem(label, "", "the element is empty; give it a value, or remove it to use "
                            + "the default (" + DOCS + ")"));
                }
                continue;
            }
            boolean sectionLevel = type == SECTIONS.get(section);
            Optional<String> home = sectionLevel ? sectionOf(child.name()).filter(s -> !s.equals(section)) : Optional.empty();
            Optional<GoalParameter> goal = sectionLevel ? GoalParameter.byElement(child.name()) : Optional.empty();
            String fix;
            if (home.isPresent()) {
                fix = "this element belongs in <" + home.get() + ">, not in <" + section + ">";
            } else if (goal.isPresent()) {
                fix = "this is a goal parameter: write <" + child.name() + "> directly in the plugin's <configuration>, not in <"
                        + section + ">";
            } else {
                fix = path + " has no such element" + suggestion(child.name(), elements) + "; it takes "
                        + String.join(", ", elements) + " (" + DOCS + ")";
            }
            problems.add(new ConfigurationProblem(label, display(child), fix));
        }
    }

    private static Optional<String> sectionOf(String element) {
        return SECTIONS.keySet().stream().filter(section -> elementsOf(section).contains(element)).findFirst();
    }

    private static String display(Element element) {
        return element.children().isEmpty() ? (element.value() == null ? "" : element.value().trim()) : "...";
    }

    /** " (did you mean <registry>?)" when a known name is one or two edits away. */
    private static String suggestion(String name, java.util.Collection<String> known) {
        return known.stream().filter(k -> distance(k.toLowerCase(), name.toLowerCase()) <= 2)
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(), name.toLowerCase())))
                .map(k -> " (did you mean <" + k + ">?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
