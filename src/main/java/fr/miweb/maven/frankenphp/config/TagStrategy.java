package fr.miweb.maven.frankenphp.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the version tag of an image is chosen when no explicit tag is configured. */
public enum TagStrategy {
    /** The build's start time, {@code yyyyMMdd-HHmmss} in UTC, as the original deploy.sh did. */
    TIMESTAMP("timestamp"),
    /** The Maven project version. */
    PROJECT_VERSION("project-version"),
    /** The short commit id of the project's git checkout. */
    GIT_COMMIT("git-commit");

    private final String configValue;

    TagStrategy(String configValue) {
        this.configValue = configValue;
    }

    /** The value a user writes in the pom. */
    public String configValue() {
        return configValue;
    }

    public static Optional<TagStrategy> fromConfigValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.configValue.equals(wanted)).findFirst();
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(TagStrategy::configValue).collect(Collectors.joining(", "));
    }
}
