package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import fr.miweb.maven.frankenphp.registry.Throwables;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

/**
 * An open connection to the Docker daemon, speaking the highest Engine API version both sides
 * support.
 *
 * <p>The client configuration is built here from the resolved endpoint only: docker-java's
 * {@code DefaultDockerClientConfig} would also read {@code ~/.docker-java.properties} and
 * system properties such as {@code api.version}, silently changing behaviour per machine.
 */
public final class DockerConnection implements AutoCloseable {

    /**
     * The highest Engine API version this plugin asks for. The daemon's own maximum is used when
     * lower; Docker 29 refuses anything below 1.44, so no old version is pinned.
     */
    static final RemoteApiVersion HIGHEST_SUPPORTED_API = RemoteApiVersion.create(1, 47);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TLS_FILES = List.of("ca.pem", "cert.pem", "key.pem");

    private final DockerClient client;
    private final DockerEndpoint endpoint;
    private final RemoteApiVersion apiVersion;
    private final String engineVersion;
    private final DockerHttpClient http;
    /** For an {@code ssh://} endpoint: the tunnel docker-java speaks through; closed with the connection. */
    private final SshTunnel tunnel;

    private DockerConnection(DockerClient client, DockerHttpClient http, DockerEndpoint endpoint, RemoteApiVersion apiVersion,
                             String engineVersion, SshTunnel tunnel) {
        this.http = http;
        this.client = client;
        this.endpoint = endpoint;
        this.apiVersion = apiVersion;
        this.engineVersion = engineVersion;
        this.tunnel = tunnel;
    }

    /**
     * Connects and negotiates the API version. An {@code ssh://user@host[:port]} endpoint is reached as the Docker
     * CLI reaches it (the user's OpenSSH client and configuration, {@code docker system dial-stdio} on the host; see
     * {@link SshTunnel}).
     *
     * @param connectTimeout how long to wait for the daemon to accept a connection
     */
    public static DockerConnection open(DockerEndpoint endpoint, Duration connectTimeout) throws DockerException {
        if (!"ssh".equals(endpoint.host().getScheme())) {
            return open(endpoint, endpoint, connectTimeout, null);
        }
        SshTunnel tunnel = SshTunnel.open(endpoint.host(), connectTimeout, endpoint.source());
        try {
            return open(endpoint, new DockerEndpoint(tunnel.localEndpoint(), Optional.empty(), endpoint.source()),
                    connectTimeout, tunnel);
        } catch (DockerException | RuntimeException e) {
            // Read before closing: closing ends the ssh processes whose last words explain the failure.
            String sshSaid = tunnel.recentErrors();
            tunnel.close();
            String message = e instanceof DockerException ? e.getMessage()
                    : "Cannot reach the Docker daemon at " + endpoint + ": " + DockerErrors.summary(e);
            throw new DockerException(message + (sshSaid.isBlank() ? "" : "\nssh said: " + sshSaid), e);
        }
    }

    /**
     * @param endpoint  what the user configured, for messages
     * @param transport where docker-java connects: the endpoint itself, or the local end of its SSH tunnel
     */
    private static DockerConnection open(DockerEndpoint endpoint, DockerEndpoint transport, Duration connectTimeout, SshTunnel tunnel)
            throws DockerException {
        Version version = probe(endpoint, transport, connectTimeout);
        RemoteApiVersion serverMax = RemoteApiVersion.parseConfig(version.getApiVersion());
        RemoteApiVersion chosen = HIGHEST_SUPPORTED_API.isGreater(serverMax) ? serverMax : HIGHEST_SUPPORTED_API;
        String serverMinText = version.getMinAPIVersion();
        if (serverMinText != null && RemoteApiVersion.parseConfig(serverMinText).isGreater(chosen)) {
            throw new DockerException("The Docker daemon at " + endpoint + " requires Engine API " + serverMinText
                    + " or later; this plugin speaks up to " + HIGHEST_SUPPORTED_API.getVersion() + ". Upgrade the plugin.");
        }
        DockerHttpClient http = httpClient(transport, connectTimeout, null);
        DockerClient client = DockerClientImpl.getInstance(new EndpointConfig(transport, chosen), http);
        return new DockerConnection(client, http, endpoint, chosen, version.getVersion(), tunnel);
    }

    private static Version probe(DockerEndpoint endpoint, DockerEndpoint transport, Duration connectTimeout) throws DockerException {
        checkTlsFiles(endpoint);
        DockerHttpClient http;
        try {
            http = httpClient(transport, connectTimeout, PROBE_TIMEOUT);
        } catch (RuntimeException e) {
            // Only the TLS material is read here: nothing has been sent yet.
            throw new DockerException("Cannot use the TLS client certificates in " + tlsSource(endpoint) + " for the Docker daemon at "
                    + endpoint + ": " + DockerErrors.summary(e) + ". They must be PEM files: ca.pem, cert.pem and key.pem.", e);
        }
        try (http) {
            DockerClient probe = DockerClientImpl.getInstance(new EndpointConfig(transport, RemoteApiVersion.UNKNOWN_VERSION), http);
            return probe.versionCmd().exec();
        } catch (IOException | RuntimeException e) {
            if (endpoint.tlsCertDirectory().isPresent() && isTlsFailure(e)) {
                throw new DockerException("Cannot reach the Docker daemon at " + endpoint + ": the TLS handshake failed: "
                        + DockerErrors.summary(e) + ". The client certificates come from " + tlsSource(endpoint)
                        + ": ca.pem must be the CA that issued the daemon's certificate, cert.pem and key.pem a client"
                        + " certificate the daemon accepts. `docker version` run in the same environment checks them"
                        + (fromDockerHost(endpoint) ? "; if the daemon does not use TLS, unset DOCKER_TLS_VERIFY." : "."), e);
            }
            if (endpoint.source().startsWith("<")) {
                // Configured in the pom (the production engine of a release): the environment is not the fix.
                throw new DockerException("Cannot reach the Docker daemon at " + endpoint + ": " + DockerErrors.summary(e)
                        + ". Check " + endpoint.source() + ".", e);
            }
            throw new DockerException("Cannot reach the Docker daemon at " + endpoint + ": " + DockerErrors.summary(e)
                    + ". Start Docker, or point the plugin at another daemon with DOCKER_HOST (for example "
                    + "DOCKER_HOST=tcp://build-host:2376 with DOCKER_TLS_VERIFY=1) or DOCKER_CONTEXT.", e);
        }
    }

