package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageLabelsTest {

    private static final Instant CREATED = Instant.parse("2026-11-24T03:04:05Z");

    @Test
    void outsideAGitCheckoutWithoutSourceTheyAreTitleVersionAndCreation(@TempDir Path project) {
        assertEquals(Map.of(
                        "org.opencontainers.image.title", "MDB Copilot API",
                        "org.opencontainers.image.version", "20261124-030405",
                        "org.opencontainers.image.created", "2026-11-24T03:04:05Z"),
                ImageLabels.of(TestConfigs.defaults(project), "20261124-030405", CREATED));
    }

    @Test
    void theSourceComesFromThePomAndTheUsersLabelsWin(@TempDir Path project) {
        DeploymentConfig defaults = TestConfigs.defaults(project);
        ImageSettings image = defaults.image();
        DeploymentConfig config = new DeploymentConfig(
                new ProjectInfo(project, "api", "1.0.0", "API", Optional.of("https://git.example.test/api")),
                new ImageSettings(image.registry(), image.name(), image.baseImage(), image.composerImage(), image.tag(),
                        image.tagStrategy(), image.buildArgs(),
                        Map.of("org.opencontainers.image.title", "Chosen title", "com.example.team", "backend"),
                        image.pull(), image.noCache(), Defaults.RUNTIME_USER, Defaults.RUNTIME_UID),
                defaults.php(), defaults.octane(), defaults.compose(), defaults.environment(),
                defaults.release());

        Map<String, String> labels = ImageLabels.of(config, "1.0.0", CREATED);

        assertEquals("https://git.example.test/api", labels.get("org.opencontainers.image.source"));
        assertEquals("Chosen title", labels.get("org.opencontainers.image.title"));
        assertEquals("backend", labels.get("com.example.team"));
        assertEquals("1.0.0", labels.get("org.opencontainers.image.version"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "https://gitlab-ci-token:canary-token-1234@gitlab.example.test/team/api.git|https://gitlab.example.test/team/api.git",
            "scm:git:https://deployer:p%40ss@git.example.test/api|scm:git:https://git.example.test/api",
            "https://user@host.example.test:8443/a@b|https://host.example.test:8443/a@b",
            "git@github.com:team/api.git|github.com:team/api.git",
            "https://git.example.test/api?ref=a@b|https://git.example.test/api?ref=a@b",
            "https://git.example.test/api|https://git.example.test/api"})
    void theSourceLabelNeverCarriesUserInfo(String scmUrl, String label, @TempDir Path project) {
        DeploymentConfig defaults = TestConfigs.defaults(project);
        DeploymentConfig config = new DeploymentConfig(
                new ProjectInfo(project, "api", "1.0.0", "API", Optional.of(scmUrl)),
                defaults.image(), defaults.php(), defaults.octane(), defaults.compose(), defaults.environment(),
                defaults.release());

        Map<String, String> labels = ImageLabels.of(config, "1.0.0", CREATED);

        assertEquals(label, labels.get("org.opencontainers.image.source"));
        labels.values().forEach(value -> org.junit.jupiter.api.Assertions.assertFalse(
                value.contains("canary-token") || value.contains("p%40ss"), value));
    }
}
