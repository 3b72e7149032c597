package fr.miweb.maven.frankenphp.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.miweb.maven.frankenphp.config.DockerReferences;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerErrors;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The release of one version to a Docker Swarm stack, through a manager's Engine API. Swarm does the work: the
 * plugin runs the migrations once as a {@code replicated-job} service on the new image, then updates the
 * {@code app} service to the image by digest (Swarm starts each new task, waits for its health check, then stops
 * an old one: {@code order: start-first} in docker-stack.yml), waits until Swarm reports the update completed,
 * then updates {@code queue} and {@code scheduler} the same way. When Swarm rolls an update back by itself
 * ({@code failure_action: rollback}), the release fails with the failing tasks' errors.
 *
 * <p>One release at a time: a lock container on the manager's engine, held for as long as the release's
 * connection lasts ({@link ReleaseLock}). A second release through the same manager fails at once, and
 * changes nothing.
 *
 * <p>docker-java 3.7 models no {@code ReplicatedJob} mode and sends no registry credentials with a service
 * update, so those calls go to the Engine API directly, over the same connection ({@link EngineApi}).
 * Nothing here creates the stack: its first install is {@code docker stack deploy} (DEPLOY.md).
 */
public final class SwarmRelease {

    static final String STACK_LABEL = "com.docker.stack.namespace";
    private static final String STEP_LABEL = "fr.miweb.frankenphp.release-step";
    private static final List<String> RELEASED = List.of("app", "queue", "scheduler");
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int LOG_LINES = 30;
    private static final Set<String> FINAL_TASK_STATES = Set.of("complete", "failed", "rejected", "shutdown", "orphaned", "remove");

    private final EngineApi api;
    private final DockerConnection connection;
    private final ServerContainers containers;
    private final ReleaseSettings settings;
    private final ComposeRelease.Log log;
    private final RegistryLatestTag latest;
    private final String engine;

    /**
     * @param engine how the log names the engine ({@link ProductionEngine#describe()})
     */
    public SwarmRelease(DockerConnection connection, String engine, ReleaseSettings settings, ComposeRelease.Log log, RegistryLatestTag latest) {
        this.api = new EngineApi(connection);
        this.connection = connection;
        this.containers = new ServerContainers(connection.client());
        this.engine = engine;
        this.settings = settings;
        this.log = log;
        this.latest = latest;
    }

    /**
     * @param version         the version now serving
     * @param previousVersion the version that served before, if known
     * @param node            the manager that took the release
     * @param replicas        the app tasks now serving
     * @param took            from the first call to every task on the new version
     */
    public record Result(String version, Optional<String> previousVersion, String node, int replicas, Duration took) {
    }

