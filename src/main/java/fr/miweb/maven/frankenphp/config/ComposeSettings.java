package fr.miweb.maven.frankenphp.config;

import java.time.Duration;

/**
 * The production docker-compose stack.
 *
 * @param network               the external network every service joins
 * @param publishedPort         the host port the app service publishes
 * @param mysqlImage            the MySQL image
 * @param mysqlVolume           the named volume holding MySQL's data
 * @param queueSleep            {@code queue:work --sleep}
 * @param queueTries            {@code queue:work --tries}
 * @param queueMaxTime          {@code queue:work --max-time}
 * @param queueStopGracePeriod  how long compose waits for a running job before killing the worker
 * @param schedulerMode         how the scheduler container runs
 * @param watchtowerLabels      label app, queue and scheduler for Watchtower's label-enable mode
 * @param proxyImage            the Caddy image of the reverse proxy in front of app
 */
public record ComposeSettings(
        String network,
        int publishedPort,
        String mysqlImage,
        String mysqlVolume,
        int queueSleep,
        int queueTries,
        int queueMaxTime,
        Duration queueStopGracePeriod,
        SchedulerMode schedulerMode,
        boolean watchtowerLabels,
        String proxyImage) {
}
