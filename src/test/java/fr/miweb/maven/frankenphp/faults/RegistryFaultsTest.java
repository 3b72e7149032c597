package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.DeadlineExceededException;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry misbehaves while the plugin pushes, through {@link FaultProxy} on :5444: server errors,
 * connections cut mid-upload, answers slower than the push deadline. Pushes go through the plugin's
 * {@link ImagePublisher} to the real engine, and the outcome is read back from the registry on :5443.
 */
class RegistryFaultsTest {

    private static DockerConnection docker;

    @TempDir
    Path directory;

    private FaultProxy proxy;
    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    /** Per test, so that without an engine each test is reported as skipped, with the reason. */
    @BeforeEach
    void engine() throws Exception {
        FaultSupport.requireProxy();
        if (docker == null) {
            docker = FaultSupport.connect();
        }
        proxy = FaultProxy.start();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }


    @AfterEach
    void cleanUp() {
        if (proxy != null) {
            System.out.println("proxy events:\n  " + String.join("\n  ", proxy.events()));
            proxy.close();
        }
        FaultSupport.removeImages(images.toArray(String[]::new));
    }

    private ImageRecord buildThroughProxy(String name, int payloadBytes) throws Exception {
        String repository = proxy.registry() + "/" + name;
        ImageRecord record = FaultSupport.build(docker, FaultSupport.project(directory.resolve("project"), name, payloadBytes),
                repository, FaultSupport.versionTag());
        images.add(record.imageId());
        images.addAll(record.tags());
        return record;
    }

    private ImagePublisher publisher(int attempts, Duration pushTimeout) {
        return new ImagePublisher(docker.client(), FaultSupport.retrier(attempts, retries), pushTimeout, progress::add);
    }

    /** Publishes a previous release's latest (another image) straight to the registry, and returns its digest. */
    private String previousLatest(String name) throws Exception {
        String repository = FaultSupport.REGISTRY + "/" + name;
        docker.client().tagImageCmd("composer:2", repository, "latest").withForce().exec();
        images.add(repository + ":latest");
        String digest = new RegistryOperations(docker.client()).push(repository, "latest", FaultSupport.credentials(),
                FaultSupport.REGISTRY, Duration.ofMinutes(2), line -> { });
        assertEquals(digest, FaultSupport.manifestDigest(name, "latest"));
        return digest;
    }

    @Test
    void serverErrorsOnTheManifestAreRetriedWithBackoffAndEachRetryIsReported() throws Exception {
        String name = FaultSupport.uniqueName("retry-manifest");
        ImageRecord record = buildThroughProxy(name, 64 * 1024);
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        // The daemon never retries a manifest upload itself: these are the plugin's retries.
        proxy.fail("PUT", FaultProxy.MANIFESTS, 1, 503).fail("PUT", FaultProxy.MANIFESTS, 1, 502);

        ImageRecord pushed = publisher(4, Duration.ofMinutes(2)).publish(record, recordFile, proxy.registry(), FaultSupport.credentials());

        assertEquals(2, proxy.faultsInjected(), proxy.events()::toString);
        String reference = record.repository() + ":" + record.version();
        assertEquals(2, retries.size(), retries::toString);
        assertEquals("Push of " + reference, retries.get(0).operation());
        assertEquals(2, retries.get(0).nextAttempt());
        assertEquals(Duration.ofMillis(500), retries.get(0).delay());
        assertTrue(retries.get(0).describe().contains("503"), retries.get(0)::describe);
        assertEquals("Push of " + reference, retries.get(1).operation());
        assertEquals(3, retries.get(1).nextAttempt());
        assertEquals(Duration.ofSeconds(1), retries.get(1).delay());
        assertTrue(retries.get(1).describe().contains("502"), retries.get(1)::describe);

        assertReleased(name, record, pushed, recordFile);
    }

    @Test
    void serverErrorsWithoutABodyAreRetriedOnEitherTag() throws Exception {
        String name = FaultSupport.uniqueName("retry-empty");
        ImageRecord record = buildThroughProxy(name, 64 * 1024);
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        // Blob upload errors are retried by the daemon itself (5 attempts, 5 s apart and more); manifests are not.
        proxy.fail("PUT", "/v2/.+/manifests/" + record.version(), 1, 502, "").fail("PUT", "/v2/.+/manifests/latest", 1, 504, "");

        ImageRecord pushed = publisher(4, Duration.ofMinutes(2)).publish(record, recordFile, proxy.registry(), FaultSupport.credentials());

        assertEquals(2, proxy.faultsInjected(), proxy.events()::toString);
        assertEquals(2, retries.size(), retries::toString);
        assertEquals("Push of " + record.repository() + ":" + record.version(), retries.get(0).operation());
        assertTrue(retries.get(0).describe().contains("502 Bad Gateway"), retries.get(0)::describe);
        assertEquals("Push of " + record.repository() + ":latest", retries.get(1).operation());
        assertTrue(retries.get(1).describe().contains("504 Gateway Timeout"), retries.get(1)::describe);
        assertReleased(name, record, pushed, recordFile);
    }

