package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;

/**
 * Moves {@code latest} in the registry to an existing version by putting that version's manifest
 * under the tag (the Registry API's way; nothing is pulled or pushed). After a rollback, or a
 * release that never went live, a later {@code docker compose pull} or Watchtower then gets the
 * version that serves, not the bad one.
 */
public final class RegistryLatestTag {

    private final RegistryApi registry;
    private final String name;

    /**
     * @param name the repository inside the registry ({@code team/app}, without the host)
     */
    public RegistryLatestTag(RegistryApi registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    /** @return the digest {@code latest} now names */
    public String pointAt(String version) throws ReleaseException {
        return pointAt(version, manifestOf(version));
    }

    /**
     * The version's manifest: the first half of {@link #pointAt(String)}, which changes nothing in the registry and
     * can be read ahead, so that the move itself is one request on a connection already open.
     */
    public RegistryApi.Manifest manifestOf(String version) throws ReleaseException {
        try {
            return registry.manifest(name, version).orElseThrow(() -> new ReleaseException(
                    "The registry has no " + name + ":" + version + "; latest was not moved.", true));
        } catch (RetryFailedException e) {
            throw new ReleaseException("Could not move latest to " + version + " in the registry: " + e.getMessage(), false, e);
        }
    }

    /** @return the digest {@code latest} now names: {@code manifest}'s, the one of {@code version} */
    public String pointAt(String version, RegistryApi.Manifest manifest) throws ReleaseException {
        try {
            return registry.putManifest(name, "latest", manifest);
        } catch (RetryFailedException e) {
            throw new ReleaseException("Could not move latest to " + version + " in the registry: " + e.getMessage(), false, e);
        }
    }
}
