package fr.miweb.maven.frankenphp.registry;

/** Told about each retry, typically to log {@link RetryEvent#describe()} as a warning. */
@FunctionalInterface
public interface RetryListener {

    /** Called after a retryable failure, before the retrier waits {@link RetryEvent#delay()}. */
    void beforeRetry(RetryEvent event);
}
