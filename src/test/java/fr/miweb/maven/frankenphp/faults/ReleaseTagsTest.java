package fr.miweb.maven.frankenphp.faults;

import com.github.dockerjava.api.DockerClient;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImageLabels;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.ReleaseRefusedException;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Released tags are protected, against the real engine and registry: a version tag is not replaced by another image
 * without {@code overwrite}, {@code latest} does not move back to an older build, and a tag that does not name the
 * recorded image after the push fails the push.
 */
class ReleaseTagsTest {

    private static DockerConnection docker;

    @TempDir
    Path directory;

    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

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

    private ImageRecord build(String name, String version, String marker, String created) throws Exception {
        Path project = FaultSupport.project(directory.resolve("project-" + marker), marker, 16 * 1024);
        Map<String, String> labels = created == null ? Map.of()
                : Map.of(ImageLabels.CREATED, created, ImageLabels.VERSION, version);
        ImageRecord record = FaultSupport.build(docker, project, FaultSupport.REGISTRY + "/" + name, version, labels);
        images.add(record.imageId());
        images.addAll(record.tags());
        return record;
    }

    private ImagePublisher publisher(DockerClient client) {
        return new ImagePublisher(client, FaultSupport.retrier(2, retries), Duration.ofMinutes(2), progress::add);
    }

    private ImageRecord publish(ImageRecord record, Path recordFile, boolean overwrite) throws Exception {
        record.write(recordFile);
        return publisher(docker.client()).publish(record, recordFile, FaultSupport.REGISTRY, FaultSupport.credentials(), overwrite);
    }