    /**
     * Migrations (when enabled), then app, then queue and scheduler. If the app never took the new version,
     * {@code latest} in the registry goes back to the version that kept serving.
     */
    public Result release(ComposeRelease.Request request) throws ReleaseException {
        long start = System.nanoTime();
        try {
            String node = manager();
            String image = reference(request);
            RegistryLatestTag.Move latestMove = latest.prepare(request.version());
            try (ReleaseLock lock = lock(stackServices().get("app"), image, request)) {
                // Read under the lock: a release that ended meanwhile changed what serves.
                Map<String, JsonNode> services = stackServices();
                Optional<String> serving = label(services.get("app"), ComposeRelease.VERSION_LABEL);
                log.info("Swarm manager " + node + ": stack " + settings.project() + " serves " + serving.orElse("an unknown version")
                        + "; releasing " + image);
                java.util.concurrent.atomic.AtomicBoolean appMoved = new java.util.concurrent.atomic.AtomicBoolean();
                try {
                    if (settings.migrate()) {
                        migrate(services.get("app"), image, request);
                    }
                    Optional<String> previous = serving.isPresent() && serving.get().equals(request.version())
                            ? label(services.get("app"), ComposeRelease.PREVIOUS_VERSION_LABEL) : serving;
                    int replicas = updateAll(services, image, request, previous, appMoved);
                    latestMove.finish(false, "on the Swarm", log);
                    return new Result(request.version(), previous, node, replicas, Duration.ofNanos(System.nanoTime() - start));
                } catch (ReleaseException e) {
                    throw withLatestRestored(e, appMoved.get(), serving, request.version());
                } catch (EngineApi.Failure | UncheckedIOException | com.github.dockerjava.api.exception.DockerException e) {
                    // An engine failure before the app moved: latest must not name a version that never served either.
                    throw withLatestRestored(infrastructure(e), appMoved.get(), serving, request.version());
                }
            }
        } catch (EngineApi.Failure | UncheckedIOException | com.github.dockerjava.api.exception.DockerException e) {
            throw infrastructure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted. Swarm finishes (or rolls back) an update it has started by "
                    + "itself; docker service ps " + settings.swarmService("app") + " shows where it is.", false, e);
        }
    }

    /** A release that failed before the app moved: {@code latest} goes back to the version that still serves. */
    private ReleaseException withLatestRestored(ReleaseException failure, boolean appMoved, Optional<String> serving, String version) {
        if (appMoved || serving.isEmpty() || serving.get().equals(version)) {
            return failure;
        }
        return new ReleaseException(failure.getMessage() + latest.moveBack(serving.get(), version), failure.userFixable(), failure);
    }

    /** Updates app, queue and scheduler to an older version (no migrations), then moves {@code latest} to it, under the lock. */
    public Result rollback(ComposeRelease.Request request) throws ReleaseException {
        long start = System.nanoTime();
        try {
            String node = manager();
            String image = reference(request);
            RegistryLatestTag.Move latestMove = latest.prepare(request.version());
            int replicas;
            Optional<String> servedBefore;
            try (ReleaseLock lock = lock(stackServices().get("app"), image, request)) {
                // Read under the lock: a release that ended meanwhile changed what serves.
                Map<String, JsonNode> services = stackServices();
                Optional<String> serving = label(services.get("app"), ComposeRelease.VERSION_LABEL);
                log.info("Swarm manager " + node + ": stack " + settings.project() + " serves " + serving.orElse("an unknown version")
                        + "; rolling back to " + image);
                servedBefore = serving;
                replicas = updateAll(services, image, request, serving.filter(v -> !v.equals(request.version())),
                        new java.util.concurrent.atomic.AtomicBoolean());
                latestMove.finish(true, "on the Swarm", log);
            }
            return new Result(request.version(), servedBefore, node, replicas, Duration.ofNanos(System.nanoTime() - start));
        } catch (EngineApi.Failure | UncheckedIOException | com.github.dockerjava.api.exception.DockerException e) {
            throw infrastructure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The rollback was interrupted; Swarm finishes the update it has started by itself.", false, e);
        }
    }

    /** The version that served before the current one, as the release that put it live recorded it on the app service. */
    public Optional<String> previousVersion() throws ReleaseException {
        try {
            manager();
            // A label anyone with access to the manager can set: only a valid tag is used.
            return label(stackServices().get("app"), ComposeRelease.PREVIOUS_VERSION_LABEL).filter(DockerReferences::isTag);
        } catch (EngineApi.Failure | UncheckedIOException | com.github.dockerjava.api.exception.DockerException e) {
            throw infrastructure(e);
        }
    }

    // ------------------------------------------------------------------ checks (before any change)

    /** The engine must be an active Swarm manager: its node's name, for the log. */
    private String manager() throws ReleaseException {
        JsonNode info = api.get("/info");
        JsonNode swarm = info.path("Swarm");
        String state = swarm.path("LocalNodeState").asText("inactive");
        if (!state.equals("active")) {
            throw new ReleaseException("The engine at " + engine + " is not part of a Swarm (its Swarm state is \"" + state
                    + "\"). <release><target>swarm</target> releases through a Swarm manager: point <release><dockerHost> at one, "
                    + "or create the Swarm first (docs/swarm.md). Nothing was changed.", true);
        }
        String name = info.path("Name").asText("?");
        if (!swarm.path("ControlAvailable").asBoolean(false)) {
            throw new ReleaseException("The engine at " + engine + " (node " + name + ") is a Swarm worker, not a manager: only "
                    + "managers can update services. Point <release><dockerHost> at a manager (docker node ls, run on a manager, "
                    + "lists them with MANAGER STATUS). Nothing was changed.", true);
        }
        return name + " (" + swarm.path("NodeID").asText("?") + ")";
    }

    /** app, queue and scheduler of the stack, by service; every one of them must exist. */
    private Map<String, JsonNode> stackServices() throws ReleaseException {
        JsonNode list = api.get("/services?" + EngineApi.filters("label", STACK_LABEL + "=" + settings.project()));
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode service : list) {
            byName.put(service.path("Spec").path("Name").asText(), service);
        }
        if (byName.isEmpty()) {
            throw new ReleaseException("This Swarm has no stack " + settings.project() + " (<release><project>): no service is labelled "
                    + STACK_LABEL + "=" + settings.project() + ". Install it first, on a manager: docker stack deploy "
                    + "--with-registry-auth -c docker-stack.yml " + settings.project() + " (DEPLOY.md, \"Docker Swarm\"). Nothing was changed.", true);
        }
        Map<String, JsonNode> services = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String service : RELEASED) {
            JsonNode found = byName.get(settings.swarmService(service));
            if (found == null) {
                missing.add(settings.swarmService(service));
            } else {
                services.put(service, found);
            }
        }
        if (!missing.isEmpty()) {
            throw new ReleaseException("Stack " + settings.project() + " has no service " + String.join(", ", missing) + " (it has "
                    + String.join(", ", byName.keySet()) + "). Deploy the rendered docker-stack.yml again: docker stack deploy "
                    + "--with-registry-auth -c docker-stack.yml " + settings.project() + ". Nothing was changed.", true);
        }
        return services;
    }

    /**
     * {@code repository:version@digest}, as {@code docker service update --image} pins it. Without a recorded
     * digest (a rollback), the manager asks the registry, with the release's credentials.
     */
    private String reference(ComposeRelease.Request request) throws ReleaseException {
        String tagged = request.repository() + ":" + request.version();
        if (request.digest().isPresent()) {
            return tagged + "@" + request.digest().get();
        }
        try {
            JsonNode distribution = api.get("/distribution/" + tagged + "/json", EngineApi.registryAuth(request.auth()));
            return tagged + "@" + distribution.path("Descriptor").path("digest").asText();
        } catch (EngineApi.Failure e) {
            throw new ReleaseException("The Swarm manager cannot find " + tagged + " in the registry: " + e.getMessage()
                    + ". Is the version pushed? (check -Dfrankenphp.rollback.version) Nothing was changed.", true, e);
        }
    }

    // ------------------------------------------------------------------ the lock

    /**
     * One release at a time through this manager: the same lock container as a compose release
     * ({@link ReleaseLock}), on the manager's engine, for as long as this release's connection lasts. It runs
     * {@code cat} from an image the manager has: the new version's, or the one serving, or else the new
     * version pulled on the manager with the release's credentials.
     */
    private ReleaseLock lock(JsonNode app, String image, ComposeRelease.Request request) throws ReleaseException, InterruptedException {
        String serving = app.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
        Optional<String> lockImage = containers.imageId(image).or(() -> serving.isEmpty() ? Optional.empty() : containers.imageId(serving));
        if (lockImage.isEmpty()) {
            String digest = image.substring(image.indexOf('@') + 1);
            log.info("Pulling " + image + " on the manager, for the release lock");
            try (ServerContainers.Pull pull = containers.pull(request.repository(), digest, request.auth())) {
                Optional<ReleaseException> failure = pull.await(Duration.ofMinutes(30));
                if (failure.isPresent()) {
                    throw new ReleaseException("The Swarm manager could not pull " + image + ": " + failure.get().getMessage()
                            + " Nothing was changed.", failure.get().userFixable());
                }
            }
            lockImage = containers.imageId(request.repository() + "@" + digest);
            if (lockImage.isEmpty()) {
                throw new ReleaseException("The Swarm manager could not pull " + image + " (the registry refused it, or it is not "
                        + "pushed). Is the version pushed, and can the manager reach the registry? Nothing was changed.", true);
            }
        }
        return ReleaseLock.acquire(containers, settings.project(), lockImage.get(), request.holder());
    }

    // ------------------------------------------------------------------ migrations

    /**
     * A {@code replicated-job} service on the new image, with the app's environment and networks, that runs
     * {@code php artisan migrate --force} once (no restart). Its name is the stack's {@code _migrate}: a second
     * release cannot start its own meanwhile.
     */
    private void migrate(JsonNode app, String image, ComposeRelease.Request request) throws ReleaseException, InterruptedException {
        String name = settings.swarmService("migrate");
        for (JsonNode leftover : api.get("/services?" + EngineApi.filters("name", name))) {
            if (name.equals(leftover.path("Spec").path("Name").asText())) {
                String id = leftover.path("ID").asText();
                Optional<JsonNode> last = lastTask(id);
                // No task yet: a job another release has just created, not a leftover.
                boolean running = last.isEmpty() || !FINAL_TASK_STATES.contains(last.get().path("Status").path("State").asText());
                if (running) {
                    log.info("Waiting for the migrations of an earlier release (" + name + ") to finish");
                    waitForJob(id, name);
                }
                api.delete("/services/" + id);
            }
        }
        ObjectNode spec = EngineApi.json().createObjectNode();
        spec.put("Name", name);
        ObjectNode labels = spec.putObject("Labels");
        labels.put(STACK_LABEL, settings.project());
        labels.put(STEP_LABEL, "migrate");
        labels.put(ComposeRelease.VERSION_LABEL, request.version());
        ObjectNode task = app.path("Spec").path("TaskTemplate").deepCopy();
        ObjectNode container = (ObjectNode) task.path("ContainerSpec");
        container.put("Image", image);
        container.remove("Command");
        ArrayNode args = container.putArray("Args");
        List.of("php", "artisan", "migrate", "--force").forEach(args::add);
        container.putObject("Healthcheck").putArray("Test").add("NONE");
        task.putObject("RestartPolicy").put("Condition", "none");
        task.remove("ForceUpdate");
        spec.set("TaskTemplate", task);
        spec.putObject("Mode").putObject("ReplicatedJob").put("MaxConcurrent", 1).put("TotalCompletions", 1);
        spec.putObject("EndpointSpec").put("Mode", "dnsrr");
        long start = System.nanoTime();
        log.info("Running the migrations of " + request.version() + " once, as the Swarm job " + name + " (at most "
                + settings.migrationTimeout().toSeconds() + " s)");
        String id;
        try {
            id = api.post("/services/create", spec, EngineApi.registryAuth(request.auth())).path("ID").asText();
        } catch (EngineApi.Failure e) {
            if (e.status() == 409) {
                throw new ReleaseException("Another release runs its migrations on this Swarm (the job " + name + " exists). "
                        + "Wait for it to finish, then release again. Nothing was changed.", true, e);
            }
            throw e;
        }
        JsonNode last;
        boolean finished = false;
        try {
            last = waitForJob(id, name);
            finished = true;
            String state = last.path("Status").path("State").asText();
            if (!state.equals("complete")) {
                List<String> output = serviceLogs(id);
                throw new ReleaseException("The migrations of " + request.version() + " failed (job " + name + ", task " + state
                        + taskError(last) + "); no service was updated, the old version keeps serving. Their output:\n"
                        + tail(output), true);
            }
            log.info(String.format(Locale.ROOT, "Migrations done in %.1f s", seconds(start)));
        } finally {
            // A job still running (deadline passed, release interrupted) is left to finish: removing its service would
            // stop migrate --force halfway. The next release waits for it, then removes it.
            if (finished) {
                try {
                    api.delete("/services/" + id);
                } catch (EngineApi.Failure | UncheckedIOException e) {
                    log.warn("Could not remove the job " + name + ": " + e.getMessage());
                }
            }
        }
    }

    private JsonNode waitForJob(String id, String name) throws ReleaseException, InterruptedException {
        long deadline = System.nanoTime() + settings.migrationTimeout().toNanos();
        while (true) {
            Optional<JsonNode> task = lastTask(id);
            if (task.isPresent() && FINAL_TASK_STATES.contains(task.get().path("Status").path("State").asText())) {
                return task.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ReleaseException("The migrations (job " + name + ") still run after " + settings.migrationTimeout().toSeconds()
                        + " s (<release><migrationTimeout>); no service was updated. They keep running: docker service logs " + name
                        + ".", true);
            }
            sleep(POLL);
        }
    }

    private Optional<JsonNode> lastTask(String serviceId) {
        JsonNode newest = null;
        for (JsonNode task : api.get("/tasks?" + EngineApi.filters("service", serviceId))) {
            if (newest == null || task.path("CreatedAt").asText().compareTo(newest.path("CreatedAt").asText()) > 0) {
                newest = task;
            }
        }
        return Optional.ofNullable(newest);
    }

    // ------------------------------------------------------------------ updates

    /** app first, health-gated by Swarm; queue and scheduler once app runs the new version. Returns the app tasks running. */
    private int updateAll(Map<String, JsonNode> services, String image, ComposeRelease.Request request, Optional<String> previous,
                          java.util.concurrent.atomic.AtomicBoolean appMoved) throws ReleaseException, InterruptedException {
        update("app", services.get("app"), image, request, previous);
        appMoved.set(true);
        Map<String, JsonNode> workers = new LinkedHashMap<>();
        for (String worker : List.of("queue", "scheduler")) {
            workers.put(worker, startUpdate(worker, services.get(worker), image, request, previous));
        }
        for (Map.Entry<String, JsonNode> worker : workers.entrySet()) {
            if (worker.getValue() != null) {
                waitForUpdate(worker.getKey(), worker.getValue(), image, request.version());
            }
        }
        return verify(image, request.version());
    }

    private void update(String service, JsonNode current, String image, ComposeRelease.Request request, Optional<String> previous)
            throws ReleaseException, InterruptedException {
        JsonNode before = startUpdate(service, current, image, request, previous);
        if (before != null) {
            waitForUpdate(service, before, image, request.version());
        }
    }

    /**
     * Sends the service's own spec back with the new image and version labels, and the registry credentials.
     * The spec is read again just before: Swarm bumps a service's version when an update it runs ends, so the
     * one read at the start may be stale; a concurrent change meanwhile is retried twice on a fresh read.
     *
     * @return the service as it was, or null when it already runs this image
     */
    private JsonNode startUpdate(String service, JsonNode listed, String image, ComposeRelease.Request request, Optional<String> previous) {
        String name = settings.swarmService(service);
        for (int attempt = 1; ; attempt++) {
            JsonNode current = api.get("/services/" + listed.path("ID").asText());
            ObjectNode spec = current.path("Spec").deepCopy();
            ObjectNode container = (ObjectNode) spec.path("TaskTemplate").path("ContainerSpec");
            if (image.equals(container.path("Image").asText()) && !current.path("UpdateStatus").path("State").asText().startsWith("rollback")) {
                log.info(name + " already runs " + image);
                return null;
            }
            container.put("Image", image);
            ObjectNode labels = spec.has("Labels") && spec.get("Labels").isObject() ? (ObjectNode) spec.get("Labels") : spec.putObject("Labels");
            labels.put(ComposeRelease.VERSION_LABEL, request.version());
            if (previous.isPresent()) {
                labels.put(ComposeRelease.PREVIOUS_VERSION_LABEL, previous.get());
            } else {
                labels.remove(ComposeRelease.PREVIOUS_VERSION_LABEL);
            }
            long version = current.path("Version").path("Index").asLong();
            JsonNode answer;
            try {
                answer = api.post("/services/" + current.path("ID").asText() + "/update?version=" + version, spec,
                        EngineApi.registryAuth(request.auth()));
            } catch (EngineApi.Failure e) {
                if (e.getMessage() != null && e.getMessage().contains("out of sequence")) {
                    if (attempt < 3) {
                        continue;
                    }
                    throw new EngineApi.Failure(e.status(), name + " was changed by someone else meanwhile (another release, or docker "
                            + "stack deploy): " + e.getMessage() + ". Release again once it has finished");
                }
                throw e;
            }
            for (JsonNode warning : answer.path("Warnings")) {
                log.warn(name + ": " + warning.asText());
            }
            log.info("Swarm updates " + name + " to " + request.version() + " (" + replicasOf(current) + " tasks, "
                    + orderOf(current) + ")");
            return current;
        }
    }

    /** Until Swarm reports the update completed; a rollback or a pause fails with the tasks' errors. */
    private void waitForUpdate(String service, JsonNode before, String image, String version) throws ReleaseException, InterruptedException {
        String name = settings.swarmService(service);
        String id = before.path("ID").asText();
        String startedBefore = before.path("UpdateStatus").path("StartedAt").asText("");
        int replicas = replicasOf(before);
        Duration budget = settings.healthTimeout().multipliedBy(replicas + 1L).plus(Duration.ofMinutes(2));
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        String lastState = "";
        while (true) {
            JsonNode now = api.get("/services/" + id);
            JsonNode status = now.path("UpdateStatus");
            String state = status.path("StartedAt").asText("").equals(startedBefore) ? "pending" : status.path("State").asText("pending");
            if (!state.equals(lastState)) {
                if (!state.equals("pending")) {
                    log.info(String.format(Locale.ROOT, "%s: %s after %.1f s%s", name, state.replace('_', ' '), seconds(start),
                            status.path("Message").asText("").isEmpty() ? "" : " (" + status.path("Message").asText() + ")"));
                }
                lastState = state;
            }
            switch (state) {
                case "completed" -> {
                    return;
                }
                case "rollback_completed" -> throw new ReleaseException("Swarm rolled " + name + " back: the new version " + version
                        + " failed. " + status.path("Message").asText("") + "\n" + failedTasks(id, image)
                        + "\nThe old version serves again, on every task.", true);
                case "paused", "rollback_paused" -> throw new ReleaseException("Swarm paused the update of " + name + " (" + state + "): "
                        + status.path("Message").asText("") + "\n" + failedTasks(id, image)
                        + "\nResume it with docker service update " + name + ", or roll back with mvn frankenphp:rollback.", true);
                default -> {
                    // updating, rollback_started, or not started yet.
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ReleaseException(name + " did not finish its update within " + budget.toSeconds() + " s (Swarm says: "
                        + state + "). It continues on the Swarm: docker service ps " + name + ".\n" + failedTasks(id, image), false);
            }
            sleep(POLL);
        }
    }

    /**
     * The tasks of the new image that ended (failed, or stopped by Swarm, as an unhealthy task is), each with
     * Swarm's error, its last health check when its container is on this engine, and the first one's log lines.
     * Only the new version's tasks: the old ones' lines would hide the cause.
     */
    private String failedTasks(String serviceId, String image) {
        List<String> lines = new ArrayList<>();
        String firstFailed = null;
        for (JsonNode task : api.get("/tasks?" + EngineApi.filters("service", serviceId))) {
            String state = task.path("Status").path("State").asText();
            boolean newImage = image.equals(task.path("Spec").path("ContainerSpec").path("Image").asText());
            if (!newImage || state.equals("running") || state.equals("new") || state.equals("pending") || state.equals("starting")) {
                continue;
            }
            String id = task.path("ID").asText();
            lines.add("  task " + id.substring(0, Math.min(12, id.length())) + " (slot " + task.path("Slot").asText("?") + "): " + state
                    + taskError(task) + lastHealthCheck(task.path("Status").path("ContainerStatus").path("ContainerID").asText("")));
            if (firstFailed == null) {
                firstFailed = id;
            }
        }
        if (firstFailed == null) {
            return "No task of the new version ended; see docker service ps " + serviceId + ".";
        }
        List<String> logs;
        try {
            logs = api.logLines("/tasks/" + firstFailed + "/logs?stdout=1&stderr=1&tail=" + LOG_LINES);
        } catch (RuntimeException e) {
            logs = List.of("(logs unavailable: " + e.getMessage() + ")");
        }
        return "Tasks of the new version that ended:\n" + String.join("\n", lines) + "\nLast lines of task "
                + firstFailed.substring(0, Math.min(12, firstFailed.length())) + ":\n" + tail(logs);
    }

    /** "; last health check (exit 22): curl: (22) ... 500", when the task's container is on this engine. */
    private String lastHealthCheck(String containerId) {
        if (containerId.isEmpty()) {
            return "";
        }
        try {
            var health = connection.client().inspectContainerCmd(containerId).exec().getState().getHealth();
            if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
                return "";
            }
            // The very last check is often the one cut short by the stop (exit 137, no output): the last one that said why.
            var last = health.getLog().get(health.getLog().size() - 1);
            for (int i = health.getLog().size() - 1; i >= 0; i--) {
                var entry = health.getLog().get(i);
                if (entry.getOutput() != null && !entry.getOutput().isBlank()) {
                    last = entry;
                    break;
                }
            }
            String output = last.getOutput() == null ? "" : last.getOutput().strip().replaceAll("\\s+", " ");
            return "; health " + health.getStatus() + ", last health check (exit " + last.getExitCodeLong() + "): "
                    + (output.length() > 200 ? output.substring(0, 200) + "…" : output);
        } catch (RuntimeException e) {
            // On another node, or already removed: Swarm's own account above.
            return "";
        }
    }

    private List<String> serviceLogs(String serviceId) {
        return api.logLines("/services/" + serviceId + "/logs?stdout=1&stderr=1&tail=" + LOG_LINES);
    }

    /** Every running app, queue and scheduler task on the new image, as many app tasks as the service wants. */
    private int verify(String image, String version) throws ReleaseException {
        List<String> problems = new ArrayList<>();
        int appTasks = 0;
        for (String service : RELEASED) {
            String name = settings.swarmService(service);
            JsonNode current = api.get("/services/" + encodeName(name));
            int wanted = replicasOf(current);
            int running = 0;
            for (JsonNode task : api.get("/tasks?" + EngineApi.filters("service", current.path("ID").asText()))) {
                if (!task.path("DesiredState").asText().equals("running")) {
                    continue;
                }
                String taskImage = task.path("Spec").path("ContainerSpec").path("Image").asText();
                String state = task.path("Status").path("State").asText();
                if (!taskImage.equals(image)) {
                    problems.add(name + " task " + task.path("Slot").asText("?") + " runs " + taskImage);
                } else if (state.equals("running")) {
                    running++;
                }
            }
            if (running != wanted) {
                problems.add(name + " runs " + running + " of " + wanted + " tasks on " + version);
            }
            if (service.equals("app")) {
                appTasks = running;
            }
        }
        if (!problems.isEmpty()) {
            throw new ReleaseException("Swarm reported the updates completed, but: " + String.join("; ", problems)
                    + ". docker service ps shows the tasks; release again to settle it.", false);
        }
        log.info("Every task of " + String.join(", ", RELEASED.stream().map(settings::swarmService).toList()) + " runs " + version
                + " (" + appTasks + " app tasks)");
        return appTasks;
    }

    // ------------------------------------------------------------------ helpers

    private static String encodeName(String name) {
        return EngineApi.encode(name);
    }

    private static Optional<String> label(JsonNode service, String key) {
        return Optional.ofNullable(service.path("Spec").path("Labels").path(key).textValue()).filter(v -> !v.isBlank());
    }

    private static int replicasOf(JsonNode service) {
        return service.path("Spec").path("Mode").path("Replicated").path("Replicas").asInt(1);
    }

    private static String orderOf(JsonNode service) {
        return service.path("Spec").path("UpdateConfig").path("Order").asText("stop-first");
    }

    private static String taskError(JsonNode task) {
        JsonNode status = task.path("Status");
        String err = status.path("Err").asText("");
        String exit = status.path("ContainerStatus").path("ExitCode").asText("");
        return (err.isEmpty() ? "" : ": " + err) + (exit.isEmpty() || exit.equals("0") ? "" : " (exit " + exit + ")");
    }

    private static String tail(List<String> lines) {
        return lines.isEmpty() ? "  (no output)" : "  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private ReleaseException infrastructure(RuntimeException e) {
        String what = e instanceof EngineApi.Failure failure
                ? "the engine answered " + (failure.status() == 0 ? "" : failure.status() + " ") + e.getMessage()
                : DockerErrors.summary(e);
        return new ReleaseException("The Swarm release stopped: " + what + ". Swarm finishes or rolls back any update it had started; "
                + "docker service ls on the manager shows the stack's state.", false, e);
    }
}
