package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RegistryCredentialsException;
import fr.miweb.maven.frankenphp.registry.SettingsServerLookup;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import fr.miweb.maven.frankenphp.release.ProductionEngine;
import fr.miweb.maven.frankenphp.release.RegistryLatestTag;
import fr.miweb.maven.frankenphp.release.ReleaseException;
import fr.miweb.maven.frankenphp.release.SwarmRelease;
import fr.miweb.maven.frankenphp.release.WatchtowerRelease;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;

/** What release and rollback share: the production engine or Watchtower, the release use cases, and their one failure type. */
abstract class AbstractReleaseMojo extends AbstractDockerMojo {

    /** Skips {@code release} and {@code rollback}: the build still pushes. */
    @Parameter(property = "frankenphp.release.skip", defaultValue = Defaults.RELEASE_SKIP)
    String releaseSkip;

    AbstractReleaseMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    /** The configuration, or empty when this goal has nothing to do (and the log says why). */
    Optional<DeploymentConfig> releaseConfig() throws MojoFailureException {
        if (flag(releaseSkip)) {
            getLog().info("Skipping " + goal() + ": <releaseSkip> (frankenphp.release.skip) is true.");
            return Optional.empty();
        }
        DeploymentConfig config = deploymentConfig();
        if (config.release().target() == ReleaseTarget.NONE) {
            getLog().info("Skipping " + goal() + ": <release><target> (frankenphp.release.target) is none; "
                    + "the release ends at the registry.");
            return Optional.empty();
        }
        return Optional.of(config);
    }

    /** Connects to the production engine and runs the compose use case on it. */
    <T> T onServer(DeploymentConfig config, ReleaseAction<ComposeRelease, T> action) throws MojoExecutionException, MojoFailureException {
        return onEngine(config, "compose project", (engine, latest) -> new ComposeRelease(engine.connection().client(), config.release(),
                config.octane().port(), config.compose().queueStopGracePeriod(), progress(), latest), action);
    }

    /** Connects to the production engine, a Swarm manager, and runs the Swarm use case on it. */
    <T> T onSwarm(DeploymentConfig config, ReleaseAction<SwarmRelease, T> action) throws MojoExecutionException, MojoFailureException {
        return onEngine(config, "Swarm stack", (engine, latest) -> new SwarmRelease(engine.connection(), engine.describe(), config.release(),
                progress(), latest), action);
    }

    private <R, T> T onEngine(DeploymentConfig config, String projectKind, BiFunction<ProductionEngine, RegistryLatestTag, R> useCase,
                              ReleaseAction<R, T> action) throws MojoExecutionException, MojoFailureException {
        RegistryCredentials credentials = credentials(config.image().registry());
        // Before connecting: a bad registry CA file stops the goal before anything is reached or changed.
        RegistryLatestTag latest = new RegistryLatestTag(registryApiFactory(config.image().registry(), credentials), config.image().name());
        try (ProductionEngine engine = ProductionEngine.connect(config.release(), connectTimeout())) {
            getLog().info("Production engine: " + engine.describe() + ", " + projectKind + " " + config.release().project());
            R release = useCase.apply(engine, latest);
            return action.run(release, RegistryOperations.authConfig(config.image().registry(), credentials));
        } catch (ReleaseException e) {
            throw translate(e);
        }
    }

    /**
     * The Watchtower use case ({@code <release><target>watchtower</target>}), with the API token from the
     * settings.xml {@code <server>} that {@code <release><watchtowerServerId>} names (decrypted like the registry's).
     * The log names where the token came from, never the token.
     */
    WatchtowerRelease watchtower(DeploymentConfig config) throws MojoExecutionException, MojoFailureException {
        String id = config.release().watchtowerServerId();
        String source = "settings.xml <server> '" + id + "'";
        Optional<SettingsServerLookup.ServerCredentials> server;
        try {
            server = findServer(id);
        } catch (RegistryCredentialsException e) {
            throw new MojoFailureException("Could not read the Watchtower API token: " + e.getMessage(), e);
        }
        String token = server.map(SettingsServerLookup.ServerCredentials::password).filter(p -> !p.isEmpty())
                .orElseThrow(() -> new MojoFailureException("No Watchtower API token: add a <server> with <id>" + id
                        + "</id> and Watchtower's --http-api-token as its <password> (it may be encrypted) to ~/.m2/settings.xml, "
                        + "or name another <server> with <release><watchtowerServerId> (frankenphp.release.watchtowerServerId)."));
        getLog().info("Watchtower API token from " + source);
        try {
            return new WatchtowerRelease(config.release(), token, source,
                    connectTimeout(), progress());
        } catch (ReleaseException e) {
            throw translate(e);
        }
    }

    /** A release the user can fix fails the build; anything else is the infrastructure's. */
    static MojoExecutionException translate(ReleaseException e) throws MojoFailureException {
        if (e.userFixable()) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        return new MojoExecutionException(e.getMessage(), e);
    }

    /** Who releases, shown to a release that finds the server's lock taken. */
    String holder(String what) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown host";
        }
        return System.getProperty("user.name", "someone").toLowerCase(Locale.ROOT) + "@" + host + " (" + what + ")";
    }

    @FunctionalInterface
    interface ReleaseAction<R, T> {
        T run(R release, com.github.dockerjava.api.model.AuthConfig auth) throws ReleaseException, MojoFailureException;
    }
}
