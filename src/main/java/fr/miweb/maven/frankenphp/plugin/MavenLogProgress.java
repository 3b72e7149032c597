package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.publish.Progress;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import org.apache.maven.plugin.logging.Log;

/** Where the use cases (build, push, release, rollback) say what they do: Maven's log. */
final class MavenLogProgress implements Progress, ComposeRelease.Log {

    private final Log log;

    MavenLogProgress(Log log) {
        this.log = log;
    }

    @Override
    public void debug(String line) {
        log.debug(line);
    }

    @Override
    public void info(String line) {
        log.info(line);
    }

    @Override
    public void warn(String line) {
        log.warn(line);
    }
}
