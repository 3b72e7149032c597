package fr.miweb.maven.frankenphp.registry;

/** Decides whether a failed attempt is worth repeating; see {@link RegistryFailureClassifier}. */
@FunctionalInterface
public interface RetryClassifier {

    /** True when trying again may succeed, e.g. a 503 or a reset connection; false for 401 or a bad request. */
    boolean isRetryable(Throwable failure);
}
