package fr.miweb.maven.frankenphp.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a file that was a regular file a moment ago, as the build context and the committed-copy checks do:
 * if it was swapped for a link or a FIFO in between, the open must neither follow the link nor block.
 */
class ProjectFilesTest {

    @TempDir
    Path directory;

    @Test
    void aRegularFileIsOpened() throws Exception {
        Path file = Files.writeString(directory.resolve("Dockerfile"), "FROM scratch\n");
        try (InputStream in = ProjectFiles.openRegularFile(file)) {
            assertArrayEquals("FROM scratch\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }

    /** The open itself refuses the link: checking the type first and opening by name would read the target. */
    @Test
    void aFileSwappedForALinkIsNotFollowed() throws Exception {
        Path secret = Files.writeString(directory.resolve("environ"), "FRANKENPHP_REGISTRY_PASSWORD=canary-7f3a\n");
        Path file = directory.resolve("Dockerfile");
        Files.createSymbolicLink(file, secret);

        IOException error = assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(file));
        assertTrue(error.getMessage().contains("symbolic link"), error.getMessage());
        assertTrue(!error.getMessage().contains("canary"), error.getMessage());
    }

    /** Opening a FIFO for reading blocks until a writer comes: the open must give up instead. */
    @Test
    void aFileSwappedForAFifoDoesNotBlock() throws Exception {
        Path fifo = directory.resolve("composer.json");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");

        long start = System.nanoTime();
        IOException error = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(fifo, Duration.ofMillis(500))));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertTrue(error.getMessage().contains("FIFO"), error.getMessage());
        assertTrue(millis < 5_000, "gave up after " + millis + " ms");
        // And again: the first attempt released its thread (it was the FIFO's writer for a moment).
        assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(fifo, Duration.ofMillis(500)));
        assertEquals(ProjectFiles.Kind.OTHER, ProjectFiles.kind(fifo));
    }

    @Test
    void readRegularFileRefusesAFifoWithoutBlocking() throws Exception {
        Path fifo = directory.resolve("DEPLOY.md");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");

        IOException error = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> ProjectFiles.readRegularFile(fifo)));
        assertTrue(error.getMessage().contains("not read"), error.getMessage());
    }
}
