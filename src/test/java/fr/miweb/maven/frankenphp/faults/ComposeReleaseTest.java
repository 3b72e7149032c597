package fr.miweb.maven.frankenphp.faults;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.release.ComposeRelease;
import fr.miweb.maven.frankenphp.release.RegistryLatestTag;
import fr.miweb.maven.frankenphp.release.ReleaseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose release use case on its own, on the real engine and the real registry of setup.sh, without Maven, ssh
 * or Caddy: a small stack laid out as docker compose lays out the rendered one (labels, names, one network), with
 * busybox stand-ins. The app serves {@code /api/health} with busybox httpd; the proxy serves a Caddy-like admin
 * answer; {@code php artisan migrate} prints the version it migrates, or fails. What routes the traffic (Caddy) and the
 * load are the end-to-end test's (src/test/e2e); this test pins what the release does to the containers and the registry.
 */
class ComposeReleaseTest {

    private static final int APP_PORT = 8000;
    private static final String NAME = FaultSupport.uniqueName("compose-release");
    private static final String REPOSITORY = FaultSupport.REGISTRY + "/" + NAME;
    /** Each version the tests release, pushed once: version tag -> manifest digest. */
    private static final Map<String, String> DIGESTS = new LinkedHashMap<>();
    private static final String WORKER_COMMAND = "trap 'exit 0' TERM; while :; do sleep 1; done";

    private static DockerConnection connection;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private String project;
    private String network;
    private DockerClient docker;

    @BeforeAll
    static void images(@TempDir Path directory) throws Exception {
        FaultSupport.requireDocker();
        Files.writeString(directory.resolve("php"), String.join("\n",
                "#!/bin/sh",
                "# Test stand-in for php: `php artisan migrate --force` prints what it migrates, or fails like a broken migration.",
                "echo \"migrating $APP_VERSION ($*)\"",
                "if [ -n \"$FAIL_MIGRATIONS\" ]; then echo 'SQLSTATE[42S01]: Base table or view already exists: orders'; exit 3; fi",
                ""));
        Files.writeString(directory.resolve("Dockerfile"), String.join("\n",
                "FROM " + FaultSupport.BASE_IMAGE,
                "ARG VERSION",
                "ARG HEALTH=ok",
                "ARG FAIL_MIGRATIONS=",
                "LABEL org.opencontainers.image.version=$VERSION",
                "ENV APP_VERSION=$VERSION FAIL_MIGRATIONS=$FAIL_MIGRATIONS",
                "COPY php /usr/local/bin/php",
                "RUN chmod 0755 /usr/local/bin/php && mkdir -p /www/api && echo \"$VERSION\" > /www/version"
                        + " && if [ \"$HEALTH\" = ok ]; then echo ok > /www/api/health; fi",
                "HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1:" + APP_PORT + "/api/health || exit 1",
                "ENTRYPOINT []",
                "CMD [\"httpd\", \"-f\", \"-p\", \"" + APP_PORT + "\", \"-h\", \"/www\"]",
                ""));
        connection = FaultSupport.connect();
        image(directory, "v1", "ok", "");
        image(directory, "v2", "ok", "");
        image(directory, "broken", "none", "");
        image(directory, "badmigration", "ok", "yes");
    }

