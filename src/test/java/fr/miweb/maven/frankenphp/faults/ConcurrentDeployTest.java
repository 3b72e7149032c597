package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two projects build and deploy to the same registry at the same moment, with the same version tag (as the
 * modules of a reactor share one timestamp): each registry tag, each image.json and each local tag names its own
 * project's image. The {@code fault-reactor-parallel} IT does the same through Maven with {@code -T 2}.
 */
class ConcurrentDeployTest {

    @TempDir
    Path directory;

    private final List<String> images = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void engine() {
        FaultSupport.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        FaultSupport.removeImages(images.toArray(String[]::new));
    }

    @Test
    void twoProjectsDeployingAtOnceDoNotCrossTalk() throws Exception {
        String version = FaultSupport.versionTag();
        List<String> names = List.of(FaultSupport.uniqueName("concurrent-a"), FaultSupport.uniqueName("concurrent-b"));
        CyclicBarrier start = new CyclicBarrier(names.size());
        ExecutorService threads = Executors.newFixedThreadPool(names.size());
        List<Future<ImageRecord>> deploys = new ArrayList<>();
        List<Path> recordFiles = new ArrayList<>();
        try {
            for (String name : names) {
                Path project = directory.resolve(name.replace('/', '_'));
                Path recordFile = project.resolve("target/frankenphp/image.json");
                recordFiles.add(recordFile);
                deploys.add(threads.submit(() -> deploy(name, version, project, recordFile, start)));
            }
            List<ImageRecord> records = new ArrayList<>();
            for (Future<ImageRecord> deploy : deploys) {
                records.add(deploy.get(5, TimeUnit.MINUTES));
            }

            assertNotEquals(records.get(0).imageId(), records.get(1).imageId());
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                ImageRecord record = records.get(i);
                assertEquals(FaultSupport.REGISTRY + "/" + name, record.repository());
                assertEquals(record, ImageRecord.read(recordFiles.get(i)));
                assertEquals(record.imageId(), FaultSupport.configDigest(name, version), name);
                assertEquals(record.imageId(), FaultSupport.configDigest(name, "latest"), name);
                assertEquals(record.pushed().get(version), FaultSupport.manifestDigest(name, version));
                try (DockerConnection docker = FaultSupport.connect()) {
                    assertEquals(record.imageId(), docker.client().inspectImageCmd(record.repository() + ":latest").exec().getId());
                    String marker = docker.client().inspectImageCmd(record.imageId()).exec().getConfig().getLabels()
                            .get("fr.miweb.frankenphp-it.faults");
                    assertEquals("true", marker);
                }
            }
            // Each image holds its own project's files.
            for (int i = 0; i < names.size(); i++) {
                String expected = "marker.txt of " + names.get(i);
                FaultSupport.Result cat = FaultSupport.docker("run", "--rm", records.get(i).imageId(), "cat", "/app/marker.txt");
                assertEquals(expected, cat.output().strip());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private ImageRecord deploy(String name, String version, Path project, Path recordFile, CyclicBarrier start) throws Exception {
        FaultSupport.project(project, "marker.txt of " + name, 128 * 1024);
        List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());
        try (DockerConnection docker = FaultSupport.connect()) {
            start.await(1, TimeUnit.MINUTES);
            ImageRecord record = FaultSupport.build(docker, project, FaultSupport.REGISTRY + "/" + name, version);
            images.add(record.imageId());
            images.addAll(record.tags());
            record.write(recordFile);
            ImagePublisher publisher = new ImagePublisher(docker.client(), FaultSupport.retrier(3, retries), Duration.ofMinutes(3), line -> { });
            publisher.checkLogin(FaultSupport.REGISTRY, FaultSupport.credentials());
            ImageRecord pushed = publisher.publish(record, recordFile, FaultSupport.REGISTRY, FaultSupport.credentials());
            assertTrue(retries.isEmpty(), retries::toString);
            return pushed;
        }
    }
}
