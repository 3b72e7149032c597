package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.publish.PublishException;
import fr.miweb.maven.frankenphp.publish.PushImage;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import fr.miweb.maven.frankenphp.release.ReleaseException;
import fr.miweb.maven.frankenphp.release.SwarmRelease;
import fr.miweb.maven.frankenphp.release.WatchtowerRelease;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Puts the version recorded in {@code target/frankenphp/image.json} live on the production server
 * (with {@code <release><target>compose</target>}): pulls it by digest, runs the migrations once,
 * starts the new app container next to the old one behind the stack's proxy, waits for its health
 * check, moves the traffic, drains and removes the old container, then restarts queue and
 * scheduler on the new image. With {@code <release><target>watchtower</target>}, it triggers the server's
 * Watchtower through its HTTP API instead and waits until {@code <release><url>} reports the new version. With
 * {@code <release><target>swarm</target>}, runs the migrations as a Swarm job and has Swarm update the stack's
 * app, queue and scheduler services to the new image (rolling, health-gated, rolled back by Swarm on failure).
 * Bound to {@code deploy} after {@code push}; run on its own, it re-releases the recorded build without rebuilding.
 */
@Mojo(name = "release", configurator = FrankenPhpConfigurator.HINT, defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class ReleaseMojo extends AbstractReleaseMojo {

    @Inject
    public ReleaseMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    String goal() {
        return "release";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        Optional<DeploymentConfig> configured = releaseConfig();
        if (configured.isEmpty()) {
            return;
        }
        DeploymentConfig config = configured.get();
        ImageRecord record = pushedRecord(config);
        String digest = record.pushed().get(record.version());
        if (config.release().target() == ReleaseTarget.WATCHTOWER) {
            releaseThroughWatchtower(config, record, digest);
            return;
        }
        getLog().info("Releasing " + record.repository() + ":" + record.version() + " (" + digest + ")");
        if (config.release().target() == ReleaseTarget.SWARM) {
            SwarmRelease.Result result = onSwarm(config, (release, auth) -> release.release(new ComposeRelease.Request(
                    record.repository(), record.version(), Optional.of(digest), auth, holder("release of " + record.version()))));
            getLog().info(String.format(Locale.ROOT, "Released %s (%s) to Swarm stack %s in %.1f s: %d app tasks serve it%s", result.version(),
                    digest, config.release().project(), result.took().toMillis() / 1000.0, result.replicas(),
                    result.previousVersion().map(p -> "; roll back with mvn frankenphp:rollback -Dfrankenphp.rollback.version=" + p).orElse("")));
            return;
        }
        ComposeRelease.Result result = onServer(config, (release, auth) -> release.release(new ComposeRelease.Request(
                record.repository(), record.version(), Optional.of(digest), auth,
                holder("release of " + record.version()))));
        getLog().info(String.format(Locale.ROOT, "Released %s (%s) to %s in %.1f s: %s serves it%s", result.version(), digest,
                config.release().project(), result.took().toMillis() / 1000.0, result.container(),
                result.previousVersion().map(p -> "; roll back with mvn frankenphp:rollback -Dfrankenphp.rollback.version=" + p).orElse("")));
    }

    /** Watchtower pulls latest: the record must show latest pushed, as this build's version. */
    private void releaseThroughWatchtower(DeploymentConfig config, ImageRecord record, String digest)
            throws MojoExecutionException, MojoFailureException {
        if (!record.isPushed("latest")) {
            throw new MojoFailureException("Nothing to release through Watchtower: " + record.repository() + ":latest is not pushed ("
                    + imageRecordFile() + "), and Watchtower installs latest. Finish the push first: mvn frankenphp:push.");
        }
        WatchtowerRelease watchtower = watchtower(config);
        getLog().info("Releasing " + record.repository() + ":" + record.version() + " (" + digest + ") through Watchtower at "
                + config.release().watchtowerUrl().orElseThrow());
        WatchtowerRelease.Result result;
        try {
            result = watchtower.release(record.repository(), record.version());
        } catch (ReleaseException e) {
            throw translate(e);
        }
        getLog().info(String.format(Locale.ROOT, "Released %s (%s) through Watchtower in %.1f s: %s reports it%s", result.version(), digest,
                result.took().toMillis() / 1000.0, config.release().url().orElseThrow(),
                result.previousVersion().map(p -> "; roll back with mvn frankenphp:rollback -Dfrankenphp.rollback.version=" + p).orElse("")));
    }

    private ImageRecord pushedRecord(DeploymentConfig config) throws MojoFailureException, MojoExecutionException {
        Path recordFile = imageRecordFile();
        ImageRecord record;
        try {
            record = PushImage.recorded(recordFile, config.image().repository(), "release", "Build and push first (mvn deploy).", "mvn deploy");
        } catch (PublishException e) {
            throw translate(e);
        }
        if (!record.isPushed(record.version())) {
            throw new MojoFailureException("Nothing to release: " + record.repository() + ":" + record.version()
                    + " is built but not pushed (" + recordFile + "). Push it first: mvn frankenphp:push, or mvn deploy.");
        }
        return record;
    }
}
