package fr.miweb.maven.frankenphp.registry;

import java.time.Duration;
import java.util.Locale;

/** Short human-readable durations for log lines: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m30s}. */
public final class DurationFormat {

    private DurationFormat() {
    }

    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return millis % 1_000 == 0 ? millis / 1_000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1_000.0);
        }
        long minutes = millis / 60_000;
        long seconds = (millis % 60_000) / 1_000;
        return seconds == 0 ? minutes + "m" : minutes + "m" + seconds + "s";
    }
}
