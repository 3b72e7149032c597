package fr.miweb.maven.frankenphp.registry;

import fr.miweb.maven.frankenphp.registry.RegistryCredentials.SecretKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerConfigCredentialSourceTest {

    private static final String HOST = "docker-registry.miweb.fr";

    @TempDir
    Path dockerConfigDir;

    @TempDir
    Path helperDir;

    private Path configFile() {
        return dockerConfigDir.resolve("config.json");
    }

    private DockerConfigCredentialSource source() {
        return new DockerConfigCredentialSource(configFile(), List.of(helperDir), Duration.ofSeconds(10));
    }

    private void writeConfig(String json) throws IOException {
        Files.writeString(configFile(), json);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesAuthAsBase64UserColonPasswordSplitAtFirstColon() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("deployer:pa:ss") + "\"}}}");

        RegistryCredentials credentials = source().find(HOST).orElseThrow();

        assertEquals("deployer", credentials.username());
        assertEquals("pa:ss", credentials.secret());
        assertEquals(SecretKind.PASSWORD, credentials.secretKind());
        assertEquals("Docker CLI config auths['" + HOST + "'] in " + configFile(), credentials.source());
    }

    @Test
    void readsUsernameAndPasswordFields() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"username\":\"deployer\",\"password\":\"s3cret\"}}}");

        RegistryCredentials credentials = source().find(HOST).orElseThrow();

        assertEquals("deployer", credentials.username());
        assertEquals("s3cret", credentials.secret());
    }

    @Test
    void identityTokenIsPreferredAndMarkedAsSuch() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("deployer:pw")
                + "\",\"identitytoken\":\"refresh-token\"}}}");

        RegistryCredentials credentials = source().find(HOST).orElseThrow();

        assertEquals(SecretKind.IDENTITY_TOKEN, credentials.secretKind());
        assertEquals("refresh-token", credentials.secret());
        assertEquals("deployer", credentials.username());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://registry.frankenphp.test:5443", "http://registry.frankenphp.test:5443",
            "https://registry.frankenphp.test:5443/v1/", "registry.frankenphp.test:5443"})
    void matchesAuthsKeysTheWayTheDockerCliDoes(String key) throws IOException {
        writeConfig("{\"auths\":{\"" + key + "\":{\"auth\":\"" + base64("ci:pw") + "\"}}}");

        RegistryCredentials credentials = source().find("registry.frankenphp.test:5443").orElseThrow();

        assertEquals("ci", credentials.username());
        assertTrue(credentials.source().contains("auths['" + key + "']"), credentials.source());
    }

    @Test
    void prefersTheExactKeyOverAnUrlForm() throws IOException {
        writeConfig("{\"auths\":{"
                + "\"https://" + HOST + "\":{\"auth\":\"" + base64("old:pw") + "\"},"
                + "\"" + HOST + "\":{\"auth\":\"" + base64("current:pw") + "\"}}}");

        assertEquals("current", source().find(HOST).orElseThrow().username());
    }

    @Test
    void doesNotMatchTheSameHostOnAnotherPort() throws IOException {
        writeConfig("{\"auths\":{\"registry.frankenphp.test\":{\"auth\":\"" + base64("ci:pw") + "\"}}}");

        assertEquals(Optional.empty(), source().find("registry.frankenphp.test:5443"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io", "index.docker.io"})
    void dockerHubUsesTheIndexV1Key(String host) throws IOException {
        writeConfig("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + base64("hubuser:pw") + "\"}}}");

        assertEquals("hubuser", source().find(host).orElseThrow().username());
    }

    @Test
    void emptyAuthsEntryLeftByALoginWithAHelperMeansNotFound() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{}}}");

        assertEquals(Optional.empty(), source().find(HOST));
    }

    @Test
    void missingOrEmptyConfigFileMeansNotFound() throws IOException {
        assertEquals(Optional.empty(), source().find(HOST));
        assertEquals("Docker CLI config " + configFile() + " (no such file)", source().describe(HOST));

        writeConfig("");
        assertEquals(Optional.empty(), source().find(HOST));
        assertEquals("Docker CLI config " + configFile(), source().describe(HOST));
    }

    @Test
    void invalidJsonNamesTheFileAndPosition() throws IOException {
        writeConfig("{\n  \"auths\": {,\n}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().contains(configFile() + " is not valid JSON (line 2"), error.getMessage());
    }

    @Test
    void invalidBase64AuthNamesTheKey() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"auth\":\"not base64!\"}}}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().contains("\"auth\" of auths['" + HOST + "'] in " + configFile()
                + " is not valid base64"), error.getMessage());
    }

    @Test
    void authWithoutColonIsRejected() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("nocolon") + "\"}}}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().contains("must be base64 of user:password"), error.getMessage());
    }

    @Test
    void usernameWithoutPasswordIsRejected() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"username\":\"deployer\"}}}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().contains("has a username but no password"), error.getMessage());
    }

    @Test
    void configFileComesFromDockerConfigElseHome() {
        Path home = Path.of("/home/dev");

        assertEquals(Path.of("/home/dev/.docker/config.json"),
                DockerConfigCredentialSource.configFileFor(Map.of(), home));
        assertEquals(Path.of("/etc/ci-docker/config.json"),
                DockerConfigCredentialSource.configFileFor(Map.of("DOCKER_CONFIG", "/etc/ci-docker"), home));
    }

    @Test
    void helperSearchPathComesFromPath() {
        String path = String.join(java.io.File.pathSeparator, "/usr/local/bin", "", ".", "./tools", "bin", "../x",
                "/usr/bin");

        assertEquals(List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin")),
                DockerConfigCredentialSource.helperSearchPathFrom(Map.of("PATH", path)));
        assertEquals(List.of(), DockerConfigCredentialSource.helperSearchPathFrom(Map.of()));
    }

    @Test
    void fromEnvironmentReadsTheConfigUnderDockerConfig() throws IOException {
        writeConfig("{\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("deployer:pw") + "\"}}}");

        DockerConfigCredentialSource source = DockerConfigCredentialSource.fromEnvironment(
                Map.of("DOCKER_CONFIG", dockerConfigDir.toString()), Path.of("/nonexistent-home"));

        assertEquals(configFile(), source.configFile());
        assertEquals("deployer", source.find(HOST).orElseThrow().username());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void credHelpersBeatCredsStoreWhichBeatsAuths() throws IOException {
        Path calls = helperDir.resolve("calls.log");
        FakeCredentialHelpers.answering(helperDir, "dedicated", "from-cred-helpers", "pw1", calls);
        FakeCredentialHelpers.answering(helperDir, "global", "from-creds-store", "pw2", calls);
        String auths = "\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("from-auths:pw3") + "\"}}";

        writeConfig("{\"credHelpers\":{\"" + HOST + "\":\"dedicated\"},\"credsStore\":\"global\"," + auths + "}");
        RegistryCredentials fromCredHelpers = source().find(HOST).orElseThrow();
        assertEquals("from-cred-helpers", fromCredHelpers.username());
        assertEquals("docker-credential-dedicated (credHelpers['" + HOST + "'] in " + configFile() + ")",
                fromCredHelpers.source());

        writeConfig("{\"credHelpers\":{\"other.example\":\"dedicated\"},\"credsStore\":\"global\"," + auths + "}");
        RegistryCredentials fromCredsStore = source().find(HOST).orElseThrow();
        assertEquals("from-creds-store", fromCredsStore.username());
        assertEquals("docker-credential-global (credsStore in " + configFile() + ")", fromCredsStore.source());

        writeConfig("{" + auths + "}");
        assertEquals("from-auths", source().find(HOST).orElseThrow().username());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperWithoutCredentialsFallsThroughToTheNextSetting() throws IOException {
        FakeCredentialHelpers.notFound(helperDir, "empty-dedicated");
        FakeCredentialHelpers.notFound(helperDir, "empty-global");
        writeConfig("{\"credHelpers\":{\"" + HOST + "\":\"empty-dedicated\"},\"credsStore\":\"empty-global\","
                + "\"auths\":{\"" + HOST + "\":{\"auth\":\"" + base64("from-auths:pw") + "\"}}}");

        assertEquals("from-auths", source().find(HOST).orElseThrow().username());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperNotKnowingTheRegistryMeansNotFound() throws IOException {
        FakeCredentialHelpers.notFound(helperDir, "empty");
        writeConfig("{\"credsStore\":\"empty\"}");

        assertEquals(Optional.empty(), source().find(HOST));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperIsAskedForTheBareHostFirstThenTheHttpsUrl() throws IOException {
        Path calls = helperDir.resolve("calls.log");
        FakeCredentialHelpers.knowingOnly(helperDir, "legacy", "https://" + HOST, "old-login", "pw", calls);
        writeConfig("{\"credsStore\":\"legacy\"}");

        assertEquals("old-login", source().find(HOST).orElseThrow().username());
        assertEquals(List.of(HOST, "https://" + HOST), Files.readAllLines(calls));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperIsAskedForTheIndexUrlForDockerHub() throws IOException {
        Path calls = helperDir.resolve("calls.log");
        FakeCredentialHelpers.answering(helperDir, "desktop", "hubuser", "pw", calls);
        writeConfig("{\"credsStore\":\"desktop\"}");

        assertEquals("hubuser", source().find("docker.io").orElseThrow().username());
        assertEquals(List.of("https://index.docker.io/v1/"), Files.readAllLines(calls));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void tokenUsernameFromAHelperMeansIdentityToken() throws IOException {
        FakeCredentialHelpers.answering(helperDir, "acr", "<token>", "refresh-token", helperDir.resolve("calls.log"));
        writeConfig("{\"credHelpers\":{\"" + HOST + "\":\"acr\"}}");

        RegistryCredentials credentials = source().find(HOST).orElseThrow();

        assertEquals(SecretKind.IDENTITY_TOKEN, credentials.secretKind());
        assertEquals("", credentials.username());
        assertEquals("refresh-token", credentials.secret());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void failingHelperIsAnErrorNamingTheHelperAndItsMessage() throws IOException {
        FakeCredentialHelpers.failing(helperDir, "pass", "exit status 2: gpg: decryption failed: No secret key");
        writeConfig("{\"credsStore\":\"pass\"}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertEquals("docker-credential-pass (credsStore in " + configFile() + ") failed with exit code 2: "
                + "exit status 2: gpg: decryption failed: No secret key", error.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperMissingFromTheSearchPathIsAnError() throws IOException {
        writeConfig("{\"credHelpers\":{\"" + HOST + "\":\"ecr-login\"}}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().startsWith("docker-credential-ecr-login (credHelpers['" + HOST + "'] in "
                + configFile() + ") was not found in [" + helperDir + "]"), error.getMessage());
    }

    @Test
    void helperNameThatIsAPathIsRejected() throws IOException {
        writeConfig("{\"credsStore\":\"../../bin/sh\"}");

        RegistryCredentialsException error = assertThrows(RegistryCredentialsException.class, () -> source().find(HOST));

        assertTrue(error.getMessage().startsWith("invalid credential helper name '../../bin/sh'"), error.getMessage());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperRunningPastTheTimeoutIsStoppedWithItsChildren() throws Exception {
        Path childPidFile = helperDir.resolve("child.pid");
        FakeCredentialHelpers.hanging(helperDir, "slow", childPidFile);
        writeConfig("{\"credsStore\":\"slow\"}");
        DockerConfigCredentialSource source =
                new DockerConfigCredentialSource(configFile(), List.of(helperDir), Duration.ofMillis(500));

        RegistryCredentialsException error = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(RegistryCredentialsException.class, () -> source.find(HOST)));

        assertTrue(error.getMessage().startsWith("docker-credential-slow (credsStore in " + configFile()
                + ") did not answer within 500ms and was stopped"), error.getMessage());
        long childPid = Long.parseLong(Files.readString(childPidFile).trim());
        assertFalse(isAliveAfterGracePeriod(childPid), "the helper's child process should have been killed");
    }

    private static boolean isAliveAfterGracePeriod(long pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (isRunning(pid)) {
                Thread.sleep(50);
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * Killed counts as not running even before it is reaped: the orphaned child is re-parented to
     * init, and an init that reaps slowly (as in this CI's sandbox) leaves a zombie, which
     * {@link ProcessHandle#isAlive()} still reports as alive.
     */
    private static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true; // no procfs: trust ProcessHandle
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }
}
