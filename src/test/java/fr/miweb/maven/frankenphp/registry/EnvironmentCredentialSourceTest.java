package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvironmentCredentialSourceTest {

    private static final String HOST = "docker-registry.miweb.fr";

    @Test
    void readsBothVariables() {
        EnvironmentCredentialSource source = new EnvironmentCredentialSource(Map.of(
                "FRANKENPHP_REGISTRY_USERNAME", "ci", "FRANKENPHP_REGISTRY_PASSWORD", "pw"));

        RegistryCredentials credentials = source.find(HOST).orElseThrow();

        assertEquals("ci", credentials.username());
        assertEquals("pw", credentials.secret());
        assertEquals("environment variables FRANKENPHP_REGISTRY_USERNAME/FRANKENPHP_REGISTRY_PASSWORD",
                credentials.source());
    }

    @Test
    void neitherVariableMeansNotFound() {
        assertEquals(Optional.empty(), new EnvironmentCredentialSource(Map.of("PATH", "/usr/bin")).find(HOST));
    }

    @Test
    void emptyValuesCountAsUnset() {
        EnvironmentCredentialSource source = new EnvironmentCredentialSource(Map.of(
                "FRANKENPHP_REGISTRY_USERNAME", "", "FRANKENPHP_REGISTRY_PASSWORD", ""));

        assertEquals(Optional.empty(), source.find(HOST));
    }

    @Test
    void onlyUsernameIsAnErrorNamingThePasswordVariable() {
        EnvironmentCredentialSource source =
                new EnvironmentCredentialSource(Map.of("FRANKENPHP_REGISTRY_USERNAME", "ci"));

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source.find(HOST));

        assertEquals("environment variable FRANKENPHP_REGISTRY_USERNAME is set but FRANKENPHP_REGISTRY_PASSWORD "
                + "is not; set both to push with these credentials, or unset FRANKENPHP_REGISTRY_USERNAME",
                error.getMessage());
    }

    @Test
    void onlyPasswordIsAnErrorNamingTheUsernameVariable() {
        EnvironmentCredentialSource source =
                new EnvironmentCredentialSource(Map.of("FRANKENPHP_REGISTRY_PASSWORD", "pw"));

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source.find(HOST));

        assertEquals("environment variable FRANKENPHP_REGISTRY_PASSWORD is set but FRANKENPHP_REGISTRY_USERNAME "
                + "is not; set both to push with these credentials, or unset FRANKENPHP_REGISTRY_PASSWORD",
                error.getMessage());
    }
}
