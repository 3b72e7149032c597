package fr.miweb.maven.frankenphp.registry;

import fr.miweb.maven.frankenphp.registry.SettingsServerLookup.ServerCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every secret in these tests is {@link #CANARY}; no string a user or log could see may contain it. */
class SecretsNeverLeakTest {

    private static final String CANARY = "Canary7Secret";
    private static final String HOST = "docker-registry.miweb.fr";

    @TempDir
    Path dir;

    private static void assertNoCanary(String text) {
        assertFalse(text.contains(CANARY), () -> "secret leaked into: " + text);
    }

    /** The exception's toString and its full stack trace, causes included, must not show the canary. */
    private static void assertFailsWithoutLeaking(Class<? extends Throwable> type, Executable action) {
        Throwable error = assertThrows(type, action);
        StringWriter stackTrace = new StringWriter();
        error.printStackTrace(new PrintWriter(stackTrace));
        assertNoCanary(error.toString());
        assertNoCanary(stackTrace.toString());
    }

    private DockerConfigCredentialSource dockerConfig(String json) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, json);
        return new DockerConfigCredentialSource(config, List.of(dir), Duration.ofSeconds(10));
    }

    @Test
    void valueTypesHideTheSecret() {
        assertNoCanary(RegistryCredentials.password("deployer", CANARY, "test").toString());
        assertNoCanary(RegistryCredentials.identityToken("", CANARY, "test").toString());
        assertNoCanary(new ServerCredentials("deployer", CANARY).toString());
        assertNoCanary(new CredentialResolution(
                Optional.of(RegistryCredentials.password("deployer", CANARY, "test")), List.of("test")).toString());
    }

    @Test
    void invalidCredentialsDoNotShowTheSecret() {
        assertFailsWithoutLeaking(IllegalArgumentException.class,
                () -> RegistryCredentials.password(" ", CANARY, "test"));
    }

    @Test
    void environmentErrorsDoNotShowTheSecret() {
        EnvironmentCredentialSource source =
                new EnvironmentCredentialSource(Map.of("FRANKENPHP_REGISTRY_PASSWORD", CANARY));

        assertFailsWithoutLeaking(RegistryCredentialsException.class, () -> source.find(HOST));
    }

    @Test
    void settingsErrorsDoNotShowTheSecret() {
        MavenSettingsCredentialSource source = MavenSettingsCredentialSource.forRegistryHost(
                id -> Optional.of(new ServerCredentials(null, CANARY)));

        assertFailsWithoutLeaking(RegistryCredentialsException.class, () -> source.find(HOST));
    }

    @Test
    void malformedDockerConfigErrorsDoNotShowTheSecret() throws IOException {
        String base64WithoutColon = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));
        List<String> configs = List.of(
                "{\"auths\":{\"" + HOST + "\":{\"auth\":" + CANARY + "}}}",             // unquoted token: invalid JSON
                "{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + CANARY + "!\"}}}",        // invalid base64
                "{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64WithoutColon + "\"}}}",
                "{\"auths\":{\"" + HOST + "\":{\"password\":\"" + CANARY + "\"}}}");    // no username
        for (String config : configs) {
            DockerConfigCredentialSource source = dockerConfig(config);
            assertFailsWithoutLeaking(RegistryCredentialsException.class, () -> source.find(HOST));
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void credentialHelperErrorsDoNotShowTheSecret() throws IOException {
        FakeCredentialHelpers.failing(dir, "leaky",
                "{\"ServerURL\":\"" + HOST + "\",\"Username\":\"u\",\"Secret\":\"" + CANARY + "\"}");
        FakeCredentialHelpers.answering(dir, "garbled", "u\"" + CANARY, CANARY, dir.resolve("calls.log"));
        FakeCredentialHelpers.answering(dir, "anonymous", "", CANARY, dir.resolve("calls.log"));

        for (String helper : List.of("leaky", "garbled", "anonymous")) {
            DockerConfigCredentialSource source = dockerConfig("{\"credsStore\":\"" + helper + "\"}");
            assertFailsWithoutLeaking(RegistryCredentialsException.class, () -> source.find(HOST));
        }
    }
}
