package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterTest {

    private static final String DOCKERFILE_V1 = "FROM a\nRUN one\nRUN two\nRUN three\nRUN four\nRUN five\nRUN six\nCMD [\"x\"]\n";
    private static final String DOCKERFILE_V2 = "FROM b\nRUN one\nRUN two\nRUN three\nRUN four\nRUN five\nRUN six\nCMD [\"y\"]\n";

    @TempDir
    Path project;

    private static RenderedFile file(String path, String text) {
        return new RenderedFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<RenderedFile> release(String dockerfile) {
        return List.of(file("Dockerfile", dockerfile), file("docker-compose.prod.yml", "services: {}\n"),
                file("docker/php/php.ini", "memory_limit = 512M\n"));
    }

    private String read(String path) throws IOException {
        return Files.readString(project.resolve(path), StandardCharsets.UTF_8);
    }

    private void edit(String path, String text) throws IOException {
        Files.writeString(project.resolve(path), text, StandardCharsets.UTF_8);
    }

    @Test
    void firstExportWritesTheFilesAndAStateFileSha256sumCanCheck() throws Exception {
        FileSetWriter.Result result = Exporter.export(project, release(DOCKERFILE_V1), false);

        assertEquals(DOCKERFILE_V1, read("Dockerfile"));
        assertEquals("memory_limit = 512M\n", read("docker/php/php.ini"));
        assertTrue(result.written().contains(Exporter.STATE_FILE));
        Tools.assumeInstalled("sha256sum", "--version");
        Tools.Result check = Tools.run(project, List.of("sha256sum", "--check", "--strict", Exporter.STATE_FILE));
        assertEquals(0, check.exitCode(), check::describe);
        assertEquals(3, check.stdout().lines().filter(l -> l.endsWith(": OK")).count(), check::describe);
    }

    @Test
    void laterExportUpdatesFilesThePluginWrote() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);

        FileSetWriter.Result result = Exporter.export(project, release(DOCKERFILE_V2), false);

        assertEquals(DOCKERFILE_V2, read("Dockerfile"));
        assertEquals(List.of("Dockerfile", Exporter.STATE_FILE), result.written());
    }

    @Test
    void refusesToOverwriteAHandWrittenFileAndWritesNothing() throws Exception {
        edit("Dockerfile", "FROM php:8.2-fpm\n# the team's original\n");

        Exporter.HandEditedFilesException refusal = assertThrows(Exporter.HandEditedFilesException.class,
                () -> Exporter.export(project, release(DOCKERFILE_V1), false));

        assertEquals(List.of("Dockerfile"), refusal.files());
        assertTrue(refusal.getMessage().contains("Dockerfile"), refusal.getMessage());
        assertEquals("FROM php:8.2-fpm\n# the team's original\n", read("Dockerfile"));
        assertFalse(Files.exists(project.resolve("docker-compose.prod.yml")));
        assertFalse(Files.exists(project.resolve(Exporter.STATE_FILE)));
    }

    @Test
    void aFileAlreadyEqualToTheRenderingIsNotHandEdited() throws Exception {
        edit("Dockerfile", DOCKERFILE_V1);

        Exporter.export(project, release(DOCKERFILE_V1), false);

        assertEquals(DOCKERFILE_V1, read("Dockerfile"));
    }

    @Test
    void refusesFilesEditedSinceTheLastExportListsThemAndWritesNothing() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        edit("docker-compose.prod.yml", "services: {app: {image: hand}}\n");
        edit("docker/php/php.ini", "memory_limit = 2G\n");
        byte[] state = Files.readAllBytes(project.resolve(Exporter.STATE_FILE));

        Exporter.HandEditedFilesException refusal = assertThrows(Exporter.HandEditedFilesException.class,
                () -> Exporter.export(project, release(DOCKERFILE_V2), false));

        assertEquals(List.of("docker-compose.prod.yml", "docker/php/php.ini"), refusal.files());
        assertTrue(refusal.getMessage().contains("docker-compose.prod.yml, docker/php/php.ini were changed by hand"),
                refusal.getMessage());
        assertEquals(DOCKERFILE_V1, read("Dockerfile"), "the unedited file is not updated either");
        assertEquals("memory_limit = 2G\n", read("docker/php/php.ini"));
        assertArrayEquals(state, Files.readAllBytes(project.resolve(Exporter.STATE_FILE)));
    }

    @Test
    void forceOverwritesHandEditedFilesAndRecordsTheNewState() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        edit("docker/php/php.ini", "memory_limit = 2G\n");
        edit("Dockerfile", "FROM hand\n");

        Exporter.export(project, release(DOCKERFILE_V2), true);

        assertEquals(DOCKERFILE_V2, read("Dockerfile"));
        assertEquals("memory_limit = 512M\n", read("docker/php/php.ini"));
        FileSetWriter.Result again = Exporter.export(project, release(DOCKERFILE_V2), false);
        assertEquals(List.of(), again.written(), "the forced export recorded what it wrote");
    }

    @Test
    void noDriftWhenTheCommittedFilesMatch() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);

        assertEquals(List.of(), Exporter.drift(project, release(DOCKERFILE_V1)));
    }

    @Test
    void driftReportsMissingAndChangedFilesWithAUnifiedDiff() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        Files.delete(project.resolve("docker/php/php.ini"));

        List<Exporter.Drift> drifts = Exporter.drift(project, release(DOCKERFILE_V2));

        assertEquals(List.of("Dockerfile", "docker/php/php.ini"), drifts.stream().map(Exporter.Drift::relativePath).toList());
        Exporter.Drift missing = drifts.get(1);
        assertTrue(missing.missing());
        Exporter.Drift changed = drifts.get(0);
        assertFalse(changed.missing());
        // Two hunks: each changed line with two lines of context; the unchanged middle is elided.
        assertEquals("""
                --- Dockerfile (committed)
                +++ Dockerfile (rendered from the pom)
                -FROM a
                +FROM b
                 RUN one
                 RUN two
                @@ ... @@
                 RUN five
                 RUN six
                -CMD ["x"]
                +CMD ["y"]
                """, changed.diff());
    }

    // ------------------------------------------------ links and special files in place of committed copies

    private static final String CANARY = "CanaryCommittedLink-9f31c7";

    @TempDir
    Path elsewhere;

    @Test
    void driftNamesALinkInPlaceOfACommittedFileWithoutReadingOrShowingItsTarget() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        Path secret = Files.writeString(elsewhere.resolve("config.json"), "{\"auths\": \"" + CANARY + "\"}\n");
        Files.delete(project.resolve("Dockerfile"));
        Files.createSymbolicLink(project.resolve("Dockerfile"), secret);

        List<Exporter.Drift> drifts = Exporter.drift(project, release(DOCKERFILE_V1));

        assertEquals(1, drifts.size(), drifts::toString);
        Exporter.Drift link = drifts.get(0);
        assertEquals("Dockerfile is a symbolic link, not read", link.describe());
        assertFalse(link.missing());
        assertFalse(drifts.toString().contains(CANARY), drifts::toString);
        assertFalse(drifts.toString().contains(elsewhere.toString()), "the link's target is not shown either");
    }

    @Test
    void driftNamesALinkToProcSelfEnvironWithoutPrintingTheEnvironment() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/environ")), "Linux /proc");
        String someVariable = System.getenv().keySet().stream().findFirst().orElseThrow();
        Files.createSymbolicLink(project.resolve("Dockerfile"), Path.of("/proc/self/environ"));

        List<Exporter.Drift> drifts = Exporter.drift(project, release(DOCKERFILE_V1));

        assertEquals("Dockerfile is a symbolic link, not read", drifts.get(0).describe());
        assertFalse(drifts.toString().contains(someVariable + "="), drifts::toString);
    }

    @Test
    void driftNamesAFifoADirectoryAndALinkedDirectoryWithoutBlockingOrReading() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        Tools.assumeInstalled("mkfifo", "--version");
        Files.delete(project.resolve("Dockerfile"));
        Tools.Result mkfifo = Tools.run(project, List.of("mkfifo", "Dockerfile"));
        assertEquals(0, mkfifo.exitCode(), mkfifo::describe);
        Files.delete(project.resolve("docker-compose.prod.yml"));
        Files.createDirectory(project.resolve("docker-compose.prod.yml"));
        // A directory on the way that leads outside: docker/ -> elsewhere, which has php/php.ini.
        Files.createDirectories(elsewhere.resolve("php"));
        Files.writeString(elsewhere.resolve("php/php.ini"), CANARY + "\n");
        deleteTree(project.resolve("docker"));
        Files.createSymbolicLink(project.resolve("docker"), elsewhere);

        List<Exporter.Drift> drifts = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Exporter.drift(project, release(DOCKERFILE_V1)), "opening the FIFO would block");

        assertEquals(List.of(
                "Dockerfile is not a regular file (a FIFO, socket or device), not read",
                "docker-compose.prod.yml is a directory, not read",
                "docker/php/php.ini is below docker, a symbolic link leading outside the project, not read"),
                drifts.stream().map(Exporter.Drift::describe).toList());
        assertFalse(drifts.toString().contains(CANARY), drifts::toString);
    }

    @Test
    void exportReplacesALinkInPlaceOfAFileOnlyWhenForcedAndNeverWritesThroughIt() throws Exception {
        // The link's target even holds the rendered content: the link must still not be kept or followed.
        Path outside = Files.writeString(elsewhere.resolve("Dockerfile"), DOCKERFILE_V1);
        Files.createSymbolicLink(project.resolve("Dockerfile"), outside);

        Exporter.HandEditedFilesException refusal = assertThrows(Exporter.HandEditedFilesException.class,
                () -> Exporter.export(project, release(DOCKERFILE_V1), false));
        assertEquals(List.of("Dockerfile"), refusal.files());
        assertTrue(Files.isSymbolicLink(project.resolve("Dockerfile")));

        Exporter.export(project, release(DOCKERFILE_V2), true);

        assertFalse(Files.isSymbolicLink(project.resolve("Dockerfile")), "the link is replaced by a file");
        assertEquals(DOCKERFILE_V2, read("Dockerfile"));
        assertEquals(DOCKERFILE_V1, Files.readString(outside), "nothing is written through the link");
        assertEquals(List.of(), Exporter.drift(project, release(DOCKERFILE_V2)));
    }

    @Test
    void aLinkInPlaceOfTheExportRecordIsNotReadAsOne() throws Exception {
        Exporter.export(project, release(DOCKERFILE_V1), false);
        // A record, elsewhere, that would vouch for a hand-written Dockerfile.
        String forged = Exporter.sha256("FROM evil\n".getBytes(StandardCharsets.UTF_8)) + "  Dockerfile\n";
        Path record = Files.writeString(elsewhere.resolve("record"), forged);
        Files.delete(project.resolve(Exporter.STATE_FILE));
        Files.createSymbolicLink(project.resolve(Exporter.STATE_FILE), record);
        edit("Dockerfile", "FROM evil\n");

        assertThrows(Exporter.HandEditedFilesException.class, () -> Exporter.export(project, release(DOCKERFILE_V2), false));
        assertEquals("FROM evil\n", read("Dockerfile"));
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
