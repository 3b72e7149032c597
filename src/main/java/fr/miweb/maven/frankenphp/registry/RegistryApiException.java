package fr.miweb.maven.frankenphp.registry;

import java.util.OptionalInt;

/**
 * A request of {@link RegistryApi} failed: the registry answered an error, refused the credentials, or the
 * connection failed. The message says which request, for which reference, and never contains a secret.
 */
public class RegistryApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final OptionalInt httpStatus;

    public RegistryApiException(String message, OptionalInt httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The registry's HTTP status, or empty when it did not answer. */
    public OptionalInt httpStatus() {
        return httpStatus;
    }
}
