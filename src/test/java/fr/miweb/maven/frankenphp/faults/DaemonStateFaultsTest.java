package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon changed between {@code build} and {@code push} (separate Maven invocations): the image was removed
 * (what a daemon reset, {@code docker system prune -a} or a CI runner's cleanup does), its tags were removed, or
 * another build moved the local {@code latest}. A real {@code dockerd} restart is not done here: it would stop
 * every other test using the shared engine, and images survive a restart anyway (they are on disk), so it is
 * the removal that matters.
 */
class DaemonStateFaultsTest {

    private static DockerConnection docker;

    @TempDir
    Path directory;

    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = new ArrayList<>();

    /** Per test, so that without an engine each test is reported as skipped, with the reason. */
    @BeforeEach
    void engine() throws Exception {
        FaultSupport.requireDocker();
        if (docker == null) {
            docker = FaultSupport.connect();
        }
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    @AfterEach
    void cleanUp() {
        FaultSupport.removeImages(images.toArray(String[]::new));
    }

    private ImageRecord built(String name, String marker) throws Exception {
        ImageRecord record = FaultSupport.build(docker, FaultSupport.project(directory.resolve(marker), marker, 4096),
                FaultSupport.REGISTRY + "/" + name, FaultSupport.versionTag());
        images.add(record.imageId());
        images.addAll(record.tags());
        return record;
    }

    private ImagePublisher publisher() {
        return new ImagePublisher(docker.client(), FaultSupport.retrier(2, retries), Duration.ofMinutes(2), line -> { });
    }

    @Test
    void pushAfterTheImageWasRemovedSaysItIsGoneAndHowToRebuildAndPushesNothing() throws Exception {
        String name = FaultSupport.uniqueName("gone");
        ImageRecord record = built(name, "gone");
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        String before = Files.readString(recordFile);
        FaultSupport.Result removed = FaultSupport.docker("image", "rm", "-f", record.imageId());
        assertEquals(0, removed.exitCode(), removed::output);

        DockerException failure = assertThrows(DockerException.class,
                () -> publisher().publish(record, recordFile, FaultSupport.REGISTRY, FaultSupport.credentials()));

        assertTrue(failure.getMessage().contains(record.repository() + ":" + record.version() + " (" + record.imageId() + ")"), failure::getMessage);
        assertTrue(failure.getMessage().contains("no longer in the Docker daemon"), failure::getMessage);
        assertTrue(failure.getMessage().contains("Build it again: mvn package (or mvn deploy)"), failure::getMessage);
        assertTrue(retries.isEmpty(), "a missing image is not a transient failure");
        assertEquals(List.of(), FaultSupport.tags(name));
        assertEquals(before, Files.readString(recordFile), "image.json must still say what was built, and that nothing was pushed");
    }

    @Test
    void pushAfterTheTagsWereRemovedTagsTheRecordedImageAgainAndPushesIt() throws Exception {
        String name = FaultSupport.uniqueName("untagged");
        ImageRecord record = built(name, "untagged");
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);
        // Keep the image alive under another name, drop both of its tags.
        String keeper = "frankenphp-faults/keeper:" + record.version();
        images.add(keeper);
        assertEquals(0, FaultSupport.docker("tag", record.imageId(), keeper).exitCode());
        FaultSupport.Result untagged = FaultSupport.docker("image", "rm", record.tags().get(0), record.tags().get(1));
        assertEquals(0, untagged.exitCode(), untagged::output);

        ImageRecord pushed = publisher().publish(record, recordFile, FaultSupport.REGISTRY, FaultSupport.credentials());

        assertEquals(record.imageId(), FaultSupport.configDigest(name, record.version()));
        assertEquals(record.imageId(), FaultSupport.configDigest(name, "latest"));
        assertEquals(pushed, ImageRecord.read(recordFile));
    }

    @Test
    void pushAfterAnotherBuildMovedTheLocalLatestStillPublishesWhatWasRecorded() throws Exception {
        String name = FaultSupport.uniqueName("moved-latest");
        ImageRecord first = built(name, "first");
        Path recordFile = directory.resolve("image.json");
        first.write(recordFile);
        ImageRecord second = built(name, "second"); // a later build in another checkout: local latest is now this one
        assertEquals(second.imageId(), docker.client().inspectImageCmd(first.repository() + ":latest").exec().getId());

        publisher().publish(ImageRecord.read(recordFile), recordFile, FaultSupport.REGISTRY, FaultSupport.credentials());

        assertEquals(first.imageId(), FaultSupport.configDigest(name, first.version()));
        assertEquals(first.imageId(), FaultSupport.configDigest(name, "latest"), "latest must name the recorded build");
    }
}
