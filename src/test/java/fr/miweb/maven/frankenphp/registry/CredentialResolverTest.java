package fr.miweb.maven.frankenphp.registry;

import fr.miweb.maven.frankenphp.registry.SettingsServerLookup.ServerCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CredentialResolverTest {

    private static final String HOST = "docker-registry.miweb.fr";
    private static final Map<String, String> CREDENTIALS_IN_ENVIRONMENT = Map.of(
            "FRANKENPHP_REGISTRY_USERNAME", "from-env", "FRANKENPHP_REGISTRY_PASSWORD", "pw");

    @TempDir
    Path home;

    private void writeDockerConfigWithAuthsFor(String username) throws IOException {
        Files.createDirectories(home.resolve(".docker"));
        String auth = Base64.getEncoder().encodeToString((username + ":pw").getBytes(StandardCharsets.UTF_8));
        Files.writeString(home.resolve(".docker/config.json"),
                "{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + auth + "\"}}}");
    }

    private static MavenSettingsCredentialSource settingsWith(String username) {
        return MavenSettingsCredentialSource.forRegistryHost(
                id -> id.equals(HOST) ? Optional.of(new ServerCredentials(username, "pw")) : Optional.empty());
    }

    private static MavenSettingsCredentialSource emptySettings() {
        return MavenSettingsCredentialSource.forRegistryHost(id -> Optional.empty());
    }

    @Test
    void settingsBeatEnvironmentWhichBeatsDockerConfig() throws IOException {
        writeDockerConfigWithAuthsFor("from-docker-config");

        CredentialResolution settingsFirst = CredentialResolver.standard(settingsWith("from-settings"),
                CREDENTIALS_IN_ENVIRONMENT, home).resolve(HOST);
        CredentialResolution environmentSecond = CredentialResolver.standard(emptySettings(),
                CREDENTIALS_IN_ENVIRONMENT, home).resolve(HOST);
        CredentialResolution dockerConfigLast = CredentialResolver.standard(emptySettings(),
                Map.of(), home).resolve(HOST);

        assertEquals("from-settings", settingsFirst.credentials().orElseThrow().username());
        assertEquals(List.of("Maven settings.xml <server> '" + HOST + "'"), settingsFirst.consultedSources());
        assertEquals("from-env", environmentSecond.credentials().orElseThrow().username());
        assertEquals(2, environmentSecond.consultedSources().size());
        assertEquals("from-docker-config", dockerConfigLast.credentials().orElseThrow().username());
        assertEquals(3, dockerConfigLast.consultedSources().size());
    }

    @Test
    void nothingFoundListsEverySourceConsulted() {
        CredentialResolution resolution = CredentialResolver.standard(emptySettings(), Map.of(), home).resolve(HOST);

        assertEquals(Optional.empty(), resolution.credentials());
        assertEquals("Maven settings.xml <server> '" + HOST + "'; "
                + "environment variables FRANKENPHP_REGISTRY_USERNAME/FRANKENPHP_REGISTRY_PASSWORD; "
                + "Docker CLI config " + home.resolve(".docker/config.json") + " (no such file)",
                resolution.consultedSourcesSummary());
    }

    @Test
    void aBrokenSourceStopsTheResolution() throws IOException {
        writeDockerConfigWithAuthsFor("from-docker-config");
        CredentialResolver resolver = CredentialResolver.standard(emptySettings(),
                Map.of("FRANKENPHP_REGISTRY_USERNAME", "ci"), home);

        assertThrows(RegistryCredentialsException.class, () -> resolver.resolve(HOST));
    }

    @Test
    void sourcesReceiveTheBareHost() {
        List<String> hostsSeen = new ArrayList<>();
        CredentialSource recording = new CredentialSource() {
            @Override
            public String describe(String registryHost) {
                return "recording";
            }

            @Override
            public Optional<RegistryCredentials> find(String registryHost) {
                hostsSeen.add(registryHost);
                return Optional.empty();
            }
        };

        new CredentialResolver(List.of(recording)).resolve("https://registry.frankenphp.test:5443/v2/");

        assertEquals(List.of("registry.frankenphp.test:5443"), hostsSeen);
    }

    @Test
    void blankRegistryIsRejected() {
        CredentialResolver resolver = new CredentialResolver(List.of());

        assertThrows(IllegalArgumentException.class, () -> resolver.resolve("https://"));
    }
}
