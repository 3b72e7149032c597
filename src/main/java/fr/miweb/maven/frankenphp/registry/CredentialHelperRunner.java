package fr.miweb.maven.frankenphp.registry;

import fr.miweb.maven.frankenphp.process.BoundedProcess;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs Docker credential helpers ({@code docker-credential-<name> get}) following the protocol of
 * github.com/docker/docker-credential-helpers: the server URL on stdin, and on success a JSON object
 * {@code {"ServerURL","Username","Secret"}} on stdout.
 */
final class CredentialHelperRunner {

    /** What docker-credential-helpers print (on stdout, exit code 1) when they hold nothing for a server. */
    static final String NOT_FOUND_MESSAGE = "credentials not found in native keychain";

    /** Username a helper returns when the secret is an identity token rather than a password. */
    private static final String IDENTITY_TOKEN_USERNAME = "<token>";

    /** Helper names come from a config file: refuse anything that could escape the search path. */
    private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** How long to wait for the output pipes to close once the helper has exited. */

    private static final int MAX_ERROR_EXCERPT = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> searchPath;
    private final Duration timeout;

    CredentialHelperRunner(List<Path> searchPath, Duration timeout) {
        this.searchPath = List.copyOf(searchPath);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("credential helper timeout must be positive (got " + timeout + ")");
        }
        this.timeout = timeout;
    }

    /**
     * Asks a helper for credentials, trying each server URL until one is known to the helper.
     *
     * @param helperName   the name after {@code docker-credential-}, e.g. {@code pass}
     * @param configuredAs where the helper was configured, for messages, e.g. {@code credsStore in /home/u/.docker/config.json}
     * @param serverUrls   the server URLs to ask for, in order
     * @return the credentials, or empty when the helper has none for any of the URLs
     */
    Optional<RegistryCredentials> get(String helperName, String configuredAs, List<String> serverUrls) {
        String executableName = "docker-credential-" + helperName;
        if (!HELPER_NAME.matcher(helperName).matches()) {
            throw new RegistryCredentialsException("invalid credential helper name '" + helperName + "' (" + configuredAs
                    + "); expected a name such as 'pass', 'secretservice', 'osxkeychain' or 'ecr-login'");
        }
        Path executable = locate(executableName).orElseThrow(() -> new RegistryCredentialsException(
                executableName + " (" + configuredAs + ") was not found in " + searchPath
                        + "; install it, put it on the PATH, or remove that setting from the Docker config"));
        String label = executableName + " (" + configuredAs + ")";
        for (String serverUrl : serverUrls) {
            Optional<RegistryCredentials> credentials = ask(executable, label, serverUrl);
            if (credentials.isPresent()) {
                return credentials;
            }
        }
        return Optional.empty();
    }

    private Optional<Path> locate(String executableName) {
        for (Path directory : searchPath) {
            // ".exe" so that helpers installed the Windows way are found too.
            for (String fileName : List.of(executableName, executableName + ".exe")) {
                Path candidate = directory.resolve(fileName);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<RegistryCredentials> ask(Path executable, String label, String serverUrl) {
        HelperOutput output = run(executable, label, serverUrl);
        if (output.exitCode() != 0) {
            if (output.stdout().contains(NOT_FOUND_MESSAGE) || output.stderr().contains(NOT_FOUND_MESSAGE)) {
                return Optional.empty();
            }
            throw new RegistryCredentialsException(label + " failed with exit code " + output.exitCode()
                    + errorExcerpt(output));
        }
        return parse(output.stdout(), label);
    }

    private HelperOutput run(Path executable, String label, String serverUrl) {
        BoundedProcess.Output output;
        try {
            output = BoundedProcess.run(new ProcessBuilder(executable.toString(), "get"), serverUrl.getBytes(StandardCharsets.UTF_8),
                    timeout, label);
        } catch (IOException e) {
            throw new RegistryCredentialsException("could not start " + label + ": " + e.getMessage(), e);
        } catch (BoundedProcess.TimedOutException e) {
            throw new RegistryCredentialsException(label + " did not answer within " + DurationFormat.format(timeout)
                    + " and was stopped; it may be waiting for a passphrase or a keychain prompt");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryCredentialsException("interrupted while waiting for " + label);
        }
        if (output.outputHeldOpen()) {
            throw new RegistryCredentialsException(label + " exited but a process it started kept its output open");
        }
        return new HelperOutput(output.exitCode(), output.stdout().orElseThrow(), output.stderr().orElseThrow());
    }

    private static Optional<RegistryCredentials> parse(String stdout, String label) {
        JsonNode answer;
        try {
            answer = JSON.readTree(stdout);
        } catch (JsonProcessingException e) {
            // Neither the output nor the parser message is shown: both may contain the secret.
            throw new RegistryCredentialsException(label + " printed something that is not credential JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new RegistryCredentialsException(label + " printed something that is not credential JSON");
        }
        String username = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (IDENTITY_TOKEN_USERNAME.equals(username)) {
            return Optional.of(RegistryCredentials.identityToken("", secret, label));
        }
        if (username.isBlank()) {
            throw new RegistryCredentialsException(label + " returned a secret without a Username");
        }
        return Optional.of(RegistryCredentials.password(username, secret, label));
    }

    /**
     * On failure, docker-credential-helpers print their error message on stdout; show it, unless it looks
     * like JSON, which a broken helper might have printed together with the secret.
     */
    private static String errorExcerpt(HelperOutput output) {
        String message = output.stdout().isBlank() ? output.stderr().strip() : output.stdout().strip();
        if (message.isEmpty()) {
            return "";
        }
        if (message.contains("{")) {
            return " (output not shown: it may contain credentials)";
        }
        String firstLine = message.lines().findFirst().orElse("");
        return ": " + (firstLine.length() > MAX_ERROR_EXCERPT ? firstLine.substring(0, MAX_ERROR_EXCERPT) + "…" : firstLine);
    }

    private record HelperOutput(int exitCode, String stdout, String stderr) {
    }
}
