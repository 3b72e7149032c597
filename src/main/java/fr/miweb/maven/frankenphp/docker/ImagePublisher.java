package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.InfoRegistryConfig;
import fr.miweb.maven.frankenphp.registry.Ipv4Cidr;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.Retrier;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Publishes a built image: the version tag first, then {@code latest}, so {@code latest} never names an image the
 * registry lacks. After each tag, {@code image.json} records its digest, so a failed run leaves an honest record and
 * running {@code push} again completes the release.
 *
 * <p>Released tags are protected ({@link ReleaseRules}): a version tag that already names another image is not
 * replaced, and {@code latest} does not move to a build older than the one it names, unless {@code overwrite}.
 * The Docker daemon pushes the version tag; the registry is then read back ({@link RegistryApi}) to check that the
 * tag names the recorded image, and {@code latest} is set by putting that very manifest to it, so what the local
 * {@code latest} tag names (another build on a shared daemon may move it) never matters.
 */
public final class ImagePublisher {

    private final DockerClient client;
    private final RegistryOperations registry;
    private final Retrier retrier;
    private final Duration pushTimeout;
    private final Consumer<String> progress;
    private final Path certsDirectory;

    /**
     * As {@link #ImagePublisher(DockerClient, Retrier, Duration, Consumer, Path)}, trusting the registry CAs of
     * {@link RegistryApi#DOCKER_CERTS_DIRECTORY}.
     */
    public ImagePublisher(DockerClient client, Retrier retrier, Duration pushTimeout, Consumer<String> progress) {
        this(client, retrier, pushTimeout, progress, RegistryApi.DOCKER_CERTS_DIRECTORY);
    }

    /**
     * @param retrier        retries login checks, pushes and registry requests that failed for a transient reason
     * @param pushTimeout    deadline of each push attempt and of each registry request
     * @param progress       receives push status lines and the decisions about tags
     * @param certsDirectory the Docker engine's {@code certs.d}: {@code <registry>/*.crt} there are trusted when the
     *                       plugin reads the registry
     */
    public ImagePublisher(DockerClient client, Retrier retrier, Duration pushTimeout, Consumer<String> progress, Path certsDirectory) {
        this.client = client;
        this.registry = new RegistryOperations(client);
        this.retrier = retrier;
        this.pushTimeout = pushTimeout;
        this.progress = progress;
        this.certsDirectory = certsDirectory;
    }

    /** Checks the registry accepts the credentials; each attempt is bounded by the push timeout. */
    public void checkLogin(String registryHost, RegistryCredentials credentials) {
        retrier.call("Login to " + registryHost, () -> {
            registry.checkLogin(registryHost, credentials, pushTimeout);
            return null;
        });
    }

    /**
     * Whether the engine that pushes treats the registry as insecure, and so pushed over plain HTTP if HTTPS failed:
     * loopback addresses by default, and what its {@code insecure-registries} lists (by name or by CIDR).
     */
    private boolean insecure(String registryHost) {
        if (RegistryApi.isLoopback(registryHost)) {
            return true;
        }
        try {
            InfoRegistryConfig config = client.infoCmd().exec().getRegistryConfig();
            if (config == null) {
                return false;
            }
            InfoRegistryConfig.IndexConfig index = config.getIndexConfigs() == null ? null : config.getIndexConfigs().get(registryHost);
            if (index != null && index.getSecure() != null) {
                return !index.getSecure();
            }
            String host = registryHost.replaceFirst(":[0-9]+$", "");
            return config.getInsecureRegistryCIDRs() != null
                    && config.getInsecureRegistryCIDRs().stream().anyMatch(cidr -> Ipv4Cidr.contains(cidr, host));
        } catch (RuntimeException e) {
            // Without the engine's view, HTTPS only: the safe side.
            return false;
        }
    }

    /** {@link #publish(ImageRecord, Path, String, RegistryCredentials, boolean)} without overwriting anything. */
    public ImageRecord publish(ImageRecord record, Path recordFile, String registryHost, RegistryCredentials credentials)
            throws DockerException, IOException {
        return publish(record, recordFile, registryHost, credentials, false);
    }

