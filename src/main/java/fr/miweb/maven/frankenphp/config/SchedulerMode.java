package fr.miweb.maven.frankenphp.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the scheduler container runs Laravel's scheduler. */
public enum SchedulerMode {
    /** {@code php artisan schedule:work}: Laravel's supported long-running form. */
    WORK("work"),
    /** The original story's shell loop: {@code schedule:run} every 60 seconds. */
    LOOP("loop");

    private final String configValue;

    SchedulerMode(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static Optional<SchedulerMode> fromConfigValue(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.configValue.equals(wanted)).findFirst();
    }

    public static String allowedValues() {
        return Arrays.stream(values()).map(SchedulerMode::configValue).collect(Collectors.joining(", "));
    }
}
