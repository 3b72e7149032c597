package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The release of one version to the compose stack on the server, through its Engine API:
 * pull, migrations once, the new app container next to the old one, the health gate, the move of
 * traffic and the drain of the old container, then queue and scheduler on the new image. Rollback
 * is the same swap to an older version, without migrations.
 *
 * <p>Nothing here is half-done on failure: until the new container is healthy, the old one keeps
 * its slot and all the traffic; a failed release removes what it started. An interrupted release
 * (Ctrl-C, a killed Maven, a dropped connection) leaves at most an extra app container, which the
 * next release retires before it starts.
 */
public final class ComposeRelease {

    /** The label the release puts on the containers it starts: the version they run, and the one before. */
    public static final String VERSION_LABEL = "fr.miweb.frankenphp.version";
    public static final String PREVIOUS_VERSION_LABEL = "fr.miweb.frankenphp.previous-version";
    private static final String OCI_VERSION_LABEL = "org.opencontainers.image.version";
    private static final List<String> SLOTS = List.of("blue", "green");
    private static final String RETIRED = "-retired-";
    private static final Duration APP_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration SCHEDULER_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofSeconds(1);
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
     * @param repository      {@code registry/name}
     * @param version         the version tag
     * @param digest          the manifest digest the push recorded; pulled by digest when present
     * @param expectedImageId the image id built, checked against what the server pulled
     * @param auth            the registry credentials for the pull
     * @param holder          who releases, shown to a concurrent release
     */
    public record Request(String repository, String version, Optional<String> digest, Optional<String> expectedImageId,
                          AuthConfig auth, String holder) {
    }

    /**
     * @param version         the version now serving
     * @param imageId         its image id
     * @param previousVersion the version that served before, if known
     * @param container       the app container now serving
     * @param took            how long the release took
     */
    public record Result(String version, String imageId, Optional<String> previousVersion, String container, Duration took) {
    }

    /**
     * Releases a new version: migrations first (when enabled), then the swap. If the new version
     * never gets healthy, {@code latest} in the registry goes back to the version that kept serving.
     */
    public Result release(Request request) throws ReleaseException {
        try {
            return swap(request, settings.migrate());
        } catch (NewVersionUnhealthyException e) {
            if (e.serving.isEmpty()) {
                throw e;
            }
            String serving = e.serving.get();
            try {
                latest.pointAt(serving);
                throw new NewVersionUnhealthyException(e.getMessage() + "\nlatest in the registry points to " + serving
                        + " again, the version that kept serving.", e.serving);
            } catch (ReleaseException moveFailed) {
                if (moveFailed instanceof NewVersionUnhealthyException) {
                    throw moveFailed;
                }
                throw new NewVersionUnhealthyException(e.getMessage() + "\nlatest in the registry still names " + request.version()
                        + ": " + moveFailed.getMessage() + " Move it back with mvn frankenphp:rollback -Dfrankenphp.rollback.version="
                        + serving + ".", e.serving);
            }
        }
    }

    /**
     * Goes back to an older version: the same swap, without migrations.
     *
     * @param request the version to go back to; an empty version means the one that served before the current one
     */
    public Result rollback(Request request) throws ReleaseException {
        Result result = swap(request, false);
        String digest = latest.pointAt(request.version());
        log.info("latest in the registry now names " + request.version() + " (" + digest + ")");
        return result;
    }

    /** The version that served before the current app container, as the release that started it recorded. */
    public Optional<String> previousVersion() throws ReleaseException {
        return currentApp().flatMap(c -> Optional.ofNullable(labels(c).get(PREVIOUS_VERSION_LABEL)));
    }

    /** The version the current app container runs. */
    public Optional<String> currentVersion() throws ReleaseException {
        return currentApp().flatMap(ComposeRelease::versionOf);
    }

