package fr.miweb.maven.frankenphp.registry;

import java.util.Objects;

/**
 * Credentials for one Docker registry, with a note of where they were found.
 *
 * <p>The secret is either a password or an identity token (an OAuth refresh token that the Docker
 * daemon must receive in the {@code identitytoken} field rather than as a password), see
 * {@link #secretKind()}. {@link #toString()} never shows the secret, so instances are safe to log.
 *
 * @param username   the registry user; empty for an identity token obtained without a user name
 * @param secret     the password or identity token; never empty
 * @param secretKind what {@code secret} is
 * @param source     human-readable origin, e.g. {@code "environment variables FRANKENPHP_REGISTRY_USERNAME/FRANKENPHP_REGISTRY_PASSWORD"}
 */
public record RegistryCredentials(String username, String secret, SecretKind secretKind, String source) {

    /** What the secret of a {@link RegistryCredentials} is, which decides how it is sent to the daemon. */
    public enum SecretKind {
        /** A password or personal access token sent with the user name (basic authentication). */
        PASSWORD,
        /** An identity token, sent as {@code identitytoken} to the Docker daemon. */
        IDENTITY_TOKEN
    }

    /** Validates the components; messages never include the secret. */
    public RegistryCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(secretKind, "secretKind");
        Objects.requireNonNull(source, "source");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the secret of credentials from " + source + " is empty");
        }
        if (secretKind == SecretKind.PASSWORD && username.isBlank()) {
            throw new IllegalArgumentException("the username of credentials from " + source + " is empty");
        }
    }

    /** Credentials made of a user name and a password (or access token used as a password). */
    public static RegistryCredentials password(String username, String password, String source) {
        return new RegistryCredentials(username, password, SecretKind.PASSWORD, source);
    }

    /** Credentials made of an identity token; {@code username} may be empty. */
    public static RegistryCredentials identityToken(String username, String token, String source) {
        return new RegistryCredentials(username, token, SecretKind.IDENTITY_TOKEN, source);
    }

    /** Shows everything except the secret. */
    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", secret=****, secretKind=" + secretKind
                + ", source=" + source + "]";
    }
}
