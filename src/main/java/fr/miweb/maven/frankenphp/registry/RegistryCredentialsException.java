package fr.miweb.maven.frankenphp.registry;

/**
 * A credential source exists but cannot be used: an unreadable or malformed Docker config file, a
 * half-set pair of environment variables, a credential helper that is missing, failing or too slow.
 *
 * <p>Unchecked so that {@link CredentialSource} stays a plain interface; the mojo catches it in one
 * place and turns it into a build failure. Messages name the file, key, variable or helper to fix and
 * never contain a secret; for the same reason, parser and helper output is never attached as a cause.
 */
public class RegistryCredentialsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryCredentialsException(String message) {
        super(message);
    }

    /** Use only with causes whose messages cannot contain secrets, such as file-system errors. */
    public RegistryCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
