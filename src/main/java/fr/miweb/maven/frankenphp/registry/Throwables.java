package fr.miweb.maven.frankenphp.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Helpers to read a failure and its causes. */
public final class Throwables {

    private static final int MAX_SUMMARY_LENGTH = 200;

    private Throwables() {
    }

    /** The failure followed by its causes, outermost first; stops at a cycle. */
    public static List<Throwable> causeChain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = failure; current != null && seen.add(current); current = current.getCause()) {
            chain.add(current);
        }
        return chain;
    }

    /**
     * One line for logs: the first message found along the cause chain, skipping wrappers whose message
     * is just their cause's {@code toString()}; the exception type when no message is available.
     */
    public static String summarize(Throwable failure) {
        for (Throwable current : causeChain(failure)) {
            String message = current.getMessage();
            boolean wrapperMessage = current.getCause() != null && current.getCause().toString().equals(message);
            if (message != null && !message.isBlank() && !wrapperMessage) {
                String firstLine = message.strip().lines().findFirst().orElse("");
                return firstLine.length() > MAX_SUMMARY_LENGTH
                        ? firstLine.substring(0, MAX_SUMMARY_LENGTH) + "…"
                        : firstLine;
            }
        }
        return failure.getClass().getSimpleName();
    }
}
