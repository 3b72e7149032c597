package fr.miweb.maven.frankenphp.registry;

import java.time.Duration;

/**
 * A retry about to happen, reported to a {@link RetryListener} before the {@link Retrier} waits.
 *
 * @param operation    what is being retried, e.g. {@code "push of docker-registry.miweb.fr/app:1.2.0"}
 * @param nextAttempt  the 1-based number of the attempt about to be made (2 for the first retry)
 * @param maxAttempts  the total number of attempts allowed
 * @param delay        how long the retrier waits before that attempt
 * @param causeSummary one line describing the failure, e.g. {@code "503 Service Unavailable"}
 * @param failure      the failure itself, for debug logging
 */
public record RetryEvent(String operation, int nextAttempt, int maxAttempts, Duration delay, String causeSummary,
                         Throwable failure) {

    /** E.g. {@code "retrying push of docker-registry.miweb.fr/app:1.2.0 in 2s (attempt 2/4): 503 Service Unavailable"}. */
    public String describe() {
        return "retrying " + operation + " in " + DurationFormat.format(delay)
                + " (attempt " + nextAttempt + "/" + maxAttempts + "): " + causeSummary;
    }
}
