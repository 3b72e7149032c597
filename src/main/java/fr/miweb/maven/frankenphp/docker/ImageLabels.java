package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels an image is built with: the OCI annotations the plugin knows, then the user's. */
public final class ImageLabels {

    /** The build time, ISO-8601: what {@code push} compares before it moves {@code latest}. */
    public static final String CREATED = "org.opencontainers.image.created";
    /** The version tag of the build. */
    public static final String VERSION = "org.opencontainers.image.version";

    private ImageLabels() {
    }

    /**
     * {@code org.opencontainers.image.title/version/created}, {@code revision} inside a git checkout and
     * {@code source} when the pom names one; the user's {@code <image><labels>} come last and win.
     */
    public static Map<String, String> of(DeploymentConfig config, String version, Instant created) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", config.project().name());
        labels.put(VERSION, version);
        labels.put(CREATED, created.toString());
        VersionTags.gitRevision(config.project().baseDirectory())
                .ifPresent(revision -> labels.put("org.opencontainers.image.revision", revision));
        config.project().sourceUrl().map(ImageLabels::withoutUserInfo)
                .ifPresent(url -> labels.put("org.opencontainers.image.source", url));
        labels.putAll(config.image().labels());
        return labels;
    }

    /**
     * The URL without its user info: a CI checkout URL such as {@code https://gitlab-ci-token:<token>@gitlab/x}
     * would otherwise put a credential into every pulled image. Also covers the scp-like git form
     * {@code user@host:path}, whose user is not secret but is dropped the same way.
     */
    static String withoutUserInfo(String url) {
        // scheme://[userinfo@]host...: the user info ends at the last '@' before the first '/', '?' or '#'
        int schemeEnd = url.indexOf("://");
        int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return url;
        }
        return url.substring(0, authorityStart) + url.substring(at + 1);
    }
}
