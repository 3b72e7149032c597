package fr.miweb.maven.frankenphp.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently to retry a registry operation: up to {@code maxAttempts} attempts, waiting
 * {@code initialBackoff} after the first failure and {@code multiplier} times longer after each further
 * one, never more than {@code maxBackoff}.
 *
 * @param maxAttempts    total number of attempts, including the first; 1 means no retry
 * @param initialBackoff wait after the first failed attempt; zero or more
 * @param multiplier     growth factor of the wait from one retry to the next; at least 1
 * @param maxBackoff     upper bound of any wait; at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    /** Validates the settings; messages name the offending value so a misconfigured pom is easy to fix. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry maxAttempts must be at least 1 (got " + maxAttempts + ")");
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("retry initialBackoff must not be negative (got " + initialBackoff + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("retry multiplier must be a finite number of at least 1.0 (got "
                    + multiplier + ")");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry maxBackoff (" + maxBackoff
                    + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
        }
    }

    /**
     * The wait after attempt {@code failedAttempt} failed, before the next one:
     * {@code initialBackoff × multiplier^(failedAttempt − 1)}, capped at {@code maxBackoff}.
     *
     * @param failedAttempt the 1-based number of the attempt that failed
     */
    public Duration delayAfterFailedAttempt(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1 (got " + failedAttempt + ")");
        }
        // Doubles saturate to infinity instead of overflowing, so large attempt numbers still hit the cap.
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, failedAttempt - 1);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(Math.round(millis));
    }
}
