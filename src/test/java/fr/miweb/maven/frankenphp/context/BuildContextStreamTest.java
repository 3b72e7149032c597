package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextStreamTest {

    /** Well above the stream's buffer, so the producer is still running while the test looks at it. */
    private static final int LARGE_FILE_SIZE = 8 * 1024 * 1024;

    @TempDir
    Path base;

    @TempDir
    Path elsewhere;

    private void writeLargeFile(String name) throws IOException {
        byte[] content = new byte[LARGE_FILE_SIZE];
        new Random(42).nextBytes(content);
        Files.write(base.resolve(name), content);
    }

    @Test
    void streamsTheSameBytesAsWriteTo() throws Exception {
        writeLargeFile("a.bin");
        Files.writeString(base.resolve("composer.json"), "{}");
        BuildContext context = new BuildContext(base, DockerIgnore.empty(), Map.of());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BuildContextStats expectedStats = context.writeTo(expected);

        try (BuildContextStream stream = context.openStream()) {
            assertArrayEquals(expected.toByteArray(), stream.readAllBytes());
            assertEquals(-1, stream.read());
            assertEquals(expectedStats, stream.awaitStats());
        }
    }

    /**
     * docker-java's transport reads 4 KB at a time, and the threads hand over in batches of a
     * quarter buffer: small, slow reads must neither lose nor reorder bytes, nor stall the producer
     * (a wake-up lost between the two thresholds would hang this test).
     */
    @Test
    void slowFourKilobyteReadsSeeTheSameArchive() throws Exception {
        writeLargeFile("a.bin");
        writeLargeFile("b.bin");
        BuildContext context = new BuildContext(base, DockerIgnore.empty(), Map.of());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        context.writeTo(expected);

        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try (BuildContextStream stream = context.openStream()) {
            int read;
            int reads = 0;
            while ((read = stream.read(chunk, 0, chunk.length)) != -1) {
                actual.write(chunk, 0, read);
                if (++reads % 256 == 0) {
                    Thread.sleep(1); // a reader slower than the producer, so the buffer fills up
                }
            }
            stream.awaitStats();
        }
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void producerFailureSurfacesToTheReaderInsteadOfATruncatedTar() throws Exception {
        writeLargeFile("a.bin");
        Path missingOverlay = elsewhere.resolve("never-rendered");
        BuildContext context = new BuildContext(base, DockerIgnore.empty(), Map.of("z/Dockerfile", missingOverlay));

        try (BuildContextStream stream = context.openStream()) {
            IOException error = assertThrows(IOException.class, stream::readAllBytes);

            assertTrue(error.getMessage().contains(missingOverlay.toString()), error.getMessage());
            assertThrows(IOException.class, stream::read, "still failing on later reads");
            assertThrows(IOException.class, stream::awaitStats);
        }
    }

    @Test
    void closingEarlyStopsTheNamedDaemonProducer() throws Exception {
        writeLargeFile("a.bin");
        BuildContextStream stream = new BuildContext(base, DockerIgnore.empty(), Map.of()).openStream();
        assertEquals(1024, stream.readNBytes(1024).length);
        Thread producer = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(BuildContextStream.PRODUCER_THREAD_NAME) && thread.isAlive())
                .findFirst()
                .orElseThrow();
        assertTrue(producer.isDaemon());

        stream.close();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(IOException.class, stream::awaitStats));
        assertFalse(producer.isAlive());
        assertThrows(IOException.class, stream::read);
    }

    @Test
    void singleByteReadsSeeTheSameArchive() throws Exception {
        Files.writeString(base.resolve("index.php"), "<?php echo 'hi';");
        BuildContext context = new BuildContext(base, DockerIgnore.empty(), Map.of());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        context.writeTo(expected);

        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        try (InputStream stream = context.openStream()) {
            for (int value = stream.read(); value >= 0; value = stream.read()) {
                actual.write(value);
            }
        }
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }
}
