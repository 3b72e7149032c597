package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.registry.Throwables;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short, single-line descriptions of failures from docker-java, for user-facing messages. */
public final class DockerErrors {

    private static final Pattern DAEMON_ERROR =
            Pattern.compile("Status \\d{3}: \\{\"message\":\"(.*)\"\\}");

    private DockerErrors() {
    }

    /** The most specific message in the cause chain, without class names or stack traces. */
    public static String summary(Throwable failure) {
        Throwable deepest = failure;
        String message = null;
        for (Throwable t : Throwables.causeChain(failure)) {
            deepest = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            message = deepest.getClass().getSimpleName();
        }
        return daemonMessage(message.strip().replaceAll("\\s+", " "));
    }

    /** docker-java reports daemon errors as {@code Status 500: {"message":"..."}}; keep the daemon's words. */
    private static String daemonMessage(String message) {
        Matcher json = DAEMON_ERROR.matcher(message);
        return json.matches() ? json.group(1).replace("\\\"", "\"") : message;
    }
}
