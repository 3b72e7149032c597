package fr.miweb.maven.frankenphp.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Opening a file that was a regular file a moment ago, as the build context and the committed-copy checks do
 * (issue 11, items 16 and 19): if it was swapped for a link or a FIFO in between, the open neither follows the
 * link nor blocks.
 */
class ProjectFilesTest {

    @TempDir
    Path directory;

    private Path fifo(String name) throws Exception {
        Path fifo = directory.resolve(name);
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        return fifo;
    }

    @Test
    void aRegularFileIsOpened() throws Exception {
        Path file = Files.writeString(directory.resolve("Dockerfile"), "FROM scratch\n");
        try (InputStream in = ProjectFiles.openRegularFile(file, ProjectFiles.OPEN_TIMEOUT)) {
            assertArrayEquals("FROM scratch\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }

    /** The open itself refuses the link: checking the type first and then opening by name would read the target. */
    @Test
    void aFileSwappedForALinkIsNotFollowed() throws Exception {
        Path secret = Files.writeString(directory.resolve("environ"), "FRANKENPHP_REGISTRY_PASSWORD=canary-7f3a\n");
        Path file = directory.resolve("Dockerfile");
        Files.createSymbolicLink(file, secret);

        IOException error = assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(file, ProjectFiles.OPEN_TIMEOUT));
        assertTrue(error.getMessage().contains("is a symbolic link, not read"), error.getMessage());
        assertFalse(error.getMessage().contains("canary"), error.getMessage());
    }

    /** Opening a FIFO for reading blocks until a writer comes: the open gives up after its timeout instead. */
    @Test
    void aFileSwappedForAFifoDoesNotBlock() throws Exception {
        Path fifo = fifo("composer.json");

        long start = System.nanoTime();
        IOException error = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(fifo, Duration.ofMillis(300))));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertTrue(error.getMessage().contains("FIFO") && error.getMessage().contains("composer.json"), error.getMessage());
        assertTrue(millis < 5_000, "gave up after " + millis + " ms");
        // The stuck opener was released: nothing reads the FIFO any more, so opening it for writing blocks
        // (timeout's 124) instead of meeting a parked reader.
        Thread.sleep(500);
        assertEquals(124, new ProcessBuilder("timeout", "1", "sh", "-c", ": > \"$0\"", fifo.toString()).start().waitFor(),
                "a reader is still parked on the FIFO");
        assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(fifo, Duration.ofMillis(300)));
        assertEquals(ProjectFiles.Kind.OTHER, ProjectFiles.kind(fifo));
    }

    /**
     * The release of a stuck opener must not block the caller either: here the FIFO the opener waits on is
     * replaced by another FIFO, which nobody reads, so opening the path for writing would block.
     */
    @Test
    void aFifoSwappedAgainWhileItsOpenIsStuckDoesNotBlockTheCaller() throws Exception {
        Path fifo = fifo("package.json");
        Path other = fifo("other");
        Thread swapAgain = new Thread(() -> {
            try {
                Thread.sleep(150);
                Files.move(other, fifo, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        swapAgain.start();

        assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> ProjectFiles.openRegularFile(fifo, Duration.ofMillis(400))));
        swapAgain.join();
    }

    @Test
    void readRegularFileRefusesAFifoWithoutBlocking() throws Exception {
        Path fifo = fifo("DEPLOY.md");

        IOException error = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> ProjectFiles.readRegularFile(fifo)));
        assertTrue(error.getMessage().contains("not read"), error.getMessage());
    }
}