    private Optional<InspectContainerResponse> currentApp() throws ReleaseException {
        try {
            return containers.service(settings.project(), "app", true).stream()
                    .filter(c -> SLOTS.stream().anyMatch(slot -> ServerContainers.name(c).equals(settings.appSlot(slot))))
                    .reduce((older, newer) -> newer);
        } catch (DockerException e) {
            throw infrastructure("Could not list the app containers of project " + settings.project(), e);
        }
    }

    private Result swap(Request request, boolean migrate) throws ReleaseException {
        long start = System.nanoTime();
        StepTimes steps = new StepTimes();
        String project = settings.project();
        try {
            String imageId = pull(request);
            steps.done("pull");
            try (ReleaseLock lock = ReleaseLock.acquire(containers, project, imageId, request.holder())) {
                InspectContainerResponse proxy = single("proxy", "Re-create the stack with the rendered docker-compose.prod.yml and "
                        + "Caddyfile (DEPLOY.md, \"First install\"); nothing was changed.");
                ProxyRotation rotation = new ProxyRotation(containers, proxy.getId());
                InspectContainerResponse current = settleApp(rotation);
                Optional<String> previous = versionOf(current);
                log.info("Serving now: " + ServerContainers.name(current) + " (" + previous.orElse("unknown version") + ")");
                ContainerTemplate template = ContainerTemplate.of(containers.client(), current);
                steps.done("lock and inspect");
                if (migrate) {
                    migrate(template, imageId, request.version());
                    steps.done("migrations");
                }
                String slot = freeSlot(current);
                InspectContainerResponse started = startApp(template, imageId, slot, request.version(), previous);
                steps.done("start");
                long healthStart = System.nanoTime();
                waitHealthy(started, request.version(), rotation, previous);
                log.info(String.format(java.util.Locale.ROOT, "Healthy after %.1f s: %s (%s) is in the proxy's rotation",
                        seconds(healthStart), slot, request.version()));
                steps.done("health");
                // Caddy checks each slot every second: let it see the new container before the old one leaves.
                sleep(ProxyRotation.HEALTH_INTERVAL.multipliedBy(2));
                steps.done("handover");
                retire(current, rotation);
                steps.done("drain");
                recreateWorkers(imageId, request.version());
                steps.done("workers");
                containers.client().tagImageCmd(imageId, request.repository(), "latest").withForce().exec();
                verify(imageId, request.version(), slot);
                checkUrl(request.version());
                steps.done("checks");
                log.info("Steps: " + steps);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                return new Result(request.version(), imageId, previous, slot, took);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted. The old version keeps serving unless the new one was already "
                    + "in the rotation; run the release again to finish it.", false, e);
        } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
            throw infrastructure("The server's Docker engine refused a step of the release", e);
        }
    }

    /** Step 1: the pushed image, by digest, on the server; tagged with its version there. */
    private String pull(Request request) throws ReleaseException, InterruptedException {
        String reference = request.digest().map(d -> request.repository() + "@" + d).orElse(request.repository() + ":" + request.version());
        log.info("Pulling " + reference + " on the server");
        PullErrors errors = new PullErrors();
        DockerClient docker = containers.client();
        try {
            docker.pullImageCmd(request.repository()).withTag(request.digest().orElse(request.version()))
                    .withAuthConfig(request.auth()).exec(errors).awaitCompletion(30, TimeUnit.MINUTES);
        } catch (NotFoundException e) {
            errors.error = e.getMessage();
        }
        if (errors.error != null) {
            throw new ReleaseException("The server could not pull " + reference + ": " + errors.error
                    + (errors.error.contains("manifest unknown") || errors.error.contains("not found")
                    ? ". Is the version pushed? (mvn frankenphp:push, or check -Dfrankenphp.rollback.version)" : ""), true);
        }
        InspectImageResponse image = docker.inspectImageCmd(reference).exec();
        if (request.expectedImageId().isPresent() && !request.expectedImageId().get().equals(image.getId())) {
            throw new ReleaseException("The server pulled " + reference + " as image " + image.getId() + ", but the build produced "
                    + request.expectedImageId().get() + ". Someone pushed over this version; build and push again.", true);
        }
        docker.tagImageCmd(image.getId(), request.repository(), request.version()).withForce().exec();
        return image.getId();
    }

    /**
     * The app container serving now. An interrupted release may have left a second one in the
     * other slot, or one renamed out of its slot: those are retired first, so exactly one serves.
     */
    private InspectContainerResponse settleApp(ProxyRotation rotation) throws ReleaseException, InterruptedException {
        List<InspectContainerResponse> apps = containers.service(settings.project(), "app", false);
        if (apps.isEmpty()) {
            throw new ReleaseException("Project " + settings.project() + " has no app container on the server. Start the stack "
                    + "first, as DEPLOY.md says (\"First install\"), or check <release><project> (frankenphp.release.project).", true);
        }
        List<InspectContainerResponse> serving = new ArrayList<>();
        for (InspectContainerResponse app : apps) {
            String name = ServerContainers.name(app);
            boolean inSlot = SLOTS.stream().anyMatch(c -> name.equals(settings.appSlot(c)));
            if (!ServerContainers.isRunning(app)) {
                log.info("Removing " + name + ", a stopped app container left by an earlier release");
                containers.remove(app.getId());
            } else if (inSlot) {
                serving.add(app);
            } else if (name.contains(RETIRED)) {
                log.info("Finishing the retirement of " + name + ", left by an interrupted release");
                drainAndRemove(app, rotation, slotOfRetired(name));
            } else {
                throw new ReleaseException("The app container " + name + " is not behind the proxy: the proxy routes to "
                        + settings.appSlot("blue") + " and " + settings.appSlot("green") + ". Re-create the stack with the rendered "
                        + "docker-compose.prod.yml and Caddyfile (DEPLOY.md, \"First install\"); nothing was changed.", true);
            }
        }
        if (serving.isEmpty()) {
            throw new ReleaseException("Project " + settings.project() + " has no running app container on the server. Start it "
                    + "(docker compose up -d, as DEPLOY.md says) before releasing; nothing was changed.", true);
        }
        // Two serve when a release was interrupted after the new container became healthy: keep the healthy
        // one that is newest, as the interrupted release meant to.
        InspectContainerResponse keep = serving.stream().filter(c -> ServerContainers.health(c).equals("healthy"))
                .reduce((older, newer) -> newer).orElse(serving.get(serving.size() - 1));
        for (InspectContainerResponse other : serving) {
            if (other != keep) {
                log.info("Retiring " + ServerContainers.name(other) + ", a second app container left by an interrupted release");
                retire(other, rotation);
            }
        }
        return containers.inspect(keep.getId()).orElse(keep);
    }

    /** Step 2: the migrations, once, in a one-off container of the new image. Nothing else has changed yet. */
    private void migrate(ContainerTemplate template, String imageId, String version) throws ReleaseException {
        String name = settings.project() + "-migrate-" + Long.toHexString(System.nanoTime());
        log.info("Running the migrations of " + version + ": php artisan migrate --force");
        DockerClient docker = containers.client();
        Map<String, List<String>> networks = template.networks();
        String network = networks.isEmpty() ? "bridge" : networks.keySet().iterator().next();
        String id = docker.createContainerCmd(imageId).withName(name)
                .withEnv(template.environment())
                .withCmd("php", "artisan", "migrate", "--force")
                .withHealthcheck(new HealthCheck().withTest(List.of("NONE")))
                .withLabels(Map.of("fr.miweb.frankenphp.release-step", "migrate"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
                .exec().getId();
        try {
            networks.keySet().stream().filter(n -> !n.equals(network)).forEach(n ->
                    docker.connectToNetworkCmd().withContainerId(id).withNetworkId(n).exec());
            docker.startContainerCmd(id).exec();
            Optional<Integer> exit = containers.waitForExit(id, settings.migrationTimeout());
            List<String> output = containers.lastLogLines(id, 200);
            output.forEach(line -> log.info("[migrate] " + line));
            if (exit.isEmpty()) {
                throw new ReleaseException("The migrations did not finish within " + settings.migrationTimeout().toSeconds()
                        + " s (<release><migrationTimeout>). They were stopped; the old version keeps serving, nothing was swapped. "
                        + "Check the database for a half-applied migration.", true);
            }
            if (exit.get() != 0) {
                throw new ReleaseException("The migrations of " + version + " failed (exit " + exit.get() + "); nothing was swapped, "
                        + "the old version keeps serving. Their output:\n" + tail(output), true);
            }
        } finally {
            containers.remove(id);
        }
    }

    /** Step 3: the new app container in the free slot, configured as the serving one, on the new image. */
    private InspectContainerResponse startApp(ContainerTemplate template, String imageId, String slot, String version,
                                              Optional<String> previous) {
        // A container left in the free slot by a failed release is not serving: the old one holds the rotation.
        containers.inspect(slot).ifPresent(leftover -> containers.remove(leftover.getId()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(VERSION_LABEL, version);
        previous.ifPresent(p -> labels.put(PREVIOUS_VERSION_LABEL, p));
        labels.put("com.docker.compose.container-number", String.valueOf(SLOTS.indexOf(slot.substring(slot.lastIndexOf('-') + 1)) + 1));
        DockerClient docker = containers.client();
        String id = template.createLike(docker, imageId, slot, labels).withStopTimeout((int) APP_STOP_GRACE.toSeconds()).exec().getId();
        template.connectOtherNetworks(docker, id);
        docker.startContainerCmd(id).exec();
        log.info("Started " + slot + " on " + version + "; waiting for its health check (at most "
                + settings.healthTimeout().toSeconds() + " s)");
        return containers.inspect(id).orElseThrow();
    }

    /** Step 4: healthy within the deadline, or removed and reported with its last log lines. */
    private void waitHealthy(InspectContainerResponse started, String version, ProxyRotation rotation, Optional<String> serving)
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
            sleep(POLL);
        }
        List<String> lines = containers.lastLogLines(started.getId(), LOG_LINES);
        String lastCheck = containers.inspect(started.getId()).map(ComposeRelease::lastHealthCheck).orElse("");
        containers.inspect(started.getId()).ifPresent(c -> {
            try {
                retire(c, rotation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        throw new NewVersionUnhealthyException("The new version " + version + " did not go live: " + reason
                + ". It was removed; the old version kept serving." + lastCheck + " Last lines of " + name + ":\n" + tail(lines), serving);
    }

    /**
     * Step 5: the container leaves its slot (renamed, so Caddy's next health check drops it), keeps
     * its in-flight requests until they end or the drain timeout, then stops with its grace period.
     */
    private void retire(InspectContainerResponse container, ProxyRotation rotation) throws InterruptedException {
        String name = ServerContainers.name(container);
        String retired = name + RETIRED + container.getId().substring(0, 12);
        containers.rename(container.getId(), retired);
        drainAndRemove(containers.inspect(container.getId()).orElse(container), rotation, name);
    }

    private void drainAndRemove(InspectContainerResponse container, ProxyRotation rotation, String slot) throws InterruptedException {
        String upstream = slot + ":" + appPort;
        long drainStart = System.nanoTime();
        sleep(ProxyRotation.HEALTH_INTERVAL.multipliedBy(2));
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        OptionalInt inFlight = rotation.inFlight(upstream);
        while (inFlight.orElse(0) > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
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
        log.info(String.format(java.util.Locale.ROOT, "Removed %s (out of the rotation, drained and stopped in %.1f s)",
                ServerContainers.name(container), seconds(drainStart)));
    }

    /**
     * Step 6: queue and scheduler on the new image. A new worker starts before the old one gets
     * SIGTERM and its grace period, so no job waits and the running one finishes; the scheduler
     * stops first, so that exactly one runs.
     */
    private void recreateWorkers(String imageId, String version) {
        DockerClient docker = containers.client();
        for (InspectContainerResponse queue : containers.service(settings.project(), "queue", true)) {
            String name = ServerContainers.name(queue);
            ContainerTemplate template = ContainerTemplate.of(docker, queue);
            containers.rename(queue.getId(), name + RETIRED + queue.getId().substring(0, 12));
            String id = template.createLike(docker, imageId, name, Map.of(VERSION_LABEL, version))
                    .withStopTimeout((int) queueStopGrace.toSeconds()).exec().getId();
            template.connectOtherNetworks(docker, id);
            docker.startContainerCmd(id).exec();
            log.info("Started " + name + " on " + version + "; stopping the old worker (SIGTERM, up to "
                    + queueStopGrace.toSeconds() + " s to finish its job)");
            long stopStart = System.nanoTime();
            containers.stop(queue.getId(), queueStopGrace);
            containers.remove(queue.getId());
            log.info(String.format(java.util.Locale.ROOT, "The old worker stopped after %.1f s", seconds(stopStart)));
        }
        for (InspectContainerResponse scheduler : containers.service(settings.project(), "scheduler", true)) {
            String name = ServerContainers.name(scheduler);
            ContainerTemplate template = ContainerTemplate.of(docker, scheduler);
            containers.stop(scheduler.getId(), SCHEDULER_STOP_GRACE);
            containers.remove(scheduler.getId());
            String id = template.createLike(docker, imageId, name, Map.of(VERSION_LABEL, version)).exec().getId();
            template.connectOtherNetworks(docker, id);
            docker.startContainerCmd(id).exec();
            log.info("Restarted " + name + " on " + version);
        }
    }

    /** Step 7: exactly one app container, on the new image, healthy. */
    private void verify(String imageId, String version, String slot) throws ReleaseException {
        List<InspectContainerResponse> running = containers.service(settings.project(), "app", true);
        List<String> problems = new ArrayList<>();
        for (InspectContainerResponse app : running) {
            if (!app.getImageId().equals(imageId)) {
                problems.add(ServerContainers.name(app) + " runs " + app.getImageId());
            } else if (!ServerContainers.health(app).equals("healthy")) {
                problems.add(ServerContainers.name(app) + " is " + ServerContainers.health(app));
            }
        }
        if (running.size() != 1 || !problems.isEmpty()) {
            throw new ReleaseException("After the swap, project " + settings.project() + " should run exactly one app container, "
                    + slot + " on " + version + ", but it runs " + running.size() + (problems.isEmpty() ? "" : ": " + String.join("; ", problems))
                    + ". Run the release again to settle it.", false);
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

    private String freeSlot(InspectContainerResponse current) {
        String name = ServerContainers.name(current);
        return name.equals(settings.appSlot("blue")) ? settings.appSlot("green") : settings.appSlot("blue");
    }

    private String slotOfRetired(String retiredName) {
        return retiredName.substring(0, retiredName.indexOf(RETIRED));
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
        private long last = System.nanoTime();

        void done(String step) {
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

    private static ReleaseException infrastructure(String what, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new ReleaseException(what + ": " + message, false, e);
    }

    /** The new version never became healthy: nothing moved, and the caller puts {@code latest} back. */
    public static final class NewVersionUnhealthyException extends ReleaseException {
        private static final long serialVersionUID = 1L;
        /** The version that kept serving, when known. */
        private final transient Optional<String> serving;

        NewVersionUnhealthyException(String message, Optional<String> serving) {
            super(message, true);
            this.serving = serving;
        }
    }

    private static final class PullErrors extends ResultCallback.Adapter<PullResponseItem> {
        private volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
        }
    }
}
