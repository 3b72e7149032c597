package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output directory holds more than this render: only this render's files may reach the image. */
class RenderedOverlaysTest {

    private static final List<String> RENDERED =
            List.of(".dockerignore", "DEPLOY.md", "Dockerfile", "docker-compose.prod.yml", "docker/php/php.ini");
    private static final DockerIgnore IGNORE = DockerIgnore.parse("DEPLOY.md\ndocker-compose.prod.yml\n");

    @TempDir
    Path root;

    Path output;

    @BeforeEach
    void render() throws IOException {
        output = Files.createDirectories(root.resolve("target/frankenphp"));
        for (String name : RENDERED) {
            write(output.resolve(name), "rendered " + name + "\n");
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void theFilesOfThisRenderThatTheIgnoreRulesKeep() throws IOException {
        // Left by an earlier render, by another tool, and by build itself.
        write(output.resolve("docker/old-entrypoint.sh"), "stale\n");
        write(output.resolve("notes.txt"), "dropped here\n");
        write(output.resolve("image.json"), "{}\n");

        Map<String, Path> overlays = RenderedOverlays.select(output, RENDERED, IGNORE);

        assertEquals(List.of(".dockerignore", "Dockerfile", "docker/php/php.ini"), List.copyOf(overlays.keySet()));
        assertEquals(output.resolve("docker/php/php.ini"), overlays.get("docker/php/php.ini"));
    }

    @Test
    void aRenderedFileReplacedByALinkIsRefusedNotFollowed() throws IOException {
        Path secret = Files.writeString(root.resolve("environ"), "CANARY-OVERLAY\n");
        Files.delete(output.resolve("docker/php/php.ini"));
        Files.createSymbolicLink(output.resolve("docker/php/php.ini"), secret);

        IOException error = assertThrows(IOException.class, () -> RenderedOverlays.select(output, RENDERED, IGNORE));
        assertTrue(error.getMessage().contains("docker/php/php.ini"), error.getMessage());
        assertTrue(error.getMessage().contains("symbolic link"), error.getMessage());
        assertFalse(error.getMessage().contains("CANARY"), error.getMessage());
    }

    /** The walk of the output directory never entered a linked directory; resolving names must not either. */
    @Test
    void aDirectoryOnTheWayThatIsALinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere/php"));
        Files.writeString(elsewhere.resolve("php.ini"), "CANARY-DIRECTORY\n");
        Path docker = output.resolve("docker");
        try (var files = Files.walk(docker)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.createSymbolicLink(docker, root.resolve("elsewhere"));

        IOException error = assertThrows(IOException.class, () -> RenderedOverlays.select(output, RENDERED, IGNORE));
        assertTrue(error.getMessage().startsWith("docker in "), error.getMessage());
    }

    @Test
    void aRenderedFileThatIsMissingAsksForGenerate() throws IOException {
        Files.delete(output.resolve("docker/php/php.ini"));

        IOException error = assertThrows(IOException.class, () -> RenderedOverlays.select(output, RENDERED, IGNORE));
        assertTrue(error.getMessage().contains("docker/php/php.ini"), error.getMessage());
        assertTrue(error.getMessage().contains("frankenphp:generate"), error.getMessage());
    }

    @Test
    void theDockerfileAndDockerignoreGoEvenWhenIgnored() throws IOException {
        Map<String, Path> overlays = RenderedOverlays.select(output, RENDERED, DockerIgnore.parse("*\n**\n"));

        assertEquals(List.of(".dockerignore", "Dockerfile"), List.copyOf(overlays.keySet()));
    }

    /** End to end with the context: a stale file in the output directory is not in the tar. */
    @Test
    void aStaleFileNeverReachesTheContext() throws IOException {
        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("composer.json"), "{}\n");
        write(output.resolve("docker/old-entrypoint.sh"), "STALE-ENTRYPOINT\n");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new BuildContext(project, IGNORE, RenderedOverlays.select(output, RENDERED, IGNORE)).writeTo(tar);

        String archived = tar.toString(StandardCharsets.ISO_8859_1);
        assertTrue(archived.contains("rendered docker/php/php.ini"));
        assertFalse(archived.contains("STALE-ENTRYPOINT"));
        assertFalse(archived.contains("old-entrypoint.sh"));
    }
}
