package fr.miweb.maven.frankenphp.config;

import java.util.Map;
import java.util.Optional;

/**
 * The image to build and where it is published.
 *
 * @param registry      registry host, with an optional port ({@code docker-registry.miweb.fr})
 * @param name          repository path inside the registry ({@code mdb-copilot-api})
 * @param baseImage     the FrankenPHP image the Dockerfile starts from
 * @param composerImage the image Composer's binary is copied from
 * @param tag           an explicit version tag, or {@code null} to compute one with {@code tagStrategy}
 * @param tagStrategy   how the version tag is computed when {@code tag} is not set
 * @param buildArgs     {@code --build-arg} values passed to the build
 * @param labels        extra image labels, on top of the OCI labels the build adds
 * @param pull          always try to pull newer base images
 * @param noCache       build without the layer cache
 * @param runtimeUser   the non-root user the container runs as
 * @param runtimeUid    that user's numeric id
 */
public record ImageSettings(
        String registry,
        String name,
        String baseImage,
        String composerImage,
        String tag,
        TagStrategy tagStrategy,
        Map<String, String> buildArgs,
        Map<String, String> labels,
        boolean pull,
        boolean noCache,
        String runtimeUser,
        int runtimeUid) {

    public ImageSettings {
        buildArgs = Map.copyOf(buildArgs);
        labels = Map.copyOf(labels);
    }

    /** {@code registry/name}, the image reference without a tag. */
    public String repository() {
        return registry + "/" + name;
    }

    public Optional<String> explicitTag() {
        return Optional.ofNullable(tag).filter(t -> !t.isBlank());
    }
}
