package fr.miweb.maven.frankenphp.config;

import java.util.regex.Pattern;

/**
 * Docker's image reference grammar (distribution/reference), used to reject a registry, image name
 * or tag before anything is rendered or built.
 */
public final class DockerReferences {

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern PATH_PATTERN = Pattern.compile(PATH);
    private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
    private static final Pattern REFERENCE_PATTERN = Pattern.compile(
            "(?:" + DOMAIN + "/)?" + PATH + "(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    /** Docker refuses references longer than this. */
    public static final int MAX_NAME_LENGTH = 255;

    private DockerReferences() {
    }

    public static boolean isRegistry(String value) {
        return value != null && DOMAIN_PATTERN.matcher(value).matches();
    }

    public static boolean isRepositoryPath(String value) {
        return value != null && PATH_PATTERN.matcher(value).matches();
    }

    public static boolean isTag(String value) {
        return value != null && TAG_PATTERN.matcher(value).matches();
    }

    /** A full reference such as {@code dunglas/frankenphp:1-php8.4-bookworm} or {@code mysql:8.0}. */
    public static boolean isImageReference(String value) {
        return value != null && value.length() <= MAX_NAME_LENGTH && REFERENCE_PATTERN.matcher(value).matches();
    }
}
