package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryApiException;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Moves {@code latest} in the registry to an existing version by putting that version's manifest
 * under the tag (the Registry API's way; nothing is pulled or pushed). After a rollback, or a
 * release that never went live, a later {@code docker compose pull} or Watchtower then gets the
 * version that serves, not the bad one.
 */
public final class RegistryLatestTag {

    private final Supplier<RegistryApi> registryFactory;
    private final String name;
    private RegistryApi registry;

    /**
     * @param name the repository inside the registry ({@code team/app}, without the host)
     */
    public RegistryLatestTag(RegistryApi registry, String name) {
        this(() -> registry, name);
    }

    /**
     * @param registryFactory builds the registry client on first use. Its TLS set-up costs a cold JVM a few hundred
     *                        milliseconds of CPU (several times that on a busy server), which a release or rollback
     *                        then spends while its new container starts, not before its swap
     * @param name            the repository inside the registry ({@code team/app}, without the host)
     */
    public RegistryLatestTag(Supplier<RegistryApi> registryFactory, String name) {
        this.registryFactory = Objects.requireNonNull(registryFactory, "registryFactory");
        this.name = name;
    }

    private synchronized RegistryApi registry() {
        if (registry == null) {
            registry = registryFactory.get();
        }
        return registry;
    }

    /** @return the digest {@code latest} now names */
    public String pointAt(String version) throws ReleaseException {
        return put(version, manifestOf(version));
    }

    /**
     * Starts the move of {@code latest} that ends a release or a rollback: the version's manifest is read now, on a
     * thread of its own (it changes nothing in the registry, so a swap that stops first leaves nothing behind), and
     * {@link Move#finish} is then one request on a connection already open.
     */
    Move prepare(String version) {
        Move move = new Move(version);
        Thread thread = new Thread(move.manifest, "frankenphp-latest-manifest");
        thread.setDaemon(true);
        thread.start();
        return move;
    }

    /**
     * After a release that failed before its version took the traffic: {@code latest} goes back to the version that
     * kept serving, so that Watchtower or a later pull does not install the failed one.
     *
     * @return what to add to the release's failure: where {@code latest} is now
     */
    String moveBack(String serving, String failed) {
        try {
            pointAt(serving);
            return "\nlatest in the registry points to " + serving + " again, the version that kept serving.";
        } catch (ReleaseException moveFailed) {
            return "\nlatest in the registry still names " + failed + ": " + moveFailed.getMessage()
                    + " Move it back with mvn frankenphp:rollback -Dfrankenphp.rollback.version=" + serving + ".";
        }
    }

    /** The move of {@code latest} to one version, prepared while a swap runs. */
    final class Move {
        private final String version;
        private final FutureTask<RegistryApi.Manifest> manifest;

        private Move(String version) {
            this.version = version;
            this.manifest = new FutureTask<>(() -> manifestOf(version));
        }

        /**
         * Points {@code latest} at the version, the last thing a swap does under its lock, so that latest names what
         * serves. A rollback that cannot move it fails (a later {@code up -d} or Watchtower would bring the bad version
         * back); a release, whose push moved it already unless a rollback ran since, only warns.
         *
         * @param where "on the server", "on the Swarm": where the version serves, for the messages
         */
        void finish(boolean rollback, String where, ComposeRelease.Log log) throws ReleaseException, InterruptedException {
            try {
                String digest = put(version, readManifest());
                log.info("latest in the registry names " + version + " (" + digest + ")");
            } catch (ReleaseException e) {
                if (rollback) {
                    throw new ReleaseException(version + " serves " + where + " again, but " + e.getMessage()
                            + " Run the same rollback again to move latest (its swap is redone, harmlessly).", e.userFixable(), e);
                }
                log.warn(version + " serves, but latest in the registry could not be pointed at it: " + e.getMessage()
                        + " The push moved it to " + version + " unless a rollback ran since; run mvn frankenphp:release again.");
            }
        }

        /** The manifest read ahead; read again when that failed, so that the failure reported is this call's. */
        private RegistryApi.Manifest readManifest() throws ReleaseException, InterruptedException {
            try {
                return manifest.get();
            } catch (ExecutionException e) {
                return manifestOf(version);
            }
        }
    }

    private RegistryApi.Manifest manifestOf(String version) throws ReleaseException {
        try {
            return registry().manifest(name, version).orElseThrow(() -> new ReleaseException(
                    "The registry has no " + name + ":" + version + "; latest was not moved.", true));
        } catch (RetryFailedException e) {
            throw new ReleaseException("Could not move latest to " + version + " in the registry: " + e.getMessage(), false, e);
        } catch (RegistryApiException e) {
            throw setUpFailed(version, e);
        }
    }

    private String put(String version, RegistryApi.Manifest manifest) throws ReleaseException {
        try {
            return registry().putManifest(name, "latest", manifest);
        } catch (RetryFailedException e) {
            throw new ReleaseException("Could not move latest to " + version + " in the registry: " + e.getMessage(), false, e);
        } catch (RegistryApiException e) {
            throw setUpFailed(version, e);
        }
    }

    /** The client could not be built: the registry's CA certificates (certs.d) are unreadable or not certificates. */
    private static ReleaseException setUpFailed(String version, RegistryApiException e) {
        return new ReleaseException("Could not move latest to " + version + " in the registry: " + e.getMessage(), true, e);
    }
}
