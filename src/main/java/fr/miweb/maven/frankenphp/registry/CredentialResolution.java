package fr.miweb.maven.frankenphp.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link CredentialResolver#resolve(String)}: the credentials if any source had them, and
 * the descriptions of the sources consulted, in order, up to and including the one that answered.
 *
 * @param credentials      the credentials found, or empty
 * @param consultedSources {@link CredentialSource#describe(String)} of every source consulted
 */
public record CredentialResolution(Optional<RegistryCredentials> credentials, List<String> consultedSources) {

    public CredentialResolution {
        Objects.requireNonNull(credentials, "credentials");
        consultedSources = List.copyOf(consultedSources);
    }

    /** The consulted sources as one line, e.g. for "no credentials found; looked in: …". */
    public String consultedSourcesSummary() {
        return String.join("; ", consultedSources);
    }
}
