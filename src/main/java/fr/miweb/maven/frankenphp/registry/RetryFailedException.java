package fr.miweb.maven.frankenphp.registry;

/**
 * An operation run by {@link Retrier} failed for good: it was not retryable, every attempt failed, or the
 * thread was interrupted while waiting to retry. The message says how many attempts were made and ends
 * with a summary of the last failure, which is the {@linkplain #getCause() cause}.
 */
public class RetryFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RetryFailedException(String message, int attempts, Throwable lastFailure) {
        super(message, lastFailure);
        this.attempts = attempts;
    }

    /** How many times the operation was attempted. */
    public int attempts() {
        return attempts;
    }
}
