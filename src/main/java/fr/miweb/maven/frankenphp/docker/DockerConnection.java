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

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

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

    private final DockerClient client;
    private final DockerEndpoint endpoint;
    private final RemoteApiVersion apiVersion;
    private final String engineVersion;

    private DockerConnection(DockerClient client, DockerEndpoint endpoint, RemoteApiVersion apiVersion, String engineVersion) {
        this.client = client;
        this.endpoint = endpoint;
        this.apiVersion = apiVersion;
        this.engineVersion = engineVersion;
    }

    /**
     * Connects and negotiates the API version.
     *
     * @param connectTimeout how long to wait for the daemon to accept a connection
     */
    public static DockerConnection open(DockerEndpoint endpoint, Duration connectTimeout) throws DockerException {
        Version version = probe(endpoint, connectTimeout);
        RemoteApiVersion serverMax = RemoteApiVersion.parseConfig(version.getApiVersion());
        RemoteApiVersion chosen = HIGHEST_SUPPORTED_API.isGreater(serverMax) ? serverMax : HIGHEST_SUPPORTED_API;
        String serverMinText = version.getMinAPIVersion();
        if (serverMinText != null && RemoteApiVersion.parseConfig(serverMinText).isGreater(chosen)) {
            throw new DockerException("The Docker daemon at " + endpoint + " requires Engine API " + serverMinText
                    + " or later; this plugin speaks up to " + HIGHEST_SUPPORTED_API.getVersion() + ". Upgrade the plugin.");
        }
        DockerHttpClient http = httpClient(endpoint, connectTimeout, null);
        DockerClient client = DockerClientImpl.getInstance(new EndpointConfig(endpoint, chosen), http);
        return new DockerConnection(client, endpoint, chosen, version.getVersion());
    }

    private static Version probe(DockerEndpoint endpoint, Duration connectTimeout) throws DockerException {
        try (DockerHttpClient http = httpClient(endpoint, connectTimeout, PROBE_TIMEOUT)) {
            DockerClient probe = DockerClientImpl.getInstance(new EndpointConfig(endpoint, RemoteApiVersion.UNKNOWN_VERSION), http);
            return probe.versionCmd().exec();
        } catch (IOException | RuntimeException e) {
            if (endpoint.tlsCertDirectory().isPresent() && isTlsFailure(e)) {
                Path certs = endpoint.tlsCertDirectory().get();
                String whereFrom = endpoint.source().equals(DockerEndpointResolver.FROM_DOCKER_HOST)
                        ? " (DOCKER_CERT_PATH, else $DOCKER_CONFIG or ~/.docker)" : "";
                throw new DockerException("Cannot reach the Docker daemon at " + endpoint + ": the TLS handshake failed: "
                        + DockerErrors.summary(e) + ". The client certificates come from " + certs + whereFrom
                        + ": ca.pem must be the CA that issued the daemon's certificate, cert.pem and key.pem a client"
                        + " certificate the daemon accepts. `docker version` run in the same environment checks them;"
                        + " if the daemon does not use TLS, unset DOCKER_TLS_VERIFY.", e);
            }
            throw new DockerException("Cannot reach the Docker daemon at " + endpoint + ": " + DockerErrors.summary(e)
                    + ". Start Docker, or point the plugin at another daemon with DOCKER_HOST (for example "
                    + "DOCKER_HOST=tcp://build-host:2376 with DOCKER_TLS_VERIFY=1) or DOCKER_CONTEXT.", e);
        }
    }

    private static boolean isTlsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return true;
            }
        }
        return false;
    }

    private static DockerHttpClient httpClient(DockerEndpoint endpoint, Duration connectTimeout, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(endpoint.host())
                .connectionTimeout(connectTimeout)
                .maxConnections(16);
        endpoint.tlsCertDirectory().ifPresent(dir -> builder.sslConfig(new LocalDirectorySSLConfig(dir.toString())));
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        return builder.build();
    }

    public DockerClient client() {
        return client;
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    public String apiVersion() {
        return apiVersion.getVersion();
    }

    public String engineVersion() {
        return engineVersion;
    }

    @Override
    public void close() throws IOException {
        client.close();
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
