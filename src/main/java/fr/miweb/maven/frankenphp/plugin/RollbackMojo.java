package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import fr.miweb.maven.frankenphp.release.RegistryLatestTag;
import fr.miweb.maven.frankenphp.release.ReleaseException;
import fr.miweb.maven.frankenphp.release.SwarmRelease;
import fr.miweb.maven.frankenphp.release.WatchtowerRelease;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.util.Locale;
import java.util.Optional;

/**
 * Goes back to an earlier version on the production server: the same health-gated swap as
 * {@code release}, with an older version tag, no migrations and no build. Without
 * {@code -Dfrankenphp.rollback.version}, goes back to the version that served before the current one.
 * With {@code <release><target>watchtower</target>}, moves {@code latest} in the registry to the named version,
 * triggers Watchtower and waits until {@code <release><url>} reports it (the version must be named). With
 * {@code <release><target>swarm</target>}, has Swarm update the stack's services to that version (by digest, rolling
 * and health-gated), then moves {@code latest}.
 */
@Mojo(name = "rollback", configurator = FrankenPhpConfigurator.HINT, threadSafe = true, requiresProject = true)
public class RollbackMojo extends AbstractReleaseMojo {

    /**
     * The version tag to go back to. Default: the version that served before the current one, as the
     * release that started the current app container recorded it.
     */
    @Parameter(property = "frankenphp.rollback.version")
    String rollbackVersion;

    @Inject
    public RollbackMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    String goal() {
        return "rollback";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Optional<DeploymentConfig> configured = releaseConfig();
        if (configured.isEmpty()) {
            return;
        }
        DeploymentConfig config = configured.get();
        String repository = config.image().repository();
        // Checked as a tag with the rest of the configuration.
        Optional<String> named = Optional.ofNullable(rollbackVersion).filter(v -> !v.isBlank()).map(String::trim);
        if (config.release().target() == ReleaseTarget.WATCHTOWER) {
            rollbackThroughWatchtower(config, repository, named);
            return;
        }
        if (config.release().target() == ReleaseTarget.SWARM) {
            SwarmRelease.Result result = onSwarm(config, (release, auth) -> {
                String version = named.isPresent() ? named.get() : release.previousVersion()
                        .orElseThrow(() -> new ReleaseException("No earlier version is recorded on the app service of Swarm stack "
                                + config.release().project() + ". Name one: mvn frankenphp:rollback -Dfrankenphp.rollback.version=<tag>.", true));
                getLog().info("Rolling back Swarm stack " + config.release().project() + " to " + repository + ":" + version);
                return release.rollback(new ComposeRelease.Request(repository, version, Optional.empty(), auth, holder("rollback to " + version)));
            });
            getLog().info(String.format(Locale.ROOT, "Rolled back Swarm stack %s to %s in %.1f s: %d app tasks serve it",
                    config.release().project(), result.version(), result.took().toMillis() / 1000.0, result.replicas()));
            return;
        }
        ComposeRelease.Result result = onServer(config, (release, auth) -> {
            String version = named.isPresent() ? named.get() : release.previousVersion()
                    .orElseThrow(() -> new ReleaseException("No earlier version is recorded on the running app container of "
                            + config.release().project() + ". Name one: mvn frankenphp:rollback -Dfrankenphp.rollback.version=<tag>.", true));
            getLog().info("Rolling back " + config.release().project() + " to " + repository + ":" + version);
            return release.rollback(new ComposeRelease.Request(repository, version, Optional.empty(), auth, holder("rollback to " + version)));
        });
        getLog().info(String.format(Locale.ROOT, "Rolled back %s to %s in %.1f s: %s serves it", config.release().project(),
                result.version(), result.took().toMillis() / 1000.0, result.container()));
    }

    /**
     * Watchtower installs latest: latest moves to the version in the registry, then Watchtower is triggered and the
     * URL must report that version. Watchtower keeps no history, so the version is named explicitly.
     */
    private void rollbackThroughWatchtower(DeploymentConfig config, String repository, Optional<String> named)
            throws MojoExecutionException, MojoFailureException {
        String version = named.orElseThrow(() ->
                new MojoFailureException("With <release><target>watchtower</target>, name the version to go back to: "
                        + "mvn frankenphp:rollback -Dfrankenphp.rollback.version=<tag>. Watchtower keeps no history; the versions "
                        + "are the registry's tags, the version in each build's target/frankenphp/image.json, or the one the last "
                        + "release logged (\"roll back with ...\")."));
        WatchtowerRelease watchtower = watchtower(config);
        RegistryCredentials credentials = credentials(config.image().registry());
        RegistryLatestTag latest = new RegistryLatestTag(registryApiFactory(config.image().registry(), credentials), config.image().name());
        getLog().info("Rolling back to " + repository + ":" + version + " through Watchtower at " + config.release().watchtowerUrl().orElseThrow());
        WatchtowerRelease.Result result;
        try {
            result = watchtower.rollback(repository, version, latest);
        } catch (ReleaseException e) {
            throw translate(e);
        }
        getLog().info(String.format(Locale.ROOT, "Rolled back to %s through Watchtower in %.1f s: %s reports it", result.version(),
                result.took().toMillis() / 1000.0, config.release().url().orElseThrow()));
    }
}
