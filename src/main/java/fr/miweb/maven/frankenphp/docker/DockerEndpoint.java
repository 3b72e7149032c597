package fr.miweb.maven.frankenphp.docker;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Docker daemon is, as the Docker CLI would find it.
 *
 * @param host      {@code unix:///var/run/docker.sock}, {@code tcp://host:2376}...
 * @param tlsCertDirectory directory with ca.pem, cert.pem and key.pem, when TLS is used
 * @param source    how it was found, for messages ("DOCKER_HOST", "context 'ci'", "default socket")
 */
public record DockerEndpoint(URI host, Optional<Path> tlsCertDirectory, String source) {

    @Override
    public String toString() {
        return host + " (" + source + ")";
    }
}
