package fr.miweb.maven.frankenphp.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs an operation, retrying it according to a {@link RetryPolicy} while a {@link RetryClassifier}
 * deems its failures transient. Each retry is reported to a {@link RetryListener} before waiting.
 *
 * <p>Every final failure is thrown as a {@link RetryFailedException} whose message counts the attempts,
 * e.g. "push of registry/app:1.2.0 failed after 4 attempts: 503 Service Unavailable", with the last
 * failure as its cause.
 */
public final class Retrier {

    private final RetryPolicy policy;
    private final RetryClassifier classifier;
    private final RetryListener listener;
    private final Sleeper sleeper;

    /** A retrier that really sleeps between attempts. */
    public Retrier(RetryPolicy policy, RetryClassifier classifier, RetryListener listener) {
        this(policy, classifier, listener, Sleeper.threadSleep());
    }

    /** A retrier that waits through {@code sleeper}, e.g. one that records delays in tests. */
    public Retrier(RetryPolicy policy, RetryClassifier classifier, RetryListener listener, Sleeper sleeper) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs {@code action} until it succeeds, fails with a non-retryable error, or has been attempted
     * {@link RetryPolicy#maxAttempts()} times.
     *
     * @param operation what the action does, for messages, e.g. {@code "push of docker-registry.miweb.fr/app:1.2.0"}
     * @return what the action returned
     * @throws RetryFailedException when the action failed for good, or the thread was interrupted
     */
    public <T> T call(String operation, Callable<T> action) {
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try {
                return action.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryFailedException(operation + " was interrupted during attempt " + attempt, attempt, e);
            } catch (Exception e) {
                failure = e;
            }
            if (!classifier.isRetryable(failure)) {
                throw new RetryFailedException(operation + " failed after " + attempts(attempt)
                        + " (error is not retryable): " + Throwables.summarize(failure), attempt, failure);
            }
            if (attempt >= policy.maxAttempts()) {
                throw new RetryFailedException(operation + " failed after " + attempts(attempt) + ": "
                        + Throwables.summarize(failure), attempt, failure);
            }
            Duration delay = policy.delayAfterFailedAttempt(attempt);
            listener.beforeRetry(new RetryEvent(operation, attempt + 1, policy.maxAttempts(), delay,
                    Throwables.summarize(failure), failure));
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryFailedException(operation + " was interrupted while waiting to retry after "
                        + attempts(attempt) + ": " + Throwables.summarize(failure), attempt, failure);
            }
        }
    }

    private static String attempts(int count) {
        return count == 1 ? "1 attempt" : count + " attempts";
    }
}
