package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import fr.miweb.maven.frankenphp.config.DockerReferences;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The release of one version to the compose stack on the server, through its Engine API:
 * the pull (while the release lock is taken and the stack read), migrations once, the new app
 * container next to the old one, the health gate and the move of traffic, queue and scheduler on the
 * new image, then the drain of the old app container. Rollback is the same swap to an older version,
 * without migrations.
 *
 * <p>The proxy routes to two container names, in order of preference: the candidate
 * ({@code <project>-app-next}), then the primary ({@code <project>-app}). A release starts the new
 * version as the candidate; the proxy sends it every request as soon as it answers its health path,
 * so the old (primary) container stops receiving requests without any change to the proxy. Once
 * the old container has no request in flight, it is stopped and removed, and the new one takes the
 * primary name. A new version that never gets healthy never receives a request, unless it answered
 * its health path before failing it, and is removed; the old one kept serving throughout.
 *
 * <p>An interrupted release (Ctrl-C, a killed Maven, a dropped connection) leaves at most a
 * candidate, a half-retired container or a half-replaced worker, which the next release settles.
 */
public final class ComposeRelease {

    /** The label the release puts on the containers it starts: the version they run, and the one before. */
    public static final String VERSION_LABEL = "fr.miweb.frankenphp.version";
    public static final String PREVIOUS_VERSION_LABEL = "fr.miweb.frankenphp.previous-version";
    private static final String STEP_LABEL = "fr.miweb.frankenphp.release-step";
    private static final String OCI_VERSION_LABEL = "org.opencontainers.image.version";
    private static final String RETIRED = "-retired-";
    private static final Duration APP_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration SCHEDULER_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofSeconds(1);
    /** Docker runs the health check every 2 s (the rendered compose file); a quarter of that adds little to the wait. */
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);
    private static final int LOG_LINES = 30;

    private final ServerContainers containers;
    private final ReleaseSettings settings;
    private final int appPort;
    private final Duration queueStopGrace;
    private final Log log;
    private final RegistryLatestTag latest;

    /** Where a release says what it does. */
    public interface Log {
        void info(String line);

        void warn(String line);
    }

    /**
     * @param appPort        the port the app serves on inside its container (Octane's)
     * @param queueStopGrace how long a queue worker may finish its job when stopped
     * @param log            receives what happens, one line at a time
     * @param latest         moves {@code latest} in the registry after a rollback or a release that never went live
     */
    public ComposeRelease(DockerClient docker, ReleaseSettings settings, int appPort, Duration queueStopGrace, Log log,
                          RegistryLatestTag latest) {
        this.containers = new ServerContainers(docker);
        this.settings = settings;
        this.appPort = appPort;
        this.queueStopGrace = queueStopGrace;
        this.log = log;
        this.latest = latest;
    }

    /**
     * What to release.
     *
     * @param repository {@code registry/name}
     * @param version    the version tag
     * @param digest     the manifest digest the push recorded; pulled by digest when present
     * @param auth       the registry credentials for the pull
     * @param holder     who releases, shown to a concurrent release
     */
    public record Request(String repository, String version, Optional<String> digest, AuthConfig auth, String holder) {
    }

    /**
     * @param version         the version now serving
     * @param previousVersion the version that served before, if known
     * @param container       the app container now serving
     * @param took            how long the release took
     */
    public record Result(String version, Optional<String> previousVersion, String container, Duration took) {
    }

    /**
     * Releases a new version: migrations first (when enabled), then the swap. If it fails before
     * the new version took the traffic, {@code latest} in the registry goes back to the version that
     * kept serving, so that Watchtower or a later {@code docker compose pull} does not install it.
     */
    public Result release(Request request) throws ReleaseException {
        Progress progress = new Progress();
        try {
            // The push moved latest to this version; the swap points it there again at its end, under the lock.
            return swap(request, settings.migrate(), progress, false);
        } catch (ReleaseException e) {
            if (progress.trafficMoved || progress.serving.isEmpty() || e instanceof LockTakenException
                    || progress.serving.get().equals(request.version())) {
                throw e;
            }
            throw new ReleaseException(e.getMessage() + latest.moveBack(progress.serving.get(), request.version()), e.userFixable(), e);
        }
    }

    /**
     * Goes back to an older version: the same swap, without migrations, then {@code latest} in the
     * registry is moved to it, last, under the release lock.
     */
    public Result rollback(Request request) throws ReleaseException {
        return swap(request, false, new Progress(), true);
    }

    /** The version that served before the current app container, as the release that started it recorded. */
    public Optional<String> previousVersion() throws ReleaseException {
        try {
            return containers.service(settings.project(), "app", true).stream()
                    .filter(c -> ServerContainers.name(c).equals(settings.primarySlot()))
                    .findFirst()
                    .flatMap(c -> Optional.ofNullable(labels(c).get(PREVIOUS_VERSION_LABEL)))
                    .filter(DockerReferences::isTag);
        } catch (RuntimeException e) {
            throw infrastructure("Could not read the app container of project " + settings.project(), e, "nothing was changed");
        }
    }

    /** What a release has done so far: whether the new version took the traffic, and what served before. */
    private static final class Progress {
        private Optional<String> serving = Optional.empty();
        private boolean trafficMoved;
        private String lastStep = "start";
    }

    private Result swap(Request request, boolean migrate, Progress progress, boolean rollback) throws ReleaseException {
        long start = System.nanoTime();
        StepTimes steps = new StepTimes(progress);
        String project = settings.project();
        PendingPull pull = null;
        try {
            // The pull runs on the server while the lock is taken and the stack read: neither needs the new image.
            pull = startPull(request);
            try (ReleaseLock lock = ReleaseLock.acquire(containers, project, lockImage(pull), request.holder())) {
                InspectContainerResponse proxy = single("proxy", "Re-create the stack with the rendered docker-compose.prod.yml and "
                        + "Caddyfile (DEPLOY.md, \"First install\"); nothing was changed.");
                ProxyRotation rotation = new ProxyRotation(containers, proxy.getId());
                finishEarlierMigrations();
                InspectContainerResponse current = settleApp(rotation, progress);
                Optional<String> serving = versionOf(current);
                progress.serving = serving;
                log.info("Serving now: " + ServerContainers.name(current) + " (" + serving.orElse("unknown version") + ")");
                ContainerTemplate template = ContainerTemplate.of(containers.client(), current, settings.primarySlot(), settings.candidateSlot());
                steps.done("lock and inspect");
                String imageId = pull.await();
                steps.done("pull");
                if (migrate) {
                    migrate(template, imageId, request.version());
                    steps.done("migrations");
                }
                // Re-releasing the serving version keeps the version to roll back to.
                Optional<String> previous = serving.isPresent() && serving.get().equals(request.version())
                        ? Optional.ofNullable(labels(current).get(PREVIOUS_VERSION_LABEL)) : serving;
                InspectContainerResponse started = startCandidate(template, imageId, request.version(), previous);
                steps.done("start");
                // Prepared while the health check runs, when this process only polls: building the registry client and
                // reading the manifest then take no CPU from the steps before, which a cold JVM on a busy server needs.
                RegistryLatestTag.Move latestMove = latest.prepare(request.version());
                long healthStart = System.nanoTime();
                waitHealthy(started, request.version(), rotation);
                progress.trafficMoved = true;
                log.info(String.format(Locale.ROOT, "Healthy after %.1f s: %s (%s) takes the traffic", seconds(healthStart),
                        settings.candidateSlot(), request.version()));
                steps.done("health");
                // The proxy checks each name every second: it must see the new container before the old one
                // goes. The workers move meanwhile; they do not depend on which container takes the requests.
                long handoverEnd = System.nanoTime() + ProxyRotation.HEALTH_INTERVAL.multipliedBy(2).toNanos();
                recreateWorkers(imageId, request.version());
                steps.done("workers");
                sleep(Duration.ofNanos(Math.max(0, handoverEnd - System.nanoTime())));
                steps.done("handover");
                drainAndRemove(current, rotation, settings.primarySlot());
                containers.rename(started.getId(), settings.primarySlot());
                steps.done("drain");
                containers.client().tagImageCmd(imageId, request.repository(), "latest").withForce().exec();
                verify(imageId, request.version());
                checkUrl(request.version());
                steps.done("checks");
                // Last, and under the lock, so that no release or rollback moves it between this one's move and
                // its end: latest names what serves. A release moves it back to its version when a rollback
                // moved it after this build's push.
                latestMove.finish(rollback, "on the server", log);
                steps.done("latest");
                log.info("Steps: " + steps);
                return new Result(request.version(), previous, settings.primarySlot(), Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted after the step \"" + progress.lastStep + "\". " + state(progress)
                    + " Run mvn frankenphp:release to finish it.", false, e);
        } catch (RuntimeException e) {
            // docker-java reports a refused command, and a dropped connection, as unchecked exceptions.
            throw infrastructure("The release stopped after the step \"" + progress.lastStep + "\"", e,
                    state(progress) + " Run mvn frankenphp:release to finish it");
        } finally {
            if (pull != null) {
                pull.abandon();
            }
        }
    }

    private String state(Progress progress) {
        return progress.trafficMoved ? "The new version already served." : "The old version kept serving.";
    }

    /**
     * Step 1: the pushed image, by digest, on the server. An image the server already holds under its digest (a
     * re-release, a rollback to a version it ran) needs no pull; otherwise the pull starts and is awaited later.
     */
    private PendingPull startPull(Request request) {
        String reference = request.digest().map(d -> request.repository() + "@" + d).orElse(request.repository() + ":" + request.version());
        Optional<String> present = request.digest().flatMap(d -> containers.imageId(reference));
        if (present.isPresent()) {
            log.info(reference + " is already on the server; no pull needed");
            return new PendingPull(request, reference, present, null);
        }
        log.info("Pulling " + reference + " on the server");
        return new PendingPull(request, reference, Optional.empty(),
                containers.pull(request.repository(), request.digest().orElse(request.version()), request.auth()));
    }

    /**
     * The lock runs {@code cat} in an image the server has: the serving app container's, while the new one may
     * still be on its way; the new one when there is no app container (the release then stops, nothing changed).
     */
    private String lockImage(PendingPull pull) throws ReleaseException, InterruptedException {
        Optional<String> image = pull.present.or(() -> containers.service(settings.project(), "app", true).stream().findFirst()
                .map(InspectContainerResponse::getImageId));
        return image.isPresent() ? image.get() : pull.await();
    }

    /** A pull started on the server: awaited once the stack has been read, or abandoned when the release stops first. */
    private final class PendingPull {
        private final Request request;
        private final String reference;
        /** The image, when the server held it already. */
        private final Optional<String> present;
        private final ServerContainers.Pull pull;

        PendingPull(Request request, String reference, Optional<String> present, ServerContainers.Pull pull) {
            this.request = request;
            this.reference = reference;
            this.present = present;
            this.pull = pull;
        }

        /** The image's id, tagged with its version on the server. */
        String await() throws ReleaseException, InterruptedException {
            if (pull != null) {
                Optional<ReleaseException> failure = pull.await(Duration.ofMinutes(30));
                if (failure.isPresent()) {
                    throw new ReleaseException("The server could not pull " + reference + ": " + failure.get().getMessage()
                            + " The release stopped before its migrations and its swap.", failure.get().userFixable());
                }
            }
            String imageId = present.isPresent() ? present.get() : containers.client().inspectImageCmd(reference).exec().getId();
            containers.client().tagImageCmd(imageId, request.repository(), request.version()).withForce().exec();
            return imageId;
        }

        /** Ends a pull still running: the release stopped first. Nothing that serves changes. */
        void abandon() {
            if (pull != null) {
                pull.close();
            }
        }
    }

    /**
     * A release killed during its migrations leaves their container running: its migrations finish
     * before these start, so that two never run at once.
     */
    private void finishEarlierMigrations() throws ReleaseException, InterruptedException {
        for (InspectContainerResponse leftover : containers.labelled(Map.of(ServerContainers.PROJECT_LABEL, settings.project(),
                STEP_LABEL, "migrate"))) {
            if (ServerContainers.isRunning(leftover)) {
                log.info("Waiting for the migrations of an interrupted release (" + ServerContainers.name(leftover) + ") to finish");
                if (containers.waitForExit(leftover.getId(), settings.migrationTimeout()).isEmpty()) {
                    throw new ReleaseException("The migrations of an interrupted release (" + ServerContainers.name(leftover) + ") still run after "
                            + settings.migrationTimeout().toSeconds() + " s. Check them (docker logs), remove that container, then release again; "
                            + "nothing was changed.", true);
                }
            }
            containers.remove(leftover.getId());
        }
    }

    /**
     * The app container serving now, under the primary name. An interrupted release may have left a
     * candidate (healthy: it finishes the swap; not healthy: removed), or a container renamed out of
     * its slot (retired).
     */
    private InspectContainerResponse settleApp(ProxyRotation rotation, Progress progress) throws ReleaseException, InterruptedException {
        List<InspectContainerResponse> apps = containers.service(settings.project(), "app", false);
        if (apps.isEmpty()) {
            throw new ReleaseException("Project " + settings.project() + " has no app container on the server. Start the stack "
                    + "first, as DEPLOY.md says (\"First install\"), or check <release><project> (frankenphp.release.project).", true);
        }
        InspectContainerResponse primary = null;
        InspectContainerResponse candidate = null;
        for (InspectContainerResponse app : apps) {
            String name = ServerContainers.name(app);
            if (!ServerContainers.isRunning(app)) {
                log.info("Removing " + name + ", a stopped app container left by an earlier release");
                containers.remove(app.getId());
            } else if (name.equals(settings.primarySlot())) {
                primary = app;
            } else if (name.equals(settings.candidateSlot())) {
                candidate = app;
            } else if (name.contains(RETIRED)) {
                log.info("Finishing the retirement of " + name + ", left by an interrupted release");
                drainAndRemove(app, rotation, name.substring(0, name.indexOf(RETIRED)));
            } else {
                throw new ReleaseException("The app container " + name + " is not behind the proxy, which routes to "
                        + settings.candidateSlot() + " and " + settings.primarySlot() + ". Re-create the stack with the rendered "
                        + "docker-compose.prod.yml and Caddyfile (DEPLOY.md, \"First install\"); nothing was changed.", true);
            }
        }
        if (candidate != null && ServerContainers.health(candidate).equals("healthy")) {
            // An interrupted release got this far: it takes the traffic already. Finish its swap.
            log.info("Finishing the swap of an interrupted release: " + settings.candidateSlot() + " ("
                    + versionOf(candidate).orElse("unknown version") + ") serves");
            progress.trafficMoved = true;
            if (primary != null) {
                drainAndRemove(primary, rotation, settings.primarySlot());
            }
            containers.rename(candidate.getId(), settings.primarySlot());
            progress.trafficMoved = false;
            return containers.inspect(candidate.getId()).orElseThrow();
        }
        if (candidate != null) {
            log.info("Removing " + settings.candidateSlot() + ", a new app container an interrupted release left unhealthy");
            retire(candidate, rotation, settings.candidateSlot());
        }
        if (primary == null) {
            throw new ReleaseException("Project " + settings.project() + " has no running app container named " + settings.primarySlot()
                    + ". Start it (docker compose up -d, as DEPLOY.md says) before releasing; nothing was changed.", true);
        }
        return primary;
    }

    /** Step 2: the migrations, once, in a one-off container of the new image. Nothing else has changed yet. */
    private void migrate(ContainerTemplate template, String imageId, String version) throws ReleaseException, InterruptedException {
        String name = settings.project() + "-migrate-" + Long.toHexString(System.nanoTime());
        log.info("Running the migrations of " + version + ": php artisan migrate --force");
        DockerClient docker = containers.client();
        Map<String, List<String>> networks = template.networks();
        String network = networks.isEmpty() ? "bridge" : networks.keySet().iterator().next();
        String id = docker.createContainerCmd(imageId).withName(name)
                .withEnv(template.environment())
                .withCmd("php", "artisan", "migrate", "--force")
                .withHealthcheck(new HealthCheck().withTest(List.of("NONE")))
                // Found by the next release if this one is killed while they run.
                .withLabels(Map.of(STEP_LABEL, "migrate", ServerContainers.PROJECT_LABEL, settings.project()))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
                .exec().getId();
        networks.keySet().stream().filter(n -> !n.equals(network)).forEach(n ->
                docker.connectToNetworkCmd().withContainerId(id).withNetworkId(n).exec());
        docker.startContainerCmd(id).exec();
        Optional<Integer> exit = containers.waitForExit(id, settings.migrationTimeout());
        List<String> output = containers.lastLogLines(id, 200);
        output.forEach(line -> log.info("[migrate] " + line));
        if (exit.isEmpty()) {
            // Left running on purpose: stopping a migration half-way is worse. The next release waits for it.
            throw new ReleaseException("The migrations did not finish within " + settings.migrationTimeout().toSeconds()
                    + " s (<release><migrationTimeout>); their container " + name + " still runs. The old version keeps serving, "
                    + "nothing was swapped. The next release waits for them to end.", true);
        }
        containers.remove(id);
        if (exit.get() != 0) {
            throw new ReleaseException("The migrations of " + version + " failed (exit " + exit.get() + "); nothing was swapped, "
                    + "the old version keeps serving. Their output:\n" + tail(output), true);
        }
    }

    /** Step 3: the new app container under the candidate name, configured as the serving one, on the new image. */
    private InspectContainerResponse startCandidate(ContainerTemplate template, String imageId, String version, Optional<String> previous) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(VERSION_LABEL, version);
        previous.ifPresent(p -> labels.put(PREVIOUS_VERSION_LABEL, p));
        DockerClient docker = containers.client();
        String id = template.createLike(docker, imageId, settings.candidateSlot(), labels)
                .withStopTimeout((int) APP_STOP_GRACE.toSeconds()).exec().getId();
        template.connectOtherNetworks(docker, id);
        docker.startContainerCmd(id).exec();
        log.info("Started " + settings.candidateSlot() + " on " + version + "; waiting for its health check (at most "
                + settings.healthTimeout().toSeconds() + " s)");
        return containers.inspect(id).orElseThrow(() -> new IllegalStateException(settings.candidateSlot() + " vanished after its start"));
    }

    /** Step 4: healthy within the deadline, or removed and reported with its last log lines. */
    private void waitHealthy(InspectContainerResponse started, String version, ProxyRotation rotation)
            throws ReleaseException, InterruptedException {
        long deadline = System.nanoTime() + settings.healthTimeout().toNanos();
        String name = ServerContainers.name(started);
        String reason;
        while (true) {
            Optional<InspectContainerResponse> now = containers.inspect(started.getId());
            if (now.isEmpty()) {
                reason = "it was removed by someone else";
                break;
            }
            String health = ServerContainers.health(now.get());
            if (!ServerContainers.isRunning(now.get())) {
                reason = "it exited with code " + now.get().getState().getExitCodeLong();
                break;
            }
            if (health.equals("healthy")) {
                return;
            }
            if (health.equals("unhealthy")) {
                reason = "its health check reports unhealthy";
                break;
            }
            if (health.equals("none")) {
                reason = "it has no health check, so the release cannot know when it is ready (the rendered compose file gives app one)";
                break;
            }
            if (System.nanoTime() > deadline) {
                reason = "it was not healthy within " + settings.healthTimeout().toSeconds() + " s (<release><healthTimeout>)";
                break;
            }
            sleep(HEALTH_POLL);
        }
        List<String> lines = containers.lastLogLines(started.getId(), LOG_LINES);
        String lastCheck = containers.inspect(started.getId()).map(ComposeRelease::lastHealthCheck).orElse("");
        Optional<InspectContainerResponse> leftover = containers.inspect(started.getId());
        if (leftover.isPresent()) {
            retire(leftover.get(), rotation, settings.candidateSlot());
        }
        throw new ReleaseException("The new version " + version + " did not go live: " + reason
                + ". It was removed; the old version kept serving." + lastCheck + " Last lines of " + name + ":\n" + tail(lines), true);
    }

    /**
     * Takes a container out of the proxy's rotation by renaming it (its name stops resolving), then
     * drains, stops and removes it. For a candidate that failed: the primary takes the traffic back.
     */
    private void retire(InspectContainerResponse container, ProxyRotation rotation, String slot) throws InterruptedException {
        containers.rename(container.getId(), slot + RETIRED + container.getId().substring(0, 12));
        drainAndRemove(container, rotation, slot);
    }

    /**
     * Step 6: waits until the proxy has no request in flight to {@code slot} (at most the drain
     * timeout), then stops the container with its grace period and removes it.
     */
    private void drainAndRemove(InspectContainerResponse container, ProxyRotation rotation, String slot) throws InterruptedException {
        String upstream = slot + ":" + appPort;
        long drainStart = System.nanoTime();
        long deadline = drainStart + settings.drainTimeout().toNanos();
        OptionalInt inFlight = rotation.inFlight(upstream);
        while (inFlight.orElse(0) > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
            inFlight = rotation.inFlight(upstream);
        }
        if (inFlight.isEmpty()) {
            log.warn("Could not read the proxy's in-flight requests (its admin API, through wget in the proxy container); "
                    + "stopping " + ServerContainers.name(container) + " after the fixed wait");
        } else if (inFlight.getAsInt() > 0) {
            log.warn(inFlight.getAsInt() + " requests were still in flight to " + ServerContainers.name(container)
                    + " after <release><drainTimeout> (" + settings.drainTimeout().toSeconds() + " s)");
        }
        containers.stop(container.getId(), APP_STOP_GRACE);
        containers.remove(container.getId());
        log.info(String.format(Locale.ROOT, "Removed %s (drained and stopped in %.1f s)",
                ServerContainers.name(container), seconds(drainStart)));
    }

    /**
     * Step 5: queue and scheduler on the new image. A new worker starts before the old one gets
     * SIGTERM and its grace period, so no job waits and the running one finishes; the scheduler
     * stops first, so that exactly one runs.
     *
     * <p>Safe to run again after an interruption at any point: the old worker is renamed out of its
     * name (retired) before its successor is created, and removed only after, so one of the two is
     * always there to copy the configuration from. The next release keeps a successor that already
     * runs the new image next to a retired worker, replaces one that never started, and stops the
     * retired ones. A worker stopped with no release around it was stopped on purpose and stays so.
     */
    private void recreateWorkers(String imageId, String version) {
        recreateWorkers("queue", imageId, version, queueStopGrace, WorkerOrder.START_THEN_STOP);
        recreateWorkers("scheduler", imageId, version, SCHEDULER_STOP_GRACE, WorkerOrder.STOP_THEN_START);
    }

    /** How a worker's successor takes over: before its predecessor stops (queue), or after (scheduler: never two). */
    private enum WorkerOrder {
        START_THEN_STOP, STOP_THEN_START
    }

    private void recreateWorkers(String service, String imageId, String version, Duration grace, WorkerOrder order) {
        DockerClient docker = containers.client();
        Map<String, List<InspectContainerResponse>> byName = new LinkedHashMap<>();
        for (InspectContainerResponse container : containers.service(settings.project(), service, false)) {
            byName.computeIfAbsent(workerName(container), n -> new ArrayList<>()).add(container);
        }
        for (Map.Entry<String, List<InspectContainerResponse>> worker : byName.entrySet()) {
            String name = worker.getKey();
            List<InspectContainerResponse> members = worker.getValue();
            if (!shouldRun(members)) {
                continue;
            }
            boolean interrupted = members.stream().anyMatch(c -> ServerContainers.name(c).contains(RETIRED));
            Optional<InspectContainerResponse> kept = interrupted ? members.stream()
                    .filter(c -> ServerContainers.name(c).equals(name) && ServerContainers.isRunning(c) && c.getImageId().equals(imageId))
                    .findFirst() : Optional.empty();
            List<InspectContainerResponse> toRetire = members.stream().filter(c -> kept.isEmpty() || c != kept.get()).toList();
            String successor;
            if (kept.isPresent()) {
                successor = kept.get().getId();
            } else {
                // A running one carries the whole configuration; one that never started may lack a network.
                InspectContainerResponse model = toRetire.stream().filter(ServerContainers::isRunning)
                        .filter(c -> ServerContainers.name(c).equals(name)).findFirst()
                        .or(() -> toRetire.stream().filter(ServerContainers::isRunning).findFirst())
                        .orElse(toRetire.get(0));
                ContainerTemplate template = ContainerTemplate.of(docker, model, name);
                for (InspectContainerResponse container : toRetire) {
                    if (ServerContainers.name(container).equals(name)) {
                        containers.rename(container.getId(), name + RETIRED + container.getId().substring(0, 12));
                    }
                }
                CreateContainerCmd create = template.createLike(docker, imageId, name, Map.of(VERSION_LABEL, version));
                successor = (order == WorkerOrder.START_THEN_STOP ? create.withStopTimeout((int) grace.toSeconds()) : create).exec().getId();
                template.connectOtherNetworks(docker, successor);
            }
            if (order == WorkerOrder.STOP_THEN_START) {
                stopAndRemove(toRetire, grace);
            }
            if (kept.isEmpty()) {
                docker.startContainerCmd(successor).exec();
            }
            String what = kept.isEmpty() ? (order == WorkerOrder.START_THEN_STOP ? "Started " : "Restarted ") + name + " on " + version
                    : name + " runs " + version + " already (an interrupted release started it)";
            if (order == WorkerOrder.START_THEN_STOP && !toRetire.isEmpty()) {
                log.info(what + "; stopping the old worker (SIGTERM, up to " + grace.toSeconds() + " s to finish its job)");
                long stopStart = System.nanoTime();
                stopAndRemove(toRetire, grace);
                log.info(String.format(Locale.ROOT, "The old worker stopped after %.1f s", seconds(stopStart)));
            } else {
                log.info(what);
            }
        }
    }

    /** The worker's own name: a retired one's without its suffix. */
    private static String workerName(InspectContainerResponse container) {
        String name = ServerContainers.name(container);
        return name.contains(RETIRED) ? name.substring(0, name.indexOf(RETIRED)) : name;
    }

    /**
     * A worker runs on the new version when one of its containers runs, or when an interrupted release
     * created its successor and did not start it (the scheduler between its predecessor's stop and its start).
     */
    private static boolean shouldRun(List<InspectContainerResponse> members) {
        return members.stream().anyMatch(c -> ServerContainers.isRunning(c) || (neverStarted(c) && labels(c).containsKey(VERSION_LABEL)
                && !ServerContainers.name(c).contains(RETIRED)));
    }

    private void stopAndRemove(List<InspectContainerResponse> old, Duration grace) {
        for (InspectContainerResponse container : old) {
            containers.stop(container.getId(), grace);
            containers.remove(container.getId());
        }
    }

    /** Created, and never started. */
    private static boolean neverStarted(InspectContainerResponse container) {
        String startedAt = container.getState().getStartedAt();
        return !ServerContainers.isRunning(container) && (startedAt == null || startedAt.startsWith("0001-01-01"));
    }

    /** Step 7: exactly one app container, on the new image, healthy, under the primary name; the workers on it too. */
    private void verify(String imageId, String version) throws ReleaseException {
        List<String> problems = new ArrayList<>();
        List<InspectContainerResponse> apps = containers.service(settings.project(), "app", true);
        if (apps.size() != 1 || !ServerContainers.name(apps.get(0)).equals(settings.primarySlot())) {
            problems.add("app containers: " + apps.stream().map(ServerContainers::name).toList());
        }
        for (InspectContainerResponse app : apps) {
            if (!ServerContainers.health(app).equals("healthy")) {
                problems.add(ServerContainers.name(app) + " is " + ServerContainers.health(app));
            }
        }
        for (String service : List.of("app", "queue", "scheduler")) {
            for (InspectContainerResponse container : containers.service(settings.project(), service, true)) {
                if (!container.getImageId().equals(imageId)) {
                    problems.add(ServerContainers.name(container) + " runs " + container.getImageId());
                }
            }
        }
        if (containers.service(settings.project(), "scheduler", true).size() > 1) {
            problems.add("more than one scheduler runs");
        }
        if (!problems.isEmpty()) {
            throw new ReleaseException("After the swap, project " + settings.project() + " should run " + version + " in one app container, "
                    + settings.primarySlot() + ", and in its workers, but: " + String.join("; ", problems)
                    + ". Run mvn frankenphp:release to settle it.", false);
        }
    }

    private void checkUrl(String version) throws ReleaseException, InterruptedException {
        if (settings.url().isEmpty()) {
            return;
        }
        URI url = settings.url().get();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                int status = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    log.info(url + " answers 200");
                    return;
                }
                last = "HTTP " + status;
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            sleep(POLL);
        }
        throw new ReleaseException(version + " serves on the server, but " + url + " (<release><url>) did not answer 200 within 30 s: "
                + last + ". Check the public route to the server (DNS, TLS, the proxy in front of it).", true);
    }

    /** " Last health check (exit 22): curl: (22) The requested URL returned error: 500", or empty. */
    private static String lastHealthCheck(InspectContainerResponse container) {
        var health = container.getState().getHealth();
        if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
            return "";
        }
        var last = health.getLog().get(health.getLog().size() - 1);
        String output = last.getOutput() == null ? "" : last.getOutput().strip().replaceAll("\\s+", " ");
        return " Last health check (exit " + last.getExitCodeLong() + "): " + (output.length() > 300 ? output.substring(0, 300) + "…" : output) + ".";
    }

    private InspectContainerResponse single(String service, String fix) throws ReleaseException {
        List<InspectContainerResponse> running = containers.service(settings.project(), service, true);
        if (running.size() != 1) {
            throw new ReleaseException("Project " + settings.project() + " should run one " + service + " container on the server, but runs "
                    + running.size() + ". " + fix, true);
        }
        return running.get(0);
    }

    static Optional<String> versionOf(InspectContainerResponse container) {
        Map<String, String> labels = labels(container);
        return Optional.ofNullable(labels.get(VERSION_LABEL)).or(() -> Optional.ofNullable(labels.get(OCI_VERSION_LABEL)));
    }

    private static Map<String, String> labels(InspectContainerResponse container) {
        return container.getConfig().getLabels() == null ? Map.of() : container.getConfig().getLabels();
    }

    private static String tail(List<String> lines) {
        return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }

    /** How long each step took, for the log: where a slow release spends its time. */
    private static final class StepTimes {
        private final List<String> steps = new ArrayList<>();
        private final Progress progress;
        private long last = System.nanoTime();

        StepTimes(Progress progress) {
            this.progress = progress;
        }

        void done(String step) {
            progress.lastStep = step;
            long now = System.nanoTime();
            steps.add(String.format(java.util.Locale.ROOT, "%s %.1f s", step, (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return String.join(", ", steps);
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static ReleaseException infrastructure(String what, Exception e, String state) {
        return new ReleaseException(what + ": " + fr.miweb.maven.frankenphp.docker.DockerErrors.summary(e) + ". " + state + ".", false, e);
    }

    /** Another release holds the server's lock: nothing of this one happened, and {@code latest} is the other's. */
    static final class LockTakenException extends ReleaseException {
        private static final long serialVersionUID = 1L;

        LockTakenException(String message) {
            super(message, true);
        }
    }
}