    /**
     * @param overwrite replace a version tag that names another image, and move {@code latest} even to an older build
     * @return the record with the tags pushed ({@code latest} is left out when it stays at a newer build)
     * @throws ReleaseRefusedException when the version tag names another image and not {@code overwrite}; nothing is pushed
     */
    public ImageRecord publish(ImageRecord record, Path recordFile, String registryHost, RegistryCredentials credentials,
                               boolean overwrite) throws DockerException, IOException {
        InspectImageResponse image = ensureStillBuilt(record);
        String name = repositoryName(record, registryHost);
        RegistryApi api = new RegistryApi(registryHost, credentials, retrier, pushTimeout, certsDirectory, insecure(registryHost));
        String version = record.version();
        String versionReference = record.repository() + ":" + version;

        Optional<RegistryApi.Manifest> existing = api.manifest(name, version);
        Optional<ReleaseRules.TagContent> released = existing.map(ImagePublisher::content);
        switch (ReleaseRules.versionTag(released, record.imageId(), overwrite)) {
            case REFUSE -> throw new ReleaseRefusedException(ReleaseRules.refusal(versionReference, released.get(), record.imageId()));
            case REPLACE -> progress.accept("Replacing " + versionReference + " (" + released.get().describe() + ") with this build ("
                    + record.imageId() + "): frankenphp.push.overwrite is true.");
            case PUSH_AGAIN -> progress.accept(versionReference + " already names this build (" + record.imageId()
                    + "): pushing it again changes nothing.");
            case PUSH -> { }
        }
        String pushedDigest = retrier.call("Push of " + versionReference,
                () -> registry.push(record.repository(), version, credentials, registryHost, pushTimeout, progress));
        RegistryApi.Manifest pushed = verify(api, name, versionReference, version, pushedDigest, record.imageId());
        ImageRecord current = record.withPushed(version, pushed.digest());
        current.write(recordFile);

        Optional<RegistryApi.Manifest> latest = api.manifest(name, "latest");
        boolean sameImage = latest.map(manifest -> manifest.digest().equals(pushed.digest()) || content(manifest).names(record.imageId()))
                .orElse(false);
        Optional<ReleaseRules.Dated> latestImage = latest.filter(manifest -> !sameImage).map(manifest -> dated(api, name, manifest));
        ReleaseRules.LatestDecision decision = ReleaseRules.latest(latestImage, sameImage, dated(record, image), overwrite);
        progress.accept(decision.reason());
        if (!decision.move()) {
            return current;
        }
        String latestDigest = api.putManifest(name, "latest", pushed);
        Optional<String> now = api.manifestDigest(name, "latest");
        if (!now.equals(Optional.of(pushed.digest()))) {
            throw new DockerException("latest in the registry is " + now.orElse("absent") + " right after it was set to this build ("
                    + pushed.digest() + "): another deploy of " + record.repository() + " moved it at the same moment. "
                    + versionReference + " is released; check which build latest should name, and run mvn frankenphp:push again.");
        }
        current = current.withPushed("latest", latestDigest);
        current.write(recordFile);
        return current;
    }

    /** The registry must now serve, under the tag, the manifest the daemon pushed, and it must name the recorded image. */
    private static RegistryApi.Manifest verify(RegistryApi api, String name, String reference, String tag, String pushedDigest, String imageId)
            throws DockerException {
        RegistryApi.Manifest manifest = api.manifest(name, tag).orElseThrow(() -> new DockerException("The registry has no "
                + reference + " right after the Docker daemon pushed it (digest " + pushedDigest + "). Run mvn frankenphp:push again."));
        ReleaseRules.TagContent content = content(manifest);
        if (!manifest.digest().equals(pushedDigest) || !content.names(imageId)) {
            throw new DockerException("The registry's " + reference + " is not the image built here: it names " + content.describe()
                    + ", the daemon pushed manifest " + pushedDigest + ", and the build is " + imageId + ". Another push to the same "
                    + "tag replaced it meanwhile (a concurrent deploy of this version, or another build re-tagging " + reference
                    + " on the same Docker daemon). latest was not moved. Find out which image " + reference + " should be, then "
                    + "push again (mvn frankenphp:push, with " + ReleaseRules.OVERRIDE + " to replace it).");
        }
        return manifest;
    }

    private static ReleaseRules.TagContent content(RegistryApi.Manifest manifest) {
        return new ReleaseRules.TagContent(manifest.digest(), manifest.configDigest());
    }

    /** The image a registry tag names, dated by its config's labels; an index or an unreadable config has no date. */
    private static ReleaseRules.Dated dated(RegistryApi api, String name, RegistryApi.Manifest manifest) {
        Optional<String> config = manifest.configDigest();
        Map<String, String> labels = config.map(digest -> api.configLabels(name, digest)).orElse(Map.of());
        String version = Optional.ofNullable(labels.get(ImageLabels.VERSION)).filter(v -> !v.isBlank())
                .orElse(config.orElse(manifest.digest()));
        return new ReleaseRules.Dated(version, ReleaseRules.parseTime(labels.get(ImageLabels.CREATED)));
    }

    /** This build, dated by its created label, or by the build time image.json recorded when it has none. */
    private static ReleaseRules.Dated dated(ImageRecord record, InspectImageResponse image) {
        Map<String, String> labels = image.getConfig() == null || image.getConfig().getLabels() == null
                ? Map.of() : image.getConfig().getLabels();
        Optional<Instant> created = ReleaseRules.parseTime(labels.get(ImageLabels.CREATED)).or(() -> ReleaseRules.parseTime(record.builtAt()));
        return new ReleaseRules.Dated(record.version(), created);
    }

    /** {@code registry/team/app} to {@code team/app}, the name the registry API knows it by. */
    private static String repositoryName(ImageRecord record, String registryHost) throws DockerException {
        String prefix = registryHost + "/";
        if (!record.repository().startsWith(prefix)) {
            throw new DockerException("The image " + record.repository() + " recorded in image.json is not in the registry "
                    + registryHost + ". Build again (mvn package).");
        }
        return record.repository().substring(prefix.length());
    }

    /**
     * The recorded image must still be in the daemon, under its version tag: the daemon may have been reset since
     * the build, or the tag removed. The local {@code latest} is not used: the registry's is set from the version
     * tag's manifest.
     */
    private InspectImageResponse ensureStillBuilt(ImageRecord record) throws DockerException {
        String versionReference = record.repository() + ":" + record.version();
        InspectImageResponse image;
        try {
            image = client.inspectImageCmd(record.imageId()).exec();
        } catch (NotFoundException e) {
            throw new DockerException("The image " + versionReference + " (" + record.imageId() + ") recorded in image.json "
                    + "is no longer in the Docker daemon (removed, or the daemon was reset since the build). "
                    + "Build it again: mvn package (or mvn deploy).", e);
        }
        if (image.getRepoTags() == null || !image.getRepoTags().contains(versionReference)) {
            client.tagImageCmd(record.imageId(), record.repository(), record.version()).exec();
        }
        return image;
    }
}
