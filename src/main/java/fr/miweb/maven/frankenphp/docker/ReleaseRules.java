package fr.miweb.maven.frankenphp.docker;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What {@code push} may do to the registry's tags: a released version tag is never replaced by another image, and
 * {@code latest} never moves to an image older than the one it names, unless the user overrides
 * ({@code -Dfrankenphp.push.overwrite=true}).
 */
public final class ReleaseRules {

    /** How the override is spelled in messages. */
    public static final String OVERRIDE = "-Dfrankenphp.push.overwrite=true (<pushOverwrite>)";

    private ReleaseRules() {
    }

    /**
     * What the registry holds under a tag.
     *
     * @param manifestDigest the manifest's digest
     * @param configDigest   the digest of its image config; empty for a multi-platform index
     */
    public record TagContent(String manifestDigest, Optional<String> configDigest) {

        /**
         * Whether the tag names the image {@code imageId}: the config digest is the image id of an image pushed by
         * the engine's classic image store, the manifest digest is the image id with the containerd image store.
         */
        public boolean names(String imageId) {
            return imageId.equals(manifestDigest) || configDigest.map(imageId::equals).orElse(false);
        }

        String describe() {
            return configDigest.map(config -> "image " + config + ", manifest " + manifestDigest)
                    .orElse("manifest " + manifestDigest);
        }
    }

    /** What to do with the version tag. */
    public enum VersionAction {
        /** The registry has no such tag. */
        PUSH,
        /** The tag already names this image: pushing again changes nothing (the resumption of an interrupted push). */
        PUSH_AGAIN,
        /** The tag names another image, and the user asked to replace it. */
        REPLACE,
        /** The tag names another image: refused. */
        REFUSE
    }

    public static VersionAction versionTag(Optional<TagContent> existing, String imageId, boolean overwrite) {
        if (existing.isEmpty()) {
            return VersionAction.PUSH;
        }
        if (existing.get().names(imageId)) {
            return VersionAction.PUSH_AGAIN;
        }
        return overwrite ? VersionAction.REPLACE : VersionAction.REFUSE;
    }

    /** The refusal's message: which tag, which images, what to do. */
    public static String refusal(String reference, TagContent existing, String imageId) {
        return "The registry already has " + reference + " (" + existing.describe() + "), and it is not this build ("
                + imageId + "). A released version is not replaced: nothing was pushed and latest was not moved. "
                + "Release under a new version (bump <version> in the pom, set <image><tag> / -Dfrankenphp.tag=..., "
                + "or with <tagStrategy>timestamp build again: mvn deploy), or replace the released image with " + OVERRIDE + ".";
    }

    /**
     * An image as far as the {@code latest} decision goes.
     *
     * @param version  its version ({@code org.opencontainers.image.version}), or a digest when it has none
     * @param created  its build time ({@code org.opencontainers.image.created}), when known
     */
    public record Dated(String version, Optional<Instant> created) {

        String describe() {
            return version + created.map(time -> " (built " + time + ")").orElse(" (no build time)");
        }
    }

    /**
     * @param move   whether to point {@code latest} at this build
     * @param reason one line for the log, saying what was decided and why
     */
    public record LatestDecision(boolean move, String reason) {
    }

    /**
     * @param current   what {@code latest} names now, empty when the registry has no {@code latest} (or {@code sameImage})
     * @param sameImage whether {@code latest} already names this build
     * @param build     this build
     */
    public static LatestDecision latest(Optional<Dated> current, boolean sameImage, Dated build, boolean overwrite) {
        if (sameImage) {
            return new LatestDecision(true, "latest already names this build " + build.describe() + ".");
        }
        if (current.isEmpty()) {
            return new LatestDecision(true, "latest is set to " + build.describe() + ": the registry had no latest.");
        }
        Dated now = current.get();
        if (now.created().isEmpty() || build.created().isEmpty()) {
            String unknown = now.created().isEmpty() ? "the image latest names, " + now.version() + "," : "this build";
            return new LatestDecision(true, "latest moves from " + now.describe() + " to " + build.describe() + ": " + unknown
                    + " has no " + ImageLabels.CREATED + " label to compare.");
        }
        if (now.created().get().isAfter(build.created().get())) {
            if (overwrite) {
                return new LatestDecision(true, "latest moves back from " + now.describe() + " to the older build "
                        + build.describe() + ": frankenphp.push.overwrite is true.");
            }
            return new LatestDecision(false, "latest stays at " + now.describe() + ", newer than this build " + build.describe()
                    + ". To move latest back to this build (a rollback), push with " + OVERRIDE + ".");
        }
        return new LatestDecision(true, "latest moves from " + now.describe() + " to " + build.describe() + ".");
    }

    /** An ISO-8601 instant ({@code 2026-11-24T10:15:00Z}, offsets allowed), or empty. */
    public static Optional<Instant> parseTime(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DateTimeFormatter.ISO_DATE_TIME.parse(value.trim(), Instant::from));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
