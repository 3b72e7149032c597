package fr.miweb.maven.frankenphp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link DeploymentConfig} before anything is written or built, and reports every invalid
 * value at once, each with its pom element and a fix.
 */
public final class ConfigValidator {

    private static final Pattern PHP_EXTENSION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INI_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    /**
     * Words PHP's ini scanner reads as a boolean or null constant wherever they stand, so as a key they are a
     * syntax error ("unexpected BOOL_TRUE") and PHP drops every directive after them. Case-insensitive.
     */
    private static final Set<String> INI_RESERVED_KEYS = Set.of("on", "off", "yes", "no", "true", "false", "null", "none");
    /** PHP's shorthand byte notation: digits with an optional K, M or G suffix, or -1. */
    private static final Pattern INI_SIZE = Pattern.compile("-1|[0-9]+[KMGkmg]?");
    /** Directives PHP parses as a size; anything else there is silently read as a smaller number. */
    private static final Set<String> INI_SIZE_KEYS = Set.of(
            "memory_limit", "post_max_size", "upload_max_filesize", "opcache.jit_buffer_size",
            "realpath_cache_size", "opcache.file_cache_size");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * Values Laravel's phpdotenv and compose (env_file and --env-file) read the same way, as the template writes them
     * (single-quoted unless plain): anything but {@code '}, {@code $}, {@code \} and control characters. Checked
     * character by character against both real readers in EnvValuesTest.
     */
    private static final Pattern ENV_VALUE = Pattern.compile("[^'$\\\\\\p{Cc}\\u2028\\u2029]*");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|_KEY)$|^APP_KEY$");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Pattern UNIX_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /**
     * A URL path that a shell reads as one plain word too: DEPLOY.md shows it in a {@code curl} command. No
     * {@code ; & ( ) * !}, which would split the command or expand.
     */
    private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~+,=:@%/-]*");
    /** A path the Dockerfile's COPY takes literally: no quotes, '$', '\' (line continuation) or spaces. */
    private static final Pattern IMAGE_PATH = Pattern.compile("(/[A-Za-z0-9._+@-]+)+");
    private static final Pattern COMPOSE_PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern WORKERS = Pattern.compile("auto|[1-9][0-9]{0,3}");
    /** A Swarm node label as a placement constraint reads it: {@code node.labels.KEY == VALUE}. */
    private static final Pattern NODE_LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*=[A-Za-z0-9][A-Za-z0-9._-]*");

    private final List<ConfigurationProblem> problems = new ArrayList<>();

    private ConfigValidator() {
    }

    /** Returns normally when the configuration is usable, else lists every problem. */
    public static void validate(DeploymentConfig config) throws InvalidConfigurationException {
        ConfigValidator validator = new ConfigValidator();
        validator.checkImage(config.image());
        validator.checkPhp(config.php());
        validator.checkOctane(config.octane());
        validator.checkCompose(config.compose());
        validator.checkEnvironment(config.environment());
        validator.checkRelease(config.release());
        if (config.release().target() == ReleaseTarget.WATCHTOWER && !config.compose().watchtowerLabels()) {
            validator.problem("<compose><watchtowerLabels>", "false",
                    "<release><target>watchtower</target> needs the labels: Watchtower runs with --label-enable, so that it never "
                            + "recreates MySQL; remove <watchtowerLabels> or set it to true");
        }
        if (!validator.problems.isEmpty()) {
            throw new InvalidConfigurationException(validator.problems);
        }
    }

    private void checkImage(ImageSettings image) {
        if (!DockerReferences.isRegistry(image.registry())) {
            problem("<image><registry>", image.registry(),
                    "use a registry host with an optional port, such as docker-registry.miweb.fr or localhost:5000 (no scheme, no path)");
        }
        if (!DockerReferences.isRepositoryPath(image.name())) {
            problem("<image><name>", image.name(),
                    "use lowercase letters, digits and separators (. _ - /), such as mdb-copilot-api");
        } else if (image.repository().length() + 129 > DockerReferences.MAX_NAME_LENGTH) {
            problem("<image><name>", image.name(), "shorten the registry and image name (Docker allows 255 characters with the tag)");
        }
        reference("<image><baseImage>", image.baseImage());
        reference("<image><composerImage>", image.composerImage());
        image.explicitTag().filter(tag -> !DockerReferences.isTag(tag)).ifPresent(tag -> problem("<image><tag>", tag,
                "use up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'"));
        if (image.tagStrategy() == null) {
            problem("<image><tagStrategy>", "", "use one of: " + TagStrategy.allowedValues());
        }
        image.buildArgs().forEach((key, value) -> {
            if (!ENV_KEY.matcher(key).matches()) {
                problem("<image><buildArgs><" + key + ">", key, "build argument names are letters, digits and '_'");
            } else if (key.equals("APP_VERSION")) {
                problem("<image><buildArgs><APP_VERSION>", value, "the plugin sets APP_VERSION to the version tag it pushes; remove it");
            }
        });
        image.labels().forEach((key, value) -> {
            if (key.isBlank() || key.chars().anyMatch(Character::isISOControl)) {
                problem("<image><labels>", key, "label keys must be printable, such as com.example.team");
            }
        });
        if (!UNIX_USER.matcher(image.runtimeUser()).matches() || "root".equals(image.runtimeUser())) {
            problem("<image><user>", image.runtimeUser(),
                    "use a non-root Unix user name (lowercase letters, digits, '_' or '-'), such as app");
        }
        if (image.runtimeUid() < 1 || image.runtimeUid() > 65534) {
            problem("<image><uid>", String.valueOf(image.runtimeUid()), "use a non-root user id between 1 and 65534, such as 1000");
        }
    }

    private void checkPhp(PhpSettings php) {
        if (php.extensions().isEmpty()) {
            problem("<php><extensions>", "", "list at least one extension; Octane needs pcntl and Laravel needs pdo_mysql");
        }
        for (String extension : php.extensions()) {
            if (!PHP_EXTENSION.matcher(extension).matches()) {
                problem("<php><extensions><extension>", extension,
                        "use a PHP extension name (letters, digits and '_', such as pdo_mysql or redis)");
            }
        }
        php.ini().forEach((key, value) -> {
            String element = "<php><ini><" + key + ">";
            if (!INI_KEY.matcher(key).matches()) {
                problem("<php><ini>", key, "php.ini directive names are letters, digits, '_', '.' and '-'");
            } else if (INI_RESERVED_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                problem("<php><ini>", key, "PHP reads " + key + " as a constant, not a directive name, and would ignore every "
                        + "directive after it; use a real directive name such as memory_limit");
            } else if (INI_SIZE_KEYS.contains(key.toLowerCase(Locale.ROOT)) && !INI_SIZE.matcher(value).matches()) {
                problem(element, value, "use PHP's size notation: a number with an optional K, M or G suffix, such as 512M");
            } else if (value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
                problem(element, value, "php.ini values cannot span lines");
            }
        });
        if (!IMAGE_PATH.matcher(php.iniTarget()).matches()) {
            problem("<php><iniTarget>", php.iniTarget(), "use an absolute path in the image made of letters, digits and . _ - + @, such as "
                    + Defaults.PHP_INI_TARGET);
        }
    }

    private void checkOctane(OctaneSettings octane) {
        port("<octane><port>", octane.port());
        port("<octane><adminPort>", octane.adminPort());
        if (octane.port() == octane.adminPort()) {
            problem("<octane><adminPort>", String.valueOf(octane.adminPort()), "use a port different from <octane><port>");
        }
        if (!WORKERS.matcher(octane.workers()).matches()) {
            problem("<octane><workers>", octane.workers(), "use auto or a worker count between 1 and 9999");
        }
        if (octane.maxRequests() < 1) {
            problem("<octane><maxRequests>", String.valueOf(octane.maxRequests()), "use a positive number of requests, such as 500");
        }
        if (!URL_PATH.matcher(octane.healthPath()).matches()) {
            problem("<octane><healthPath>", octane.healthPath(), "use a URL path starting with '/', such as /api/health");
        }
    }

    private void checkCompose(ComposeSettings compose) {
        name("<compose><network>", compose.network());
        name("<compose><mysqlVolume>", compose.mysqlVolume());
        port("<compose><publishedPort>", compose.publishedPort());
        reference("<compose><mysqlImage>", compose.mysqlImage());
        if (compose.queueSleep() < 0) {
            problem("<compose><queueSleep>", String.valueOf(compose.queueSleep()), "use a number of seconds, 0 or more");
        }
        if (compose.queueTries() < 1) {
            problem("<compose><queueTries>", String.valueOf(compose.queueTries()), "use 1 or more");
        }
        if (compose.queueMaxTime() < 0) {
            problem("<compose><queueMaxTime>", String.valueOf(compose.queueMaxTime()), "use a number of seconds, 0 for no limit");
        }
        if (compose.queueStopGracePeriod() == null || compose.queueStopGracePeriod().isNegative()
                || compose.queueStopGracePeriod().isZero()) {
            problem("<compose><queueStopGracePeriod>", String.valueOf(compose.queueStopGracePeriod()),
                    "use a positive duration longer than your longest job, such as 90s or 5m");
        }
        if (compose.schedulerMode() == null) {
            problem("<compose><schedulerMode>", "", "use one of: " + SchedulerMode.allowedValues());
        }
        reference("<compose><proxyImage>", compose.proxyImage());
    }

    private void checkRelease(ReleaseSettings release) {
        if (!COMPOSE_PROJECT.matcher(release.project()).matches()) {
            problem("<release><project> (frankenphp.release.project)", release.project(),
                    "use lowercase letters, digits, '-' and '_', starting with a letter or digit, as compose project names are");
        }
        release.dockerHost().ifPresent(host -> {
            String scheme = String.valueOf(host.getScheme());
            boolean valid = switch (scheme) {
                case "ssh", "tcp" -> host.getHost() != null;
                case "unix" -> host.getPath() != null && !host.getPath().isEmpty();
                default -> false;
            };
            if (!valid) {
                problem("<release><dockerHost> (frankenphp.release.dockerHost)", host.toString(),
                        "use ssh://user@host[:port], tcp://host:2376 or unix:///var/run/docker.sock");
            }
            if (scheme.equals("tcp") && release.certPath().isEmpty()) {
                problem("<release><certPath> (frankenphp.release.certPath)", "",
                        "a tcp:// dockerHost needs mutual TLS (ca.pem, cert.pem, key.pem): plain TCP would send the registry "
                                + "credentials in clear and leave the engine open; or use ssh://");
            }
            if (release.certPath().isPresent() && !scheme.equals("tcp")) {
                problem("<release><certPath> (frankenphp.release.certPath)", release.certPath().get().toString(),
                        "certificates are only for a tcp:// dockerHost; remove <certPath>");
            }
        });
        if (release.target() == ReleaseTarget.COMPOSE && release.dockerHost().isEmpty()) {
            problem("<release><dockerHost> (frankenphp.release.dockerHost)", "",
                    "<release><target>compose</target> needs the production engine, such as ssh://deploy@server.example.com");
        }
        if (release.target() == ReleaseTarget.SWARM && release.dockerHost().isEmpty()) {
            problem("<release><dockerHost> (frankenphp.release.dockerHost)", "",
                    "<release><target>swarm</target> needs a Swarm manager's engine, such as ssh://deploy@manager.example.com");
        }
        if (release.replicas() < 1 || release.replicas() > 100) {
            problem("<release><replicas> (frankenphp.release.replicas)", String.valueOf(release.replicas()),
                    "use a number of app tasks from 1 to 100; 2 or more keep the app up while Swarm replaces a task or a node is down");
        }
        if (release.databaseNode() == null || !NODE_LABEL.matcher(release.databaseNode()).matches()) {
            problem("<release><databaseNode> (frankenphp.release.databaseNode)", String.valueOf(release.databaseNode()),
                    "use a node label as key=value, such as " + Defaults.RELEASE_DATABASE_NODE
                            + " (set on the node with docker node update --label-add " + Defaults.RELEASE_DATABASE_NODE + " NODE)");
        }
        release.url().ifPresent(url -> {
            if (!isHttpUrl(url)) {
                problem("<release><url> (frankenphp.release.url)", url.toString(), "use an http:// or https:// URL");
            }
        });
        release.watchtowerUrl().ifPresent(url -> {
            if (!isHttpUrl(url) || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
                problem("<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", url.toString(),
                        "use the http:// or https:// base URL of Watchtower's HTTP API, such as http://server.example.com:8080 "
                                + "(no query, no user; the token comes from settings.xml)");
            }
        });
        if (release.target() == ReleaseTarget.WATCHTOWER) {
            if (release.watchtowerUrl().isEmpty()) {
                problem("<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", "",
                        "<release><target>watchtower</target> needs the base URL of Watchtower's HTTP API, such as http://server.example.com:8080");
            }
            if (release.url().isEmpty()) {
                problem("<release><url> (frankenphp.release.url)", "",
                        "<release><target>watchtower</target> needs the app's URL that reports its version, such as https://api.example.com/api/health");
            }
            if (release.watchtowerServerId() == null || release.watchtowerServerId().isBlank()) {
                problem("<release><watchtowerServerId> (frankenphp.release.watchtowerServerId)", "",
                        "name the settings.xml <server> whose <password> is Watchtower's API token, such as " + Defaults.RELEASE_WATCHTOWER_SERVER_ID);
            }
        }
    }

    private static boolean isHttpUrl(java.net.URI url) {
        return ("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null;
    }

    private void checkEnvironment(Map<String, String> environment) {
        environment.forEach((key, value) -> {
            String element = "<environment><" + key + ">";
            if (!ENV_KEY.matcher(key).matches()) {
                problem("<environment>", key, "variable names are letters, digits and '_'");
            } else if (isSecret(key) && !value.isEmpty()) {
                problem(element, "(hidden)", "secrets never go in the pom: leave it empty and set it in .env.production on the server");
            } else if (!isPortableEnvValue(value)) {
                problem(element, value, "leave out single quotes, '$', '\\' and control characters such as newlines and tabs: "
                        + "Laravel's dotenv and compose read them differently");
            } else if (key.equals("DB_HOST") && !NAME.matcher(value).matches()) {
                // It is also MySQL's network alias in the compose file.
                problem(element, value, "use a host name (letters, digits, '_', '.' or '-'), such as mdb-copilot-api-mysql");
            }
        });
    }

    /**
     * Whether a dotenv value reads the same for Laravel's phpdotenv and for compose's {@code --env-file}, once quoted as
     * {@code Quoting.env} quotes it: no {@code '}, {@code $}, {@code \} or control character.
     */
    public static boolean isPortableEnvValue(String value) {
        return ENV_VALUE.matcher(value).matches();
    }

    /** Keys whose value is a secret: written empty in .env.production.example, refused in the pom. */
    public static boolean isSecret(String environmentKey) {
        return SECRET_KEY.matcher(environmentKey).matches();
    }

    private void reference(String element, String value) {
        if (!DockerReferences.isImageReference(value)) {
            problem(element, value, "use an image reference such as name:tag or registry/name:tag (lowercase repository, no spaces)");
        }
    }

    private void name(String element, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            problem(element, value, "use letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    private void port(String element, int port) {
        if (port < 1 || port > 65535) {
            problem(element, String.valueOf(port), "use a port between 1 and 65535");
        }
    }

    private void problem(String element, String value, String fix) {
        problems.add(new ConfigurationProblem(element, value, fix));
    }
}
