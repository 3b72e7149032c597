package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import fr.miweb.maven.frankenphp.release.ReleaseException;
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
 */
@Mojo(name = "rollback", threadSafe = true, requiresProject = true)
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
        ComposeRelease.Result result = onServer(config, (release, auth, credentials) -> {
            String version = Optional.ofNullable(rollbackVersion).filter(v -> !v.isBlank()).map(String::trim)
                    .or(() -> previousVersion(release))
                    .orElseThrow(() -> new ReleaseException("No earlier version is recorded on the running app container of "
                            + config.release().project() + ". Name one: mvn frankenphp:rollback -Dfrankenphp.rollback.version=<tag>.", true));
            getLog().info("Rolling back " + config.release().project() + " to " + repository + ":" + version);
            return release.rollback(new ComposeRelease.Request(repository, version, Optional.empty(), Optional.empty(), auth,
                    holder("rollback to " + version)));
        });
        getLog().info(String.format(Locale.ROOT, "Rolled back %s to %s in %.1f s: %s serves it", config.release().project(),
                result.version(), result.took().toMillis() / 1000.0, result.container()));
    }

    private static Optional<String> previousVersion(ComposeRelease release) {
        try {
            return release.previousVersion();
        } catch (ReleaseException e) {
            return Optional.empty();
        }
    }
}