    /** Builds and pushes {@code REPOSITORY:version}. */
    private static void image(Path directory, String version, String health, String failMigrations) throws Exception {
        FaultSupport.Result build = FaultSupport.run(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build", "-q", "-t", REPOSITORY + ":" + version,
                "--build-arg", "VERSION=" + version, "--build-arg", "HEALTH=" + health, "--build-arg", "FAIL_MIGRATIONS=" + failMigrations,
                directory.toString()), Duration.ofMinutes(3));
        assertEquals(0, build.exitCode(), build.output());
        DIGESTS.put(version, new RegistryOperations(connection.client()).push(REPOSITORY, version, FaultSupport.credentials(),
                FaultSupport.REGISTRY, Duration.ofMinutes(2), line -> { }));
    }

    @AfterAll
    static void removeImages() throws Exception {
        if (connection != null) {
            FaultSupport.removeImages(DIGESTS.keySet().stream().map(v -> REPOSITORY + ":" + v).toArray(String[]::new));
            FaultSupport.removeImages(REPOSITORY + ":latest");
            connection.close();
        }
    }

    /** The stack as DEPLOY.md's first install leaves it, on v1, with latest naming v1. */
    @BeforeEach
    void stack() throws Exception {
        docker = connection.client();
        project = "fprel" + Long.toHexString(System.nanoTime());
        network = project + "_internal";
        docker.createNetworkCmd().withName(network).exec();
        String upstreams = "[{\"address\":\"" + project + "-app-next:" + APP_PORT + "\",\"num_requests\":0,\"fails\":0},"
                + "{\"address\":\"" + project + "-app:" + APP_PORT + "\",\"num_requests\":0,\"fails\":0}]";
        service("proxy", project + "_proxy_1", REPOSITORY + ":v1", List.of("sh", "-c",
                "mkdir -p /admin/reverse_proxy && echo '" + upstreams + "' > /admin/reverse_proxy/upstreams && exec httpd -f -p 2019 -h /admin"));
        service("mysql", project + "_mysql_1", REPOSITORY + ":v1", List.of("sh", "-c", WORKER_COMMAND));
        service("app", project + "-app", REPOSITORY + ":v1", List.of());
        service("queue", project + "_queue_1", REPOSITORY + ":v1", List.of("sh", "-c", WORKER_COMMAND));
        service("scheduler", project + "_scheduler_1", REPOSITORY + ":v1", List.of("sh", "-c", WORKER_COMMAND));
        awaitHealthy(project + "-app");
        latest().pointAt("v1");
    }

    @AfterEach
    void removeStack() {
        if (docker == null) {
            return;
        }
        containerIds().values().forEach(id -> FaultSupport.docker("rm", "-f", id));
        FaultSupport.docker("network", "rm", network);
    }

    @Test
    void aReleaseSwapsAppAndWorkersRunsTheMigrationsOnceLeavesMysqlAloneAndPointsLatestAtWhatServes() throws Exception {
        InspectContainerResponse mysqlBefore = only("mysql");
        String v2 = imageId("v2");

        ComposeRelease.Result result = release().release(request("v2"));

        assertEquals("v2", result.version());
        assertEquals(Optional.of("v1"), result.previousVersion());
        InspectContainerResponse app = only("app");
        assertEquals("/" + project + "-app", app.getName());
        assertEquals(v2, app.getImageId());
        assertEquals("healthy", app.getState().getHealth().getStatus());
        assertEquals("v2", app.getConfig().getLabels().get(ComposeRelease.VERSION_LABEL));
        assertEquals("v1", app.getConfig().getLabels().get(ComposeRelease.PREVIOUS_VERSION_LABEL));
        assertTrue(List.of(app.getConfig().getEnv()).contains("APP_VERSION=v2"), "the new image's environment: " + List.of(app.getConfig().getEnv()));
        assertTrue(app.getNetworkSettings().getNetworks().containsKey(network), "on the stack's network: " + app.getNetworkSettings().getNetworks().keySet());
        for (String worker : List.of("queue", "scheduler")) {
            InspectContainerResponse container = only(worker);
            assertEquals("/" + project + "_" + worker + "_1", container.getName(), worker + " keeps its name");
            assertEquals(v2, container.getImageId(), worker + " runs the new image");
            assertTrue(container.getState().getRunning(), worker + " runs");
        }
        InspectContainerResponse mysqlAfter = only("mysql");
        assertEquals(mysqlBefore.getId(), mysqlAfter.getId(), "mysql is not recreated");
        assertEquals(mysqlBefore.getState().getStartedAt(), mysqlAfter.getState().getStartedAt(), "mysql is not restarted");
        assertEquals(1, log.stream().filter(l -> l.equals("[migrate] migrating v2 (artisan migrate --force)")).count(),
                "the migrations ran once, on the new image, with the app's environment: " + log);
        assertTrue(leftovers().isEmpty(), "no lock, candidate, retired or migration container left: " + leftovers());
        // The stack's set-up left latest on v1, as a rollback run after v2's push would have.
        assertEquals(DIGESTS.get("v2"), FaultSupport.manifestDigest(NAME, "latest"), "latest names the version that serves");
        assertTrue(log.contains("latest in the registry names v2 (" + DIGESTS.get("v2") + ")"), log::toString);
    }

    @Test
    void aRollbackGoesBackToThePreviousVersionAndMovesLatest() throws Exception {
        release().release(request("v2"));
        // As the push of v2 left it.
        latest().pointAt("v2");
        ComposeRelease rollback = release();
        assertEquals(Optional.of("v1"), rollback.previousVersion(), "the release recorded what served before it");

        ComposeRelease.Result result = rollback.rollback(new ComposeRelease.Request(REPOSITORY, "v1", Optional.empty(), auth(), "test rollback"));

        assertEquals("v1", result.version());
        InspectContainerResponse app = only("app");
        assertEquals(imageId("v1"), app.getImageId());
        assertEquals("v1", app.getConfig().getLabels().get(ComposeRelease.VERSION_LABEL));
        assertEquals(imageId("v1"), only("queue").getImageId());
        assertEquals(imageId("v1"), only("scheduler").getImageId());
        assertFalse(log.stream().anyMatch(l -> l.startsWith("[migrate]") && l.contains("v1")), "a rollback runs no migration: " + log);
        assertEquals(DIGESTS.get("v1"), FaultSupport.manifestDigest(NAME, "latest"), "latest names the version rolled back to");
        assertTrue(log.contains("latest in the registry names v1 (" + DIGESTS.get("v1") + ")"), log::toString);
        assertTrue(leftovers().isEmpty(), "nothing left: " + leftovers());
    }

    @Test
    void theRegistryClientIsBuiltOnlyOnceTheNewContainerRunsAndABrokenRegistryTrustFailsTheRollbackAfterItsSwap(@TempDir Path certs)
            throws Exception {
        release().release(request("v2"));
        latest().pointAt("v2");
        // The CA file the Docker CLI would read for this registry (certs.d/<host>/ca.crt), here not a certificate.
        Files.createDirectories(certs.resolve(FaultSupport.REGISTRY));
        Files.writeString(certs.resolve(FaultSupport.REGISTRY).resolve("ca.crt"), "not a certificate\n");
        // The log as it was when the client was first asked for (the failed build is retried at the end).
        java.util.concurrent.atomic.AtomicReference<List<String>> logWhenBuilt = new java.util.concurrent.atomic.AtomicReference<>();
        RegistryLatestTag brokenTrust = new RegistryLatestTag(() -> {
            synchronized (log) {
                logWhenBuilt.compareAndSet(null, List.copyOf(log));
            }
            return new RegistryApi(FaultSupport.REGISTRY, credentials(), FaultSupport.retrier(2, new ArrayList<>()), Duration.ofSeconds(30), certs);
        }, NAME);

        ReleaseException failure = assertThrows(ReleaseException.class, () -> release(brokenTrust)
                .rollback(new ComposeRelease.Request(REPOSITORY, "v1", Optional.empty(), auth(), "test rollback")));

        assertTrue(logWhenBuilt.get().stream().anyMatch(l -> l.startsWith("Started " + project + "-app-next on v1; waiting for its health check")),
                "the registry client (its TLS set-up) is built while the new container's health check runs, not before: " + logWhenBuilt);
        assertTrue(failure.getMessage().startsWith("v1 serves on the server again, but Could not move latest to v1 in the registry: "
                + "Cannot read the registry CA certificate " + certs.resolve(FaultSupport.REGISTRY).resolve("ca.crt")), failure.getMessage());
        assertTrue(failure.getMessage().contains("Run the same rollback again"), failure.getMessage());
        assertTrue(failure.userFixable(), "a CA file is the user's to fix");
        assertEquals(imageId("v1"), only("app").getImageId(), "the rollback itself went through");
        assertEquals(DIGESTS.get("v2"), FaultSupport.manifestDigest(NAME, "latest"), "latest was not moved");
        assertTrue(leftovers().isEmpty(), "nothing left: " + leftovers());
    }

    @Test
    void aVersionThatNeverGetsHealthyIsRemovedAndLatestGoesBack() throws Exception {
        // As the push left it: latest names the version being released.
        latest().pointAt("broken");
        Map<String, String> before = containerIds();

        ReleaseException failure = assertThrows(ReleaseException.class, () -> release().release(request("broken")));

        assertTrue(failure.getMessage().contains("The new version broken did not go live: its health check reports unhealthy"), failure.getMessage());
        assertTrue(failure.getMessage().contains("latest in the registry points to v1 again"), failure.getMessage());
        assertTrue(failure.userFixable());
        assertEquals(before, containerIds(), "the old containers serve on, untouched");
        assertEquals(imageId("v1"), only("app").getImageId());
        assertTrue(leftovers().isEmpty(), "the candidate is gone: " + leftovers());
        assertEquals(DIGESTS.get("v1"), FaultSupport.manifestDigest(NAME, "latest"));
    }

    @Test
    void aFailingMigrationStopsTheReleaseBeforeAnythingIsSwapped() throws Exception {
        Map<String, String> before = containerIds();

        ReleaseException failure = assertThrows(ReleaseException.class, () -> release().release(request("badmigration")));

        assertTrue(failure.getMessage().contains("The migrations of badmigration failed (exit 3); nothing was swapped"), failure.getMessage());
        assertTrue(failure.getMessage().contains("SQLSTATE[42S01]: Base table or view already exists: orders"), "their output: " + failure.getMessage());
        assertEquals(before, containerIds(), "nothing was swapped");
        assertTrue(leftovers().isEmpty(), "no migration container left: " + leftovers());
    }

    @Test
    void aReleaseRefusesToRunWhileAnotherHoldsTheServersLock() throws Exception {
        // Another release's lock, as ReleaseLock leaves it while that release runs.
        String lock = docker.createContainerCmd(REPOSITORY + ":v1").withName(project + "-release-lock").withCmd("sh", "-c", WORKER_COMMAND)
                .withLabels(Map.of("fr.miweb.frankenphp.release-holder", "ci@build-7 releasing v9"))
                .withHealthcheck(new HealthCheck().withTest(List.of("NONE"))).exec().getId();
        docker.startContainerCmd(lock).exec();
        Map<String, String> before = containerIds();

        ReleaseException failure = assertThrows(ReleaseException.class, () -> release().release(request("v2")));

        assertTrue(failure.getMessage().contains("Another release is running on this server: the lock container " + project
                + "-release-lock is held by ci@build-7 releasing v9"), failure.getMessage());
        assertEquals(before, containerIds(), "nothing changed");
        assertEquals(imageId("v1"), only("app").getImageId());
        assertEquals(DIGESTS.get("v1"), FaultSupport.manifestDigest(NAME, "latest"), "latest is the lock holder's to move");
    }

    @Test
    void theNextReleaseFinishesASwapThatWasInterruptedAfterTheNewVersionGotHealthy() throws Exception {
        // What a release killed between its health gate and the drain leaves: both versions up, the new one healthy.
        service("app", project + "-app-next", REPOSITORY + ":v2", List.of());
        awaitHealthy(project + "-app-next");

        release().release(request("v2"));

        assertTrue(log.contains("Finishing the swap of an interrupted release: " + project + "-app-next (v2) serves"), log::toString);
        InspectContainerResponse app = only("app");
        assertEquals("/" + project + "-app", app.getName());
        assertEquals(imageId("v2"), app.getImageId());
        assertEquals(imageId("v2"), only("queue").getImageId());
        assertTrue(leftovers().isEmpty(), "nothing left: " + leftovers());
        assertEquals(DIGESTS.get("v2"), FaultSupport.manifestDigest(NAME, "latest"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ComposeRelease release() throws Exception {
        return release(latest());
    }

    private ComposeRelease release(RegistryLatestTag latest) {
        ReleaseSettings settings = new ReleaseSettings(ReleaseTarget.COMPOSE, Optional.empty(), Optional.empty(), project, Optional.empty(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), true, Duration.ofSeconds(60), Optional.empty(),
                Defaults.RELEASE_WATCHTOWER_SERVER_ID, Defaults.RELEASE_REPLICAS, Defaults.RELEASE_DATABASE_NODE);
        return new ComposeRelease(docker, settings, APP_PORT, Duration.ofSeconds(5), new ComposeRelease.Log() {
            @Override
            public void info(String line) {
                log.add(line);
            }

            @Override
            public void warn(String line) {
                log.add("WARN " + line);
            }
        }, latest);
    }

    private static RegistryLatestTag latest() throws Exception {
        return new RegistryLatestTag(new RegistryApi(FaultSupport.REGISTRY, credentials(), FaultSupport.retrier(2, new ArrayList<>()),
                Duration.ofSeconds(30), RegistryApi.DOCKER_CERTS_DIRECTORY), NAME);
    }

    private static fr.miweb.maven.frankenphp.registry.RegistryCredentials credentials() {
        try {
            return FaultSupport.credentials();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static com.github.dockerjava.api.model.AuthConfig auth() throws Exception {
        return RegistryOperations.authConfig(FaultSupport.REGISTRY, FaultSupport.credentials());
    }

    private ComposeRelease.Request request(String version) throws Exception {
        return new ComposeRelease.Request(REPOSITORY, version, Optional.of(DIGESTS.get(version)), auth(), "ComposeReleaseTest");
    }

    /** A container as compose creates one: project and service labels, on the stack's network under the service's alias. */
    private void service(String service, String name, String image, List<String> command) {
        var create = docker.createContainerCmd(image).withName(name)
                .withLabels(Map.of("com.docker.compose.project", project, "com.docker.compose.service", service))
                // An init, as compose's init: true: httpd as PID 1 would ignore SIGTERM, and every stop would wait its whole grace period.
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withInit(true))
                .withAliases(service);
        if (!command.isEmpty()) {
            create.withCmd(command).withHealthcheck(new HealthCheck().withTest(List.of("NONE")));
        }
        docker.startContainerCmd(create.exec().getId()).exec();
    }

    private void awaitHealthy(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"healthy".equals(docker.inspectContainerCmd(name).exec().getState().getHealth().getStatus())) {
            assertTrue(System.nanoTime() < deadline, name + " did not get healthy");
            Thread.sleep(200);
        }
    }

    /** The one running container of a service. */
    private InspectContainerResponse only(String service) {
        List<Container> running = docker.listContainersCmd().withLabelFilter(Map.of("com.docker.compose.project", project,
                "com.docker.compose.service", service)).exec();
        assertEquals(1, running.size(), "one " + service + " container runs: " + running.stream().map(c -> c.getNames()[0]).toList());
        return docker.inspectContainerCmd(running.get(0).getId()).exec();
    }

    /** Every container of the project, running or not: name -> id. */
    private Map<String, String> containerIds() {
        Map<String, String> ids = new java.util.TreeMap<>();
        for (Container container : docker.listContainersCmd().withShowAll(true).exec()) {
            if (container.getNames()[0].startsWith("/" + project)) {
                ids.put(container.getNames()[0], container.getId());
            }
        }
        return ids;
    }

    /** Containers a finished release must not leave: the lock, a candidate, a retired container, a migration. */
    private List<String> leftovers() {
        return containerIds().keySet().stream().filter(n -> n.contains("-lock") || n.contains("-next") || n.contains("-retired-")
                || n.contains("-migrate-")).toList();
    }

    private String imageId(String version) {
        try {
            return docker.inspectImageCmd(REPOSITORY + ":" + version).exec().getId();
        } catch (NotFoundException e) {
            throw new AssertionError("no image " + REPOSITORY + ":" + version, e);
        }
    }
}
