package fr.miweb.maven.frankenphp.config;

import static fr.miweb.maven.frankenphp.config.Records.with;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidatorTest {

    private static final DeploymentConfig DEFAULTS = TestConfigs.defaults(Path.of("/projects/mdb-copilot-api"));

    private static DeploymentConfig image(String component, Object value) {
        return with(DEFAULTS, "image", with(DEFAULTS.image(), component, value));
    }

    private static DeploymentConfig php(String component, Object value) {
        return with(DEFAULTS, "php", with(DEFAULTS.php(), component, value));
    }

    private static DeploymentConfig octane(String component, Object value) {
        return with(DEFAULTS, "octane", with(DEFAULTS.octane(), component, value));
    }

    private static DeploymentConfig compose(String component, Object value) {
        return with(DEFAULTS, "compose", with(DEFAULTS.compose(), component, value));
    }

    private static DeploymentConfig release(String component, Object value) {
        return with(DEFAULTS, "release", with(DEFAULTS.release(), component, value));
    }

    private static DeploymentConfig composeRelease(java.util.Optional<java.net.URI> dockerHost) {
        return with(DEFAULTS, "release", with(with(DEFAULTS.release(), "target", ReleaseTarget.COMPOSE), "dockerHost", dockerHost));
    }

    /** A watchtower release with both URLs set, then one component replaced. */
    private static DeploymentConfig watchtowerRelease(String component, Object value) {
        ReleaseSettings release = with(with(with(DEFAULTS.release(), "target", ReleaseTarget.WATCHTOWER),
                "watchtowerUrl", java.util.Optional.of(java.net.URI.create("http://server.example.com:8080"))),
                "url", java.util.Optional.of(java.net.URI.create("https://api.example.com/api/health")));
        return with(DEFAULTS, "release", component == null ? release : with(release, component, value));
    }

    private static DeploymentConfig environment(String key, String value) {
        Map<String, String> environment = new LinkedHashMap<>(DEFAULTS.environment());
        environment.put(key, value);
        return with(DEFAULTS, "environment", environment);
    }

    private static DeploymentConfig ini(String key, String value) {
        Map<String, String> ini = new LinkedHashMap<>(DEFAULTS.php().ini());
        ini.put(key, value);
        return php("ini", ini);
    }

    private static InvalidConfigurationException rejected(DeploymentConfig config) {
        return assertThrows(InvalidConfigurationException.class, () -> ConfigValidator.validate(config));
    }

    @Test
    void defaultsAreValid() {
        assertDoesNotThrow(() -> ConfigValidator.validate(DEFAULTS));
    }

    @Test
    void aCustomisedConfigurationIsValid() {
        UnaryOperator<DeploymentConfig> customise = config -> with(with(with(config,
                "image", with(with(config.image(), "registry", "localhost:5000"), "name", "team/shop-api")),
                "octane", new OctaneSettings(8080, 2020, "4", 1000, "/up")),
                "compose", with(with(config.compose(), "network", "web"), "queueStopGracePeriod", Duration.ofMinutes(5)));

        assertDoesNotThrow(() -> ConfigValidator.validate(customise.apply(DEFAULTS)));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(image("registry", "https://docker-registry.miweb.fr"), "<image><registry>",
                        "https://docker-registry.miweb.fr", "no scheme, no path"),
                Arguments.of(image("registry", "docker-registry.miweb.fr/team"), "<image><registry>",
                        "docker-registry.miweb.fr/team", "no scheme, no path"),
                Arguments.of(image("registry", "docker_registry.miweb.fr"), "<image><registry>",
                        "docker_registry.miweb.fr", "such as docker-registry.miweb.fr"),
                Arguments.of(image("name", "MDB-Copilot-API"), "<image><name>", "MDB-Copilot-API", "lowercase"),
                Arguments.of(image("name", "mdb-copilot-api\nFROM evil"), "<image><name>", "mdb-copilot-api\\nFROM evil",
                        "lowercase"),
                Arguments.of(image("name", "mdb copilot api"), "<image><name>", "mdb copilot api", "such as mdb-copilot-api"),
                Arguments.of(image("baseImage", "dunglas/FrankenPHP:latest"), "<image><baseImage>", "dunglas/FrankenPHP:latest",
                        "image reference"),
                Arguments.of(image("baseImage", "dunglas/frankenphp:1 AS evil"), "<image><baseImage>",
                        "dunglas/frankenphp:1 AS evil", "image reference"),
                Arguments.of(php("extensions", List.of("pdo_mysql", "pdo-mysql;rm -rf /")), "<php><extensions><extension>",
                        "pdo-mysql;rm -rf /", "such as pdo_mysql"),
                Arguments.of(ini("memory_limit", "512X"), "<php><ini><memory_limit>", "512X", "such as 512M"),
                Arguments.of(ini("upload_max_filesize", "20 MB"), "<php><ini><upload_max_filesize>", "20 MB", "size notation"),
                Arguments.of(octane("port", 0), "<octane><port>", "0", "between 1 and 65535"),
                Arguments.of(octane("port", 70000), "<octane><port>", "70000", "between 1 and 65535"),
                Arguments.of(octane("adminPort", 80), "<octane><adminPort>", "80", "different from <octane><port>"),
                Arguments.of(octane("workers", "-1"), "<octane><workers>", "-1", "auto or a worker count"),
                Arguments.of(octane("healthPath", "api/health"), "<octane><healthPath>", "api/health", "starting with '/'"),
                Arguments.of(compose("network", "docker internal"), "<compose><network>", "docker internal",
                        "letters, digits"),
                Arguments.of(compose("publishedPort", 70000), "<compose><publishedPort>", "70000", "between 1 and 65535"),
                Arguments.of(environment("APP_NAME", "My $App"), "<environment><APP_NAME>", "My $App", "'$'"),
                Arguments.of(environment("APP_NAME", "line\nbreak"), "<environment><APP_NAME>", "line\\nbreak", "newlines"),
                Arguments.of(environment("DB_HOST", "db host:3306"), "<environment><DB_HOST>", "db host:3306", "use a host name"),
                Arguments.of(image("runtimeUid", 0), "<image><uid>", "0", "non-root user id"),
                Arguments.of(image("runtimeUser", "root"), "<image><user>", "root", "non-root Unix user"),
                Arguments.of(composeRelease(java.util.Optional.empty()), "<release><dockerHost> (frankenphp.release.dockerHost)", "",
                        "such as ssh://deploy@server.example.com"),
                Arguments.of(composeRelease(java.util.Optional.of(java.net.URI.create("http://server:2375"))),
                        "<release><dockerHost> (frankenphp.release.dockerHost)", "http://server:2375", "ssh://user@host[:port]"),
                Arguments.of(with(composeRelease(java.util.Optional.of(java.net.URI.create("ssh://deploy@server"))), "release",
                        with(with(with(DEFAULTS.release(), "target", ReleaseTarget.COMPOSE), "dockerHost",
                                java.util.Optional.of(java.net.URI.create("ssh://deploy@server"))), "certPath", java.util.Optional.of(Path.of("/certs")))),
                        "<release><certPath> (frankenphp.release.certPath)", "/certs", "only for a tcp:// dockerHost"),
                Arguments.of(release("url", java.util.Optional.of(java.net.URI.create("ftp://api.example.com/"))),
                        "<release><url> (frankenphp.release.url)", "ftp://api.example.com/", "http:// or https://"),
                Arguments.of(release("project", "My Shop"), "<release><project> (frankenphp.release.project)", "My Shop",
                        "compose project names"),
                Arguments.of(watchtowerRelease("watchtowerUrl", java.util.Optional.empty()),
                        "<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", "", "<release><target>watchtower</target> needs"),
                Arguments.of(watchtowerRelease("url", java.util.Optional.empty()),
                        "<release><url> (frankenphp.release.url)", "", "reports its version"),
                Arguments.of(watchtowerRelease("watchtowerServerId", " "),
                        "<release><watchtowerServerId> (frankenphp.release.watchtowerServerId)", "", "Watchtower's API token"),
                Arguments.of(with(watchtowerRelease(null, null), "compose", with(DEFAULTS.compose(), "watchtowerLabels", false)),
                        "<compose><watchtowerLabels>", "false", "--label-enable"),
                Arguments.of(watchtowerRelease("watchtowerUrl", java.util.Optional.of(java.net.URI.create("tcp://server:8080"))),
                        "<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", "tcp://server:8080", "http:// or https://"),
                Arguments.of(watchtowerRelease("watchtowerUrl", java.util.Optional.of(java.net.URI.create("http://server:8080/?token=x"))),
                        "<release><watchtowerUrl> (frankenphp.release.watchtowerUrl)", "http://server:8080/?token=x", "no query"));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("invalidValues")
    void rejectsNamingTheElementShowingTheValueAndGivingAFix(DeploymentConfig config, String element, String shown, String fix) {
        InvalidConfigurationException failure = rejected(config);

        assertEquals(1, failure.problems().size(), failure::getMessage);
        ConfigurationProblem problem = failure.problems().get(0);
        assertEquals(element, problem.element());
        assertTrue(failure.getMessage().contains(element + " = '" + shown + "': "), failure::getMessage);
        assertTrue(problem.fix().contains(fix), problem::fix);
        // One line per problem, whatever control characters the value holds.
        assertEquals(2, failure.getMessage().lines().count(), failure::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hunter2", "p$ss\nword", "base64:c2VjcmV0LWtleQ=="})
    void secretInThePomIsRefusedWithoutShowingIt(String secret) {
        for (String key : List.of("DB_PASSWORD", "DB_ROOT_PASSWORD", "APP_KEY", "MAIL_SECRET", "STRIPE_TOKEN")) {
            InvalidConfigurationException failure = rejected(environment(key, secret));

            String message = failure.getMessage();
            assertTrue(message.contains("<environment><" + key + ">"), message);
            assertTrue(message.contains(".env.production"), "says where the secret goes: " + message);
            assertFalse(message.contains(secret), message);
            assertFalse(message.contains(ConfigurationProblem.visible(secret)), message);
            assertFalse(failure.problems().get(0).value().contains(secret.substring(0, 4)), "the value is not even kept");
        }
    }

    @Test
    void aWatchtowerReleaseNeedsNoDockerHost() {
        assertDoesNotThrow(() -> ConfigValidator.validate(watchtowerRelease(null, null)));
    }

    @Test
    void emptySecretsAreTheNormalCase() {
        assertDoesNotThrow(() -> ConfigValidator.validate(environment("DB_PASSWORD", "")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        DeploymentConfig config = with(with(with(DEFAULTS,
                "image", with(DEFAULTS.image(), "registry", "https://registry")),
                "octane", with(DEFAULTS.octane(), "port", 0)),
                "environment", Map.of("DB_PASSWORD", "hunter2"));

        InvalidConfigurationException failure = rejected(config);

        assertEquals(List.of("<image><registry>", "<octane><port>", "<environment><DB_PASSWORD>"),
                failure.problems().stream().map(ConfigurationProblem::element).toList());
        assertTrue(failure.getMessage().startsWith("Invalid plugin configuration (3 problems):\n"), failure::getMessage);
        assertEquals(4, failure.getMessage().lines().count(), failure::getMessage);
    }
}
