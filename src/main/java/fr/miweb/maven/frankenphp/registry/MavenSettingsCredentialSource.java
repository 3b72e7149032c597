package fr.miweb.maven.frankenphp.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from a {@code <server>} of Maven's {@code settings.xml}, whose id is either the registry
 * host itself (the default) or an id chosen in the plugin configuration.
 */
public final class MavenSettingsCredentialSource implements CredentialSource {

    private final SettingsServerLookup servers;
    private final String explicitServerId;

    private MavenSettingsCredentialSource(SettingsServerLookup servers, String explicitServerId) {
        this.servers = Objects.requireNonNull(servers, "servers");
        this.explicitServerId = explicitServerId;
    }

    /** Looks up the {@code <server>} whose id is the registry host, e.g. {@code docker-registry.miweb.fr}. */
    public static MavenSettingsCredentialSource forRegistryHost(SettingsServerLookup servers) {
        return new MavenSettingsCredentialSource(servers, null);
    }

    /** Looks up the {@code <server>} with the given id, whatever the registry host. */
    public static MavenSettingsCredentialSource forServerId(SettingsServerLookup servers, String serverId) {
        if (serverId == null || serverId.isBlank()) {
            throw new IllegalArgumentException("the settings.xml server id must not be blank");
        }
        return new MavenSettingsCredentialSource(servers, serverId.trim());
    }

    @Override
    public String describe(String registryHost) {
        return "Maven settings.xml <server> '" + serverId(registryHost) + "'";
    }

    @Override
    public Optional<RegistryCredentials> find(String registryHost) {
        String serverId = serverId(registryHost);
        Optional<SettingsServerLookup.ServerCredentials> server = servers.findServer(serverId);
        if (server.isEmpty()) {
            return Optional.empty();
        }
        String username = server.get().username();
        String password = server.get().password();
        // A server entry named after the registry is meant for it: an incomplete one is a mistake to report,
        // not a reason to silently fall back to other sources.
        if (username == null || username.isBlank()) {
            throw new RegistryCredentialsException(describe(registryHost)
                    + " has no <username>; add one, or remove the server entry to use other credential sources");
        }
        if (password == null || password.isEmpty()) {
            throw new RegistryCredentialsException(describe(registryHost)
                    + " has no <password>; add one (it may be encrypted with mvn --encrypt-password)");
        }
        return Optional.of(RegistryCredentials.password(username, password, describe(registryHost)));
    }

    private String serverId(String registryHost) {
        return explicitServerId != null ? explicitServerId : registryHost;
    }
}