    @Test
    void redeployingAReleasedVersionWithAnotherImageIsRefusedUntilOverwriteIsAsked() throws Exception {
        String name = FaultSupport.uniqueName("redeploy");
        ImageRecord released = build(name, "1.0.0", "first", null);
        ImageRecord first = publish(released, directory.resolve("first.json"), false);
        String releasedDigest = first.pushed().get("1.0.0");

        ImageRecord rebuilt = build(name, "1.0.0", "second", null);
        Path recordFile = directory.resolve("second.json");
        ReleaseRefusedException refused = assertThrows(ReleaseRefusedException.class, () -> publish(rebuilt, recordFile, false));

        assertTrue(refused.getMessage().startsWith("The registry already has " + released.repository() + ":1.0.0 (image "
                + released.imageId() + ", manifest " + releasedDigest + "), and it is not this build (" + rebuilt.imageId() + ")."),
                refused::getMessage);
        assertTrue(refused.getMessage().contains("-Dfrankenphp.push.overwrite=true"), refused::getMessage);
        // Nothing moved: the released image under both tags, nothing recorded as pushed.
        assertEquals(released.imageId(), FaultSupport.configDigest(name, "1.0.0"));
        assertEquals(releasedDigest, FaultSupport.manifestDigest(name, "1.0.0"));
        assertEquals(releasedDigest, FaultSupport.manifestDigest(name, "latest"));
        assertEquals(Map.of(), ImageRecord.read(recordFile).pushed());
        assertTrue(retries.isEmpty(), retries::toString);

        ImageRecord replaced = publish(rebuilt, recordFile, true);

        assertEquals(rebuilt.imageId(), FaultSupport.configDigest(name, "1.0.0"));
        assertEquals(rebuilt.imageId(), FaultSupport.configDigest(name, "latest"));
        assertEquals(replaced.pushed().get("1.0.0"), replaced.pushed().get("latest"));
        assertEquals(replaced, ImageRecord.read(recordFile));
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("Replacing " + released.repository() + ":1.0.0 (image "
                + released.imageId())), progress::toString);
    }

    @Test
    void pushingTheSameBuildAgainIsIdempotent() throws Exception {
        String name = FaultSupport.uniqueName("again");
        ImageRecord record = build(name, "1.0.0", "again", null);
        Path recordFile = directory.resolve("image.json");
        ImageRecord once = publish(record, recordFile, false);
        progress.clear();

        ImageRecord twice = publisher(docker.client()).publish(ImageRecord.read(recordFile), recordFile, FaultSupport.REGISTRY,
                FaultSupport.credentials(), false);

        assertEquals(once.pushed(), twice.pushed());
        assertTrue(progress.contains(record.repository() + ":1.0.0 already names this build (" + record.imageId()
                + "): pushing it again changes nothing."), progress::toString);
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("latest already names this build 1.0.0")), progress::toString);
        assertEquals(record.imageId(), FaultSupport.configDigest(name, "latest"));
    }

    @Test
    void anOlderBuildPushedLaterDoesNotMoveLatestBackUnlessOverwriteIsAsked() throws Exception {
        String name = FaultSupport.uniqueName("older");
        ImageRecord older = build(name, "1.0.2", "older", "2026-11-20T09:00:00Z");
        ImageRecord newer = build(name, "1.0.3", "newer", "2026-11-24T10:00:00Z");
        publish(newer, directory.resolve("newer.json"), false);
        progress.clear();

        Path recordFile = directory.resolve("older.json");
        ImageRecord pushed = publish(older, recordFile, false);

        assertTrue(progress.contains("latest stays at 1.0.3 (built 2026-11-24T10:00:00Z), newer than this build 1.0.2 "
                + "(built 2026-11-20T09:00:00Z). To move latest back to this build (a rollback), push with "
                + "-Dfrankenphp.push.overwrite=true (<pushOverwrite>)."), progress::toString);
        assertEquals(older.imageId(), FaultSupport.configDigest(name, "1.0.2"));
        assertEquals(newer.imageId(), FaultSupport.configDigest(name, "latest"));
        assertEquals(List.of("1.0.2"), List.copyOf(pushed.pushed().keySet()));
        assertFalse(ImageRecord.read(recordFile).isPushed("latest"));

        progress.clear();
        ImageRecord rolledBack = publish(older, recordFile, true);
        assertEquals(older.imageId(), FaultSupport.configDigest(name, "latest"));
        assertEquals(rolledBack.pushed().get("1.0.2"), FaultSupport.manifestDigest(name, "latest"));
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("latest moves back from 1.0.3")), progress::toString);
    }

    @Test
    void aNewerBuildMovesLatestForward() throws Exception {
        String name = FaultSupport.uniqueName("newer");
        ImageRecord older = build(name, "1.0.2", "older", "2026-11-20T09:00:00Z");
        ImageRecord newer = build(name, "1.0.3", "newer", "2026-11-24T10:00:00Z");
        publish(older, directory.resolve("older.json"), false);
        ImageRecord pushed = publish(newer, directory.resolve("newer.json"), false);

        assertEquals(newer.imageId(), FaultSupport.configDigest(name, "latest"));
        assertEquals(pushed.pushed().get("1.0.3"), pushed.pushed().get("latest"));
        assertTrue(progress.contains("latest moves from 1.0.2 (built 2026-11-20T09:00:00Z) to 1.0.3 (built 2026-11-24T10:00:00Z)."),
                progress::toString);
    }

    /**
     * Another build on the same daemon re-tags {@code repo:version} just as the push starts (forced here by a
     * client that re-tags before handing over the push): the registry then names the other image, and push says so.
     */
    @Test
    void aVersionTagThatDoesNotNameTheRecordedImageAfterThePushFailsIt() throws Exception {
        String name = FaultSupport.uniqueName("verify");
        ImageRecord record = build(name, "1.0.0", "recorded", null);
        ImageRecord intruder = build(name, "other", "intruder", null);
        DockerClient racing = (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(), new Class<?>[] {DockerClient.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("pushImageCmd")) {
                        docker.client().tagImageCmd(intruder.imageId(), record.repository(), "1.0.0").withForce().exec();
                    }
                    try {
                        return method.invoke(docker.client(), arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path recordFile = directory.resolve("image.json");
        record.write(recordFile);

        DockerException failure = assertThrows(DockerException.class, () -> publisher(racing).publish(record, recordFile,
                FaultSupport.REGISTRY, FaultSupport.credentials(), false));

        assertTrue(failure.getMessage().startsWith("The registry's " + record.repository() + ":1.0.0 is not the image built here: it names image "
                + intruder.imageId()), failure::getMessage);
        assertTrue(failure.getMessage().contains("the build is " + record.imageId()), failure::getMessage);
        assertTrue(failure.getMessage().contains("latest was not moved"), failure::getMessage);
        assertNull(FaultSupport.manifestDigest(name, "latest"));
        assertEquals(Map.of(), ImageRecord.read(recordFile).pushed());
        assertTrue(Files.exists(recordFile));
    }
}