    /**
     * The three files the Docker CLI requires. docker-java would silently fall back to plain HTTP
     * when one is missing, so a TLS daemon would fail obscurely and a plain one would be used unawares.
     */
    private static void checkTlsFiles(DockerEndpoint endpoint) throws DockerException {
        if (endpoint.tlsCertDirectory().isEmpty()) {
            return;
        }
        Path directory = endpoint.tlsCertDirectory().get();
        List<String> missing = TLS_FILES.stream().filter(name -> !Files.isReadable(directory.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new DockerException("TLS is on for the Docker daemon at " + endpoint + ", but " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing or unreadable in " + tlsSource(endpoint)
                    + ". Put ca.pem, cert.pem and key.pem there"
                    + (fromDockerHost(endpoint) ? ", point DOCKER_CERT_PATH at the directory that has them, or unset"
                            + " DOCKER_TLS_VERIFY if the daemon does not use TLS." : "."));
        }
    }

    private static boolean fromDockerHost(DockerEndpoint endpoint) {
        return endpoint.source().equals(DockerEndpointResolver.FROM_DOCKER_HOST);
    }

    /** The certificate directory, and for DOCKER_HOST where it was taken from. */
    private static String tlsSource(DockerEndpoint endpoint) {
        return endpoint.tlsCertDirectory().map(Path::toString).orElse("?")
                + (fromDockerHost(endpoint) ? " (DOCKER_CERT_PATH, else $DOCKER_CONFIG or ~/.docker)" : "");
    }

    private static boolean isTlsFailure(Throwable failure) {
        return Throwables.causeChain(failure).stream()
                .anyMatch(t -> t instanceof SSLException || t instanceof GeneralSecurityException);
    }

    private static DockerHttpClient httpClient(DockerEndpoint endpoint, Duration connectTimeout, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(endpoint.host())
                .connectionTimeout(connectTimeout)
                .maxConnections(16);
        endpoint.tlsCertDirectory().ifPresent(dir -> builder.sslConfig(new LocalDirectorySSLConfig(dir.toString())));
        // Always set: without a response timeout, a TLS connection keeps the handshake's (the connect timeout) as
        // its read timeout, and a call the engine answers slowly (a stop waiting out a grace period) fails with
        // "Read timed out". Zero means no limit; each use case bounds its own waits.
        builder.responseTimeout(responseTimeout != null ? responseTimeout : Duration.ZERO);
        return builder.build();
    }

    public DockerClient client() {
        return client;
    }

    /**
     * The same connection, for Engine API calls docker-java does not model (Swarm jobs, service updates that keep
     * every field of the spec, the registry auth header on a service update). Paths carry {@link #apiVersion()}.
     */
    public DockerHttpClient httpClient() {
        return http;
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    /** The SSH tunnel of an {@code ssh://} endpoint, for tests. */
    Optional<SshTunnel> tunnel() {
        return Optional.ofNullable(tunnel);
    }

    public String apiVersion() {
        return apiVersion.getVersion();
    }

    public String engineVersion() {
        return engineVersion;
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            if (tunnel != null) {
                tunnel.close();
            }
        }
    }

    /**
     * The endpoint and API version, nothing else: credentials are passed per command. The registry
     * user and URL are empty rather than null because docker-java's {@code authCmd()} insists on
     * them before the command's own credentials replace them.
     */
    private record EndpointConfig(DockerEndpoint endpoint, RemoteApiVersion version) implements DockerClientConfig {
        @Override
        public URI getDockerHost() {
            return endpoint.host();
        }

        @Override
        public RemoteApiVersion getApiVersion() {
            return version;
        }

        @Override
        public String getRegistryUsername() {
            return "";
        }

        @Override
        public String getRegistryPassword() {
            return null;
        }

        @Override
        public String getRegistryEmail() {
            return null;
        }

        @Override
        public String getRegistryUrl() {
            return "";
        }

        @Override
        public AuthConfig effectiveAuthConfig(String imageName) {
            return null;
        }

        @Override
        public AuthConfigurations getAuthConfigurations() {
            return new AuthConfigurations();
        }

        @Override
        public SSLConfig getSSLConfig() {
            return endpoint.tlsCertDirectory().map(dir -> (SSLConfig) new LocalDirectorySSLConfig(dir.toString())).orElse(null);
        }
    }
}
