package fr.miweb.maven.frankenphp.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Docker daemon the way the Docker CLI does: {@code DOCKER_HOST} (with
 * {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}), else {@code DOCKER_CONTEXT} or the
 * current context of {@code $DOCKER_CONFIG/config.json}, else the default socket.
 */
public final class DockerEndpointResolver {

    /** {@link DockerEndpoint#source()} of an endpoint given by {@code DOCKER_HOST}. */
    public static final String FROM_DOCKER_HOST = "DOCKER_HOST";

    public static final URI DEFAULT_SOCKET = URI.create("unix:///var/run/docker.sock");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;
    private final Path userHome;
    private final List<String> trace = new ArrayList<>();

    public DockerEndpointResolver(Map<String, String> environment, Path userHome) {
        this.environment = environment;
        this.userHome = userHome;
    }

    /**
     * How the last {@link #resolve()} decided, step by step, for {@code -X}: which variables were set, which
     * context and config file were read. Names and paths only; never a certificate or key content.
     */
    public List<String> trace() {
        return List.copyOf(trace);
    }

    public DockerEndpoint resolve() throws DockerException {
        trace.clear();
        String dockerHost = environment.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            trace.add("DOCKER_HOST is set: it wins over DOCKER_CONTEXT and the CLI's current context");
            return endpoint(dockerHost.trim(), tlsFromEnvironment(), FROM_DOCKER_HOST);
        }
        trace.add("DOCKER_HOST is not set");
        String fromEnvironment = environment.get("DOCKER_CONTEXT");
        String context;
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            trace.add("DOCKER_CONTEXT selects context '" + fromEnvironment + "'");
            context = fromEnvironment;
        } else {
            trace.add("DOCKER_CONTEXT is not set; reading currentContext from " + configDirectory().resolve("config.json"));
            context = currentContext();
        }
        if (context != null && !context.equals("default")) {
            return fromContext(context);
        }
        trace.add((context == null ? "no current context" : "context 'default'") + ": using the default socket "
                + DEFAULT_SOCKET);
        return new DockerEndpoint(DEFAULT_SOCKET, Optional.empty(), "default socket");
    }

    private Optional<Path> tlsFromEnvironment() {
        String verify = environment.get("DOCKER_TLS_VERIFY");
        if (verify == null || verify.isBlank() || verify.equals("0")) {
            trace.add("DOCKER_TLS_VERIFY is " + (verify == null || verify.isBlank() ? "not set" : "0") + ": no TLS");
            return Optional.empty();
        }
        trace.add("DOCKER_TLS_VERIFY is set: TLS with the certificates in "
                + (Optional.ofNullable(environment.get("DOCKER_CERT_PATH")).filter(p -> !p.isBlank()).isPresent()
                        ? "DOCKER_CERT_PATH" : "the Docker config directory"));
        // Absolute, so that messages name the directory a relative DOCKER_CERT_PATH resolved to.
        return Optional.of(Optional.ofNullable(environment.get("DOCKER_CERT_PATH")).filter(p -> !p.isBlank())
                .map(Path::of).orElse(configDirectory()).toAbsolutePath());
    }

    private Path configDirectory() {
        return Optional.ofNullable(environment.get("DOCKER_CONFIG")).filter(d -> !d.isBlank())
                .map(Path::of).orElse(userHome.resolve(".docker"));
    }

    private String currentContext() {
        Path config = configDirectory().resolve("config.json");
        if (!Files.isRegularFile(config)) {
            trace.add(config + " does not exist");
            return null;
        }
        try {
            JsonNode current = JSON.readTree(config.toFile()).get("currentContext");
            String context = current == null || current.asText().isBlank() ? null : current.asText();
            trace.add(context == null ? config + " names no currentContext" : config + " selects context '" + context + "'");
            return context;
        } catch (IOException e) {
            // The CLI also ignores an unreadable config here and falls back to the default context.
            trace.add(config + " cannot be read (" + e.getClass().getSimpleName() + "): ignored, as the CLI does");
            return null;
        }
    }

    private DockerEndpoint fromContext(String context) throws DockerException {
        String id = sha256(context);
        Path meta = configDirectory().resolve("contexts/meta").resolve(id).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new DockerException("Docker context '" + context + "' is selected but " + meta + " does not exist. "
                    + "Run 'docker context ls', or set DOCKER_HOST to the daemon's address.");
        }
        try {
            JsonNode docker = JSON.readTree(meta.toFile()).path("Endpoints").path("docker");
            String host = docker.path("Host").asText("");
            if (host.isBlank()) {
                throw new DockerException("Docker context '" + context + "' has no Docker endpoint in " + meta + ".");
            }
            Path tls = configDirectory().resolve("contexts/tls").resolve(id).resolve("docker");
            Optional<Path> tlsDirectory = Files.isRegularFile(tls.resolve("cert.pem")) || Files.isRegularFile(tls.resolve("ca.pem"))
                    ? Optional.of(tls) : Optional.empty();
            trace.add("context '" + context + "' read from " + meta + "; TLS material "
                    + (tlsDirectory.isPresent() ? "in " + tls : "none (no cert.pem or ca.pem in " + tls + ")"));
            return endpoint(host, tlsDirectory, "Docker context '" + context + "'");
        } catch (IOException e) {
            throw new DockerException("Could not read Docker context '" + context + "' from " + meta + ": " + e.getMessage(), e);
        }
    }

    private DockerEndpoint endpoint(String host, Optional<Path> tls, String source) throws DockerException {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw new DockerException("The Docker host '" + host + "' from " + source + " is not a valid address.", e);
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        switch (scheme) {
            case "unix", "tcp", "npipe" -> {
                return new DockerEndpoint(uri, tls, source);
            }
            case "ssh" -> {
                // As the Docker CLI: OpenSSH with the user's configuration, `docker system dial-stdio` on the host.
                if (tls.isPresent()) {
                    trace.add("ssh:// host: the TLS settings above do not apply (ssh encrypts the connection)");
                }
                return new DockerEndpoint(uri, Optional.empty(), source);
            }
            default -> throw new DockerException("The Docker host '" + host + "' from " + source
                    + " must start with unix://, tcp://, ssh:// or npipe://.");
        }
    }

    /** The CLI stores a context under the SHA-256 of its name. */
    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
