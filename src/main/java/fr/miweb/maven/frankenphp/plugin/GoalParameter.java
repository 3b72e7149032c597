package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every top-level goal parameter of the plugin, whichever goal declares it: its pom element, its property and its
 * default. Every goal checks all of them, so {@code -Dfrankenphp.push.attempts=abc} fails {@code generate} too, and
 * the docs test compares this table with docs/configuration.md and with the mojos' {@code @Parameter}s.
 *
 * <p>To add a goal parameter: a {@code String} field with {@code @Parameter(property = ..., defaultValue =
 * Defaults.X)} in the mojo, the default in {@link Defaults}, one line here, one row in the docs table.
 */
enum GoalParameter {
    SKIP("skip", "frankenphp.skip", Defaults.SKIP, Kind.FLAG),
    OUTPUT_DIRECTORY("outputDirectory", "frankenphp.outputDirectory", Defaults.OUTPUT_DIRECTORY, Kind.PATH),
    TEMPLATE_DIRECTORY("templateDirectory", "frankenphp.templateDirectory", Defaults.TEMPLATE_DIRECTORY, Kind.PATH),
    EXPORT("export", "frankenphp.export", Defaults.EXPORT, Kind.FLAG),
    FORCE("force", "frankenphp.force", Defaults.FORCE, Kind.FLAG),
    BUILD_SKIP("buildSkip", "frankenphp.build.skip", Defaults.BUILD_SKIP, Kind.FLAG),
    BUILD_TIMEOUT("buildTimeout", "frankenphp.build.timeout", Defaults.BUILD_TIMEOUT, Kind.DURATION),
    PUSH_SKIP("pushSkip", "frankenphp.push.skip", Defaults.PUSH_SKIP, Kind.FLAG),
    SERVER_ID("serverId", "frankenphp.serverId", null, Kind.TEXT),
    CONNECT_TIMEOUT("connectTimeout", "frankenphp.connectTimeout", Defaults.CONNECT_TIMEOUT, Kind.DURATION),
    PUSH_ATTEMPTS("pushAttempts", "frankenphp.push.attempts", Defaults.PUSH_ATTEMPTS, Kind.COUNT),
    PUSH_RETRY_BACKOFF("pushRetryBackoff", "frankenphp.push.retryBackoff", Defaults.PUSH_RETRY_BACKOFF, Kind.DURATION),
    PUSH_TIMEOUT("pushTimeout", "frankenphp.push.timeout", Defaults.PUSH_TIMEOUT, Kind.DURATION),
    PUSH_OVERWRITE("pushOverwrite", "frankenphp.push.overwrite", Defaults.PUSH_OVERWRITE, Kind.FLAG),
    RELEASE_SKIP("releaseSkip", "frankenphp.release.skip", Defaults.RELEASE_SKIP, Kind.FLAG),
    ROLLBACK_VERSION("rollbackVersion", "frankenphp.rollback.version", null, Kind.TAG),
    REGISTRY_CERTS_DIRECTORY("registryCertsDirectory", "frankenphp.registry.certsDirectory", Defaults.REGISTRY_CERTS_DIRECTORY, Kind.PATH);

    /** How a value is checked. */
    enum Kind { FLAG, COUNT, DURATION, PATH, TAG, TEXT }

    final String element;
    final String property;
    /** The default, as the {@code @Parameter} annotation writes it; null when there is none. */
    final String defaultValue;
    final Kind kind;

    GoalParameter(String element, String property, String defaultValue, Kind kind) {
        this.element = element;
        this.property = property;
        this.defaultValue = defaultValue;
        this.kind = kind;
    }

    /** The pom element as messages show it. */
    String label() {
        return "<" + element + ">";
    }

    static Optional<GoalParameter> byElement(String element) {
        return Arrays.stream(values()).filter(p -> p.element.equals(element)).findFirst();
    }
}
