package fr.miweb.maven.frankenphp.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from the Docker CLI config file, {@code $DOCKER_CONFIG/config.json} or else
 * {@code ~/.docker/config.json}, read the way {@code docker push} would use them.
 *
 * <p>For a registry host, with the Docker CLI precedence:
 * <ol>
 *   <li>{@code credHelpers[host]}: a credential helper dedicated to this registry;</li>
 *   <li>{@code credsStore}: the credential helper for all registries;</li>
 *   <li>{@code auths[host]}: {@code identitytoken}, else {@code auth} (base64 of {@code user:password}),
 *       else {@code username} and {@code password}.</li>
 * </ol>
 * Unlike the Docker CLI, which stops at the first configured helper, a helper that answers
 * "credentials not found" lets the next step be tried; this only matters for hand-edited files, as the
 * CLI leaves empty {@code auths} entries when a helper is configured.
 *
 * <p>{@code auths} keys match the registry exactly or once reduced to a host name, so
 * {@code https://host}, {@code http://host} and {@code https://host/v1/} all match {@code host}.
 * Docker Hub ({@code docker.io}, {@code index.docker.io}) uses the key {@code https://index.docker.io/v1/}.
 *
 * <p>A helper is the executable {@code docker-credential-<name>} on the helper search path, run as
 * {@code docker-credential-<name> get} and stopped if it does not answer within the helper timeout.
 */
public final class DockerConfigCredentialSource implements CredentialSource {

    /** How long a credential helper may take; a pass/GPG helper may legitimately wait for an agent. */
    public static final Duration DEFAULT_HELPER_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path configFile;
    private final CredentialHelperRunner helpers;

    /**
     * @param configFile       the Docker CLI config file; it need not exist
     * @param helperSearchPath the directories searched for {@code docker-credential-<name>} executables
     * @param helperTimeout    how long a credential helper may run before it is stopped
     */
    public DockerConfigCredentialSource(Path configFile, List<Path> helperSearchPath, Duration helperTimeout) {
        this.configFile = Objects.requireNonNull(configFile, "configFile");
        this.helpers = new CredentialHelperRunner(helperSearchPath, helperTimeout);
    }

    /**
     * The source the Docker CLI would use in this environment: config file from {@code DOCKER_CONFIG} or
     * the home directory, helpers searched on {@code PATH}, {@link #DEFAULT_HELPER_TIMEOUT}.
     */
    public static DockerConfigCredentialSource fromEnvironment(Map<String, String> environment, Path userHome) {
        return new DockerConfigCredentialSource(configFileFor(environment, userHome),
                helperSearchPathFrom(environment), DEFAULT_HELPER_TIMEOUT);
    }

    /** {@code $DOCKER_CONFIG/config.json} when {@code DOCKER_CONFIG} is set, else {@code <userHome>/.docker/config.json}. */
    public static Path configFileFor(Map<String, String> environment, Path userHome) {
        String dockerConfig = environment.get("DOCKER_CONFIG");
        Path directory = dockerConfig == null || dockerConfig.isBlank()
                ? userHome.resolve(".docker")
                : Path.of(dockerConfig);
        return directory.resolve("config.json");
    }

    /**
     * The absolute directories listed in {@code PATH}. Empty entries (the current directory to a shell), relative
     * ones such as {@code .} or {@code bin}, and malformed ones are skipped, as Go's {@code exec.LookPath} (and so
     * the Docker CLI) refuses them: a {@code docker-credential-*} planted in the project must never run.
     */
    public static List<Path> helperSearchPathFrom(Map<String, String> environment) {
        String path = environment.get("PATH");
        if (path == null) {
            return List.of();
        }
        List<Path> directories = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                Path directory = Path.of(entry);
                if (directory.isAbsolute()) {
                    directories.add(directory);
                }
            } catch (InvalidPathException ignored) {
                // A malformed PATH entry cannot hold a helper; the shell ignores it too.
            }
        }
        return List.copyOf(directories);
    }

    /** The config file this source reads. */
    public Path configFile() {
        return configFile;
    }

    @Override
    public String describe(String registryHost) {
        return "Docker CLI config " + configFile + (Files.exists(configFile) ? "" : " (no such file)");
    }

    @Override
    public Optional<RegistryCredentials> find(String registryHost) {
        if (!Files.exists(configFile)) {
            return Optional.empty();
        }
        JsonNode config = read();
        List<String> serverUrls = RegistryAddress.helperServerUrls(registryHost);

        JsonNode credHelpers = objectField(config, "credHelpers");
        Optional<String> credHelpersKey = firstPresentKey(credHelpers,
                List.of(RegistryAddress.configKey(registryHost), registryHost));
        if (credHelpersKey.isPresent()) {
            String where = "credHelpers['" + credHelpersKey.get() + "'] in " + configFile;
            String helper = requiredText(credHelpers.get(credHelpersKey.get()), where);
            Optional<RegistryCredentials> credentials = helpers.get(helper, where, serverUrls);
            if (credentials.isPresent()) {
                return credentials;
            }
        }

        JsonNode credsStore = config.get("credsStore");
        if (credsStore != null && !credsStore.isNull()) {
            String where = "credsStore in " + configFile;
            Optional<RegistryCredentials> credentials = helpers.get(requiredText(credsStore, where), where, serverUrls);
            if (credentials.isPresent()) {
                return credentials;
            }
        }

        JsonNode auths = objectField(config, "auths");
        Optional<String> authsKey = matchingAuthsKey(auths, registryHost);
        if (authsKey.isEmpty()) {
            return Optional.empty();
        }
        return fromAuthsEntry(auths.get(authsKey.get()), "auths['" + authsKey.get() + "'] in " + configFile);
    }

    private JsonNode read() {
        byte[] content;
        try {
            content = Files.readAllBytes(configFile);
        } catch (IOException e) {
            throw new RegistryCredentialsException("cannot read Docker CLI config " + configFile + ": " + e, e);
        }
        JsonNode config;
        try {
            config = JSON.readTree(new String(content, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            // Only the position is reported: the parser message quotes file content, which may be a secret.
            throw new RegistryCredentialsException("Docker CLI config " + configFile + " is not valid JSON"
                    + position(e.getLocation()) + "; fix it or point DOCKER_CONFIG to another directory");
        }
        if (config == null || config.isMissingNode()) {
            return JSON.createObjectNode(); // An empty file is accepted by the Docker CLI.
        }
        if (!config.isObject()) {
            throw new RegistryCredentialsException("Docker CLI config " + configFile + " must contain a JSON object");
        }
        return config;
    }

    private static String position(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private JsonNode objectField(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null || value.isNull()) {
            return JSON.createObjectNode();
        }
        if (!value.isObject()) {
            throw new RegistryCredentialsException("'" + field + "' in " + configFile + " must be a JSON object");
        }
        return value;
    }

    private static Optional<String> firstPresentKey(JsonNode object, List<String> keys) {
        return keys.stream().filter(object::has).findFirst();
    }

    /** Exact key first, then keys that reduce to the same host, as the Docker CLI's file store does. */
    private static Optional<String> matchingAuthsKey(JsonNode auths, String registryHost) {
        String exactKey = RegistryAddress.configKey(registryHost);
        if (auths.has(exactKey)) {
            return Optional.of(exactKey);
        }
        boolean dockerHub = RegistryAddress.isDockerHub(registryHost);
        for (Iterator<String> keys = auths.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            String keyHost = RegistryAddress.toHostname(key);
            if (dockerHub ? RegistryAddress.isDockerHub(keyHost) : keyHost.equals(registryHost)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private Optional<RegistryCredentials> fromAuthsEntry(JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new RegistryCredentialsException(where + " must be a JSON object");
        }
        String source = "Docker CLI config " + where;
        String username = optionalText(entry, "username", where);
        String password = optionalText(entry, "password", where);
        String auth = optionalText(entry, "auth", where);
        if (auth != null) {
            String[] decoded = decodeAuth(auth, where);
            username = decoded[0];
            password = decoded[1];
        }
        // The daemon prefers an identity token over a password when an entry has both.
        String identityToken = optionalText(entry, "identitytoken", where);
        if (identityToken != null) {
            return Optional.of(RegistryCredentials.identityToken(username == null ? "" : username, identityToken, source));
        }
        if (username == null && password == null) {
            return Optional.empty(); // "{}" entries are left by `docker login` when a helper holds the secret.
        }
        if (username == null) {
            throw new RegistryCredentialsException(where + " has a password but no username; run `docker login "
                    + "<registry>` again or add \"username\"");
        }
        if (password == null) {
            throw new RegistryCredentialsException(where + " has a username but no password; run `docker login "
                    + "<registry>` again or add \"password\"");
        }
        return Optional.of(RegistryCredentials.password(username, password, source));
    }

    /** The Docker CLI's {@code decodeAuth}: base64 of {@code user:password}, split at the first colon. */
    private static String[] decodeAuth(String auth, String where) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryCredentialsException("\"auth\" of " + where + " is not valid base64; run `docker login` again");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RegistryCredentialsException("\"auth\" of " + where
                    + " must be base64 of user:password; run `docker login` again");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** A string field, or null when absent or empty. */
    private static String optionalText(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RegistryCredentialsException("\"" + field + "\" of " + where + " must be a string");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    private static String requiredText(JsonNode value, String where) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new RegistryCredentialsException(where + " must be the name of a credential helper, e.g. \"pass\"");
        }
        return value.asText().trim();
    }
}