    @Test
    void registryGoingAwayMidUploadFailsAfterTheRetriesLeavesLatestAloneAndAPushLaterCompletesTheRelease() throws Exception {
        String name = FaultSupport.uniqueName("outage");
        String previous = previousLatest(name);
        ImageRecord record = buildThroughProxy(name, 512 * 1024);
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        proxy.cutBody("*", FaultProxy.BLOBS, 32 * 1024, Integer.MAX_VALUE);

        long start = System.nanoTime();
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> publisher(2, Duration.ofMinutes(5)).publish(record, recordFile, proxy.registry(), FaultSupport.credentials()));
        System.out.println("outage: failed in " + Duration.ofNanos(System.nanoTime() - start) + ": " + failure.getMessage());

        assertTrue(failure.getMessage().startsWith("Push of " + record.repository() + ":" + record.version() + " failed after 2 attempts"),
                failure::getMessage);
        assertEquals(1, retries.size(), retries::toString);
        assertTrue(proxy.faultsInjected() >= 2, proxy.events()::toString);
        // The version tag did not land, so latest was not touched: still the previous release.
        assertEquals(List.of("latest"), FaultSupport.tags(name));
        assertEquals(previous, FaultSupport.manifestDigest(name, "latest"));
        ImageRecord left = ImageRecord.read(recordFile);
        assertEquals(record.imageId(), left.imageId());
        assertTrue(left.pushed().isEmpty(), left::toString);

        // Later, the registry is back: push again, without building.
        proxy.heal();
        retries.clear();
        ImageRecord pushed = publisher(4, Duration.ofMinutes(2)).publish(ImageRecord.read(recordFile), recordFile, proxy.registry(),
                FaultSupport.credentials());
        assertTrue(retries.isEmpty(), retries::toString);
        assertEquals(record.imageId(), docker.client().inspectImageCmd(record.repository() + ":" + record.version()).exec().getId());
        assertReleased(name, record, pushed, recordFile);
    }

    @Test
    void aRegistrySlowerThanThePushDeadlineFailsInBoundedTimeWithoutRetrying() throws Exception {
        String name = FaultSupport.uniqueName("slow");
        ImageRecord record = buildThroughProxy(name, 64 * 1024);
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        proxy.delay("*", "/v2/.+", Duration.ofMinutes(5), Integer.MAX_VALUE);

        long start = System.nanoTime();
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> publisher(4, Duration.ofSeconds(3)).publish(record, recordFile, proxy.registry(), FaultSupport.credentials()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(elapsed.compareTo(Duration.ofSeconds(15)) < 0, "took " + elapsed);
        // The first request to time out is push's look at what the registry already has under the version tag.
        assertInstanceOf(DeadlineExceededException.class, failure.getCause());
        assertEquals("Manifest download of " + record.repository() + ":" + record.version() + " failed after 1 attempt (error is not "
                + "retryable): Manifest download of " + record.repository() + ":" + record.version() + " took longer than 3 s", failure.getMessage());
        assertEquals(1, failure.attempts());
        assertTrue(retries.isEmpty(), retries::toString);
        assertTrue(ImageRecord.read(recordFile).pushed().isEmpty());
        assertFalse(FaultSupport.tags(name).contains(record.version()));
    }

    @Test
    void aLoginCheckAgainstASlowRegistryEndsInBoundedTime() throws Exception {
        proxy.delay("GET", "/v2/", Duration.ofMinutes(5), Integer.MAX_VALUE);
        long start = System.nanoTime();
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> publisher(2, Duration.ofSeconds(3)).checkLogin(proxy.registry(), FaultSupport.credentials()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        // Not the daemon's own 15 s login timeout, retried: the push deadline, never retried.
        assertTrue(elapsed.compareTo(Duration.ofSeconds(10)) < 0, "took " + elapsed);
        assertInstanceOf(RegistryOperations.OperationTimeoutException.class, failure.getCause());
        assertEquals("Login to " + proxy.registry() + " failed after 1 attempt (error is not retryable): Registry login to "
                + proxy.registry() + " took longer than 3 s", failure.getMessage());
        assertTrue(retries.isEmpty(), retries::toString);
    }

    private void assertReleased(String name, ImageRecord record, ImageRecord pushed, Path recordFile) throws Exception {
        String digest = pushed.pushed().get(record.version());
        assertNotNull(digest, pushed::toString);
        assertEquals(digest, pushed.pushed().get("latest"));
        assertEquals(pushed, ImageRecord.read(recordFile));
        List<String> tags = FaultSupport.tags(name);
        assertTrue(tags.contains(record.version()) && tags.contains("latest"), tags::toString);
        assertEquals(digest, FaultSupport.manifestDigest(name, record.version()));
        assertEquals(digest, FaultSupport.manifestDigest(name, "latest"));
    }
}
