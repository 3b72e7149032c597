package fr.miweb.maven.frankenphp.registry;

import java.util.Optional;

/**
 * One place where registry credentials may be stored, consulted by {@link CredentialResolver}.
 *
 * <p>Both methods receive the bare registry host as the resolver normalised it, e.g.
 * {@code docker-registry.miweb.fr} or {@code registry.frankenphp.test:5443}.
 */
public interface CredentialSource {

    /**
     * Names where this source looks for {@code registryHost}, for a "no credentials found; looked in: …"
     * message, e.g. {@code "Maven settings.xml <server> 'docker-registry.miweb.fr'"}.
     */
    String describe(String registryHost);

    /**
     * Looks up credentials for {@code registryHost}.
     *
     * @return the credentials, or empty when this source simply has none for the host
     * @throws RegistryCredentialsException when the source exists but is unusable (malformed, failing)
     */
    Optional<RegistryCredentials> find(String registryHost);
}
