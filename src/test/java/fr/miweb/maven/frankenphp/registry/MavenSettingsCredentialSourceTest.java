package fr.miweb.maven.frankenphp.registry;

import fr.miweb.maven.frankenphp.registry.SettingsServerLookup.ServerCredentials;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MavenSettingsCredentialSourceTest {

    private static final String HOST = "docker-registry.miweb.fr";

    private static SettingsServerLookup servers(Map<String, ServerCredentials> byId) {
        return id -> Optional.ofNullable(byId.get(id));
    }

    @Test
    void serverIdDefaultsToTheRegistryHost() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forRegistryHost(
                servers(Map.of(HOST, new ServerCredentials("deployer", "pw"))));

        RegistryCredentials credentials = source.find(HOST).orElseThrow();

        assertEquals("deployer", credentials.username());
        assertEquals("pw", credentials.secret());
        assertEquals("Maven settings.xml <server> '" + HOST + "'", credentials.source());
        assertEquals(credentials.source(), source.describe(HOST));
    }

    @Test
    void explicitServerIdIsUsedInsteadOfTheHost() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forServerId(
                servers(Map.of("miweb-registry", new ServerCredentials("deployer", "pw"))), "miweb-registry");

        assertEquals("deployer", source.find(HOST).orElseThrow().username());
        assertEquals("Maven settings.xml <server> 'miweb-registry'", source.describe(HOST));
    }

    @Test
    void noServerEntryMeansNotFound() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forRegistryHost(servers(Map.of()));

        assertEquals(Optional.empty(), source.find(HOST));
    }

    @Test
    void serverEntryWithoutPasswordIsAnError() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forRegistryHost(
                servers(Map.of(HOST, new ServerCredentials("deployer", null))));

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source.find(HOST));

        assertTrue(error.getMessage().startsWith("Maven settings.xml <server> '" + HOST + "' has no <password>"),
                error.getMessage());
    }

    @Test
    void serverEntryWithoutUsernameIsAnError() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forRegistryHost(
                servers(Map.of(HOST, new ServerCredentials(null, "pw"))));

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source.find(HOST));

        assertTrue(error.getMessage().startsWith("Maven settings.xml <server> '" + HOST + "' has no <username>"),
                error.getMessage());
    }
}
