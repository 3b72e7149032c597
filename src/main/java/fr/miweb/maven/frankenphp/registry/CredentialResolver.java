package fr.miweb.maven.frankenphp.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the credentials for a registry host by asking {@link CredentialSource}s in order; the first
 * source that has credentials wins.
 *
 * <p>The {@linkplain #standard standard order} is: Maven settings.xml {@code <server>}, then the
 * {@code FRANKENPHP_REGISTRY_USERNAME}/{@code FRANKENPHP_REGISTRY_PASSWORD} environment variables,
 * then the Docker CLI config ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}).
 * A source that is present but broken stops the resolution with a {@link RegistryCredentialsException}
 * instead of being skipped, so that a typo never silently pushes with someone else's credentials.
 */
public final class CredentialResolver {

    private final List<CredentialSource> sources;

    /** @param sources the sources to consult, highest priority first */
    public CredentialResolver(List<CredentialSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The plugin's documented order: settings.xml, then environment variables, then Docker CLI config.
     *
     * @param mavenSettings the settings.xml source, built for the configured server id
     * @param environment   the process environment, normally {@code System.getenv()}
     * @param userHome      the user's home directory, normally {@code Path.of(System.getProperty("user.home"))}
     */
    public static CredentialResolver standard(MavenSettingsCredentialSource mavenSettings,
                                              Map<String, String> environment, Path userHome) {
        return new CredentialResolver(List.of(
                Objects.requireNonNull(mavenSettings, "mavenSettings"),
                new EnvironmentCredentialSource(environment),
                DockerConfigCredentialSource.fromEnvironment(environment, userHome)));
    }

    /**
     * Resolves credentials for a registry.
     *
     * @param registry the registry host, e.g. {@code docker-registry.miweb.fr} or
     *                 {@code registry.frankenphp.test:5443}; a scheme or path ({@code https://host/v2/}) is ignored
     * @throws RegistryCredentialsException when a consulted source is present but unusable
     */
    public CredentialResolution resolve(String registry) {
        String host = RegistryAddress.toHostname(Objects.requireNonNull(registry, "registry"));
        if (host.isEmpty()) {
            throw new IllegalArgumentException("registry host is empty (got '" + registry + "')");
        }
        List<String> consulted = new ArrayList<>();
        for (CredentialSource source : sources) {
            consulted.add(source.describe(host));
            Optional<RegistryCredentials> credentials = source.find(host);
            if (credentials.isPresent()) {
                return new CredentialResolution(credentials, consulted);
            }
        }
        return new CredentialResolution(Optional.empty(), consulted);
    }
}
