package fr.miweb.maven.frankenphp.config;

import java.util.List;
import java.util.stream.Collectors;

/** The pom configuration has values the plugin cannot use; nothing was written or built. */
public class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigurationProblem> problems;

    public InvalidConfigurationException(List<ConfigurationProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigurationProblem> problems() {
        return problems;
    }

    private static String format(List<ConfigurationProblem> problems) {
        String header = problems.size() == 1
                ? "Invalid plugin configuration:"
                : "Invalid plugin configuration (" + problems.size() + " problems):";
        return problems.stream()
                .map(p -> "  - " + p.describe())
                .collect(Collectors.joining("\n", header + "\n", ""));
    }
}
