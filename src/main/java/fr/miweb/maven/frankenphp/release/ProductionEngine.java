package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.SshTunnel;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The production server's Docker engine, as {@code <release><dockerHost>} names it: over ssh
 * (the Docker CLI's way, through {@link SshTunnel}), over TCP with mutual TLS, or a local socket.
 */
public final class ProductionEngine implements AutoCloseable {

    static final String SOURCE = "<release><dockerHost>";

    private final DockerConnection connection;
    private final SshTunnel tunnel;
    private final URI address;

    private ProductionEngine(DockerConnection connection, SshTunnel tunnel, URI address) {
        this.connection = connection;
        this.tunnel = tunnel;
        this.address = address;
    }

    public static ProductionEngine connect(ReleaseSettings settings, Duration connectTimeout) throws ReleaseException {
        URI address = settings.dockerHost().orElseThrow(() -> new ReleaseException(
                "No production engine: set <release><dockerHost> (frankenphp.release.dockerHost), such as ssh://deploy@server.example.com.", true));
        SshTunnel tunnel = null;
        try {
            DockerEndpoint endpoint;
            if ("ssh".equals(address.getScheme())) {
                tunnel = SshTunnel.open(address, connectTimeout);
                endpoint = new DockerEndpoint(tunnel.localEndpoint(), Optional.empty(), SOURCE + " " + address);
            } else {
                endpoint = new DockerEndpoint(address, settings.certPath(), SOURCE);
            }
            DockerConnection connection = DockerConnection.open(endpoint, connectTimeout);
            return new ProductionEngine(connection, tunnel, address);
        } catch (DockerException e) {
            if (tunnel != null) {
                tunnel.close();
            }
            String sshSaid = tunnel == null || tunnel.recentErrors().isBlank() ? "" : "\nssh said: " + tunnel.recentErrors();
            // ssh failures are the user's to fix (host key, key, host name); so are a wrong address and certificates.
            throw new ReleaseException(e.getMessage() + sshSaid, true, e);
        }
    }

    public DockerConnection connection() {
        return connection;
    }

    /** "ssh://deploy@server (Docker Engine 27.3.1, API 1.47)", for the log. */
    public String describe() {
        return address + " (Docker Engine " + connection.engineVersion() + ", API " + connection.apiVersion()
                + (connection.endpoint().tlsCertDirectory().map(d -> ", TLS with the client certificate in " + d).orElse(""))
                + ("tcp".equals(address.getScheme()) && connection.endpoint().tlsCertDirectory().isEmpty() ? ", without TLS" : "")
                + ")";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        if (tunnel != null) {
            tunnel.close();
        }
    }
}
