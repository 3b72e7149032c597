package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The production server's Docker engine, as {@code <release><dockerHost>} names it: over ssh
 * (the Docker CLI's way, see {@link DockerConnection#open}), over TCP with mutual TLS, or a local socket.
 */
public final class ProductionEngine implements AutoCloseable {

    static final String SOURCE = "<release><dockerHost> (frankenphp.release.dockerHost)";

    private final DockerConnection connection;
    private final URI address;

    private ProductionEngine(DockerConnection connection, URI address) {
        this.connection = connection;
        this.address = address;
    }

    public static ProductionEngine connect(ReleaseSettings settings, Duration connectTimeout) throws ReleaseException {
        URI address = settings.dockerHost().orElseThrow(() -> new ReleaseException(
                "No production engine: set <release><dockerHost> (frankenphp.release.dockerHost), such as ssh://deploy@server.example.com.", true));
        // ssh has no TLS of its own to configure: <certPath> applies to tcp:// only.
        Optional<Path> certPath = "ssh".equals(address.getScheme()) ? Optional.empty() : settings.certPath();
        try {
            return new ProductionEngine(DockerConnection.open(new DockerEndpoint(address, certPath, SOURCE), connectTimeout), address);
        } catch (DockerException e) {
            // ssh failures are the user's to fix (host key, key, host name); so are a wrong address and certificates.
            throw new ReleaseException(e.getMessage(), true, e);
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
    }
}
