package fr.miweb.maven.frankenphp.plugin;

/**
 * Keeps docker-java's debug logging out of {@code mvn -X}. At DEBUG, docker-java logs each command
 * with its credentials, and its HTTP client logs request bodies and headers on the wire: the
 * registry password of a login check, and the base64 {@code X-Registry-Auth} header of a push.
 *
 * <p>Maven's SLF4J provider reads {@code org.slf4j.simpleLogger.log.<prefix>} system properties
 * when a logger is created, so setting it before docker-java's classes load is enough. A user who
 * really wants that output can set the property to {@code debug} themselves; it is left alone then.
 */
final class DockerJavaLogging {

    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.com.github.dockerjava";

    private DockerJavaLogging() {
    }

    static void keepSecretsOutOfDebugLogs() {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "info");
        }
    }
}
