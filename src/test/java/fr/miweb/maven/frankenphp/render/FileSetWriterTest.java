package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSetWriterTest {

    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

    @TempDir
    Path directory;

    private static RenderedFile file(String path, String text) {
        return new RenderedFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String path) throws IOException {
        return Files.readString(directory.resolve(path), StandardCharsets.UTF_8);
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> p.getFileName().toString().contains("frankenphp-tmp")).toList();
        }
    }

    @Test
    void writesEveryFileCreatingDirectories() throws Exception {
        FileSetWriter.Result result = FileSetWriter.write(directory,
                List.of(file("Dockerfile", "FROM a\n"), file("docker/php/php.ini", "memory_limit = 512M\n")));

        assertEquals("FROM a\n", read("Dockerfile"));
        assertEquals("memory_limit = 512M\n", read("docker/php/php.ini"));
        assertEquals(List.of("Dockerfile", "docker/php/php.ini"), result.written());
        assertEquals(List.of(), result.unchanged());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void replacesAFileByRenamingNotByWritingIntoIt() throws Exception {
        // A hard link shares the old inode: an in-place write would change it too, a rename leaves it alone,
        // so a reader never sees a half-written file.
        Files.writeString(directory.resolve("Dockerfile"), "FROM old\n");
        Files.createLink(directory.resolve("snapshot"), directory.resolve("Dockerfile"));

        FileSetWriter.write(directory, List.of(file("Dockerfile", "FROM new\n")));

        assertEquals("FROM new\n", read("Dockerfile"));
        assertEquals("FROM old\n", read("snapshot"));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void unchangedFileIsNotTouched() throws Exception {
        Path dockerfile = Files.writeString(directory.resolve("Dockerfile"), "FROM a\n");
        Files.setLastModifiedTime(dockerfile, OLD);

        FileSetWriter.Result result = FileSetWriter.write(directory, List.of(file("Dockerfile", "FROM a\n"), file("b", "b")));

        assertEquals(OLD, Files.getLastModifiedTime(dockerfile));
        assertEquals(List.of("Dockerfile"), result.unchanged());
        assertEquals(List.of("b"), result.written());
    }

    @Test
    void allOrNothingWhenTheThirdTargetCannotBeWritten() throws Exception {
        Path second = Files.writeString(directory.resolve("second"), "second v1\n");
        Files.setLastModifiedTime(second, OLD);
        // A non-empty directory where the third file goes: no rename can replace it.
        Files.createDirectories(directory.resolve("third/keep"));

        IOException failure = assertThrows(IOException.class, () -> FileSetWriter.write(directory,
                List.of(file("first", "first v2\n"), file("second", "second v2\n"), file("third", "third v2\n"))));

        assertTrue(failure.getMessage().contains("'third'"), failure.getMessage());
        assertFalse(Files.exists(directory.resolve("first")), "first must not be created");
        assertEquals("second v1\n", read("second"));
        assertEquals(OLD, Files.getLastModifiedTime(second));
        assertTrue(Files.isDirectory(directory.resolve("third/keep")));
        assertEquals(List.of(), leftovers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "docker/../../escape", "/tmp/escape", "", "."})
    void refusesPathsOutsideTheDirectoryAndWritesNothing(String path) throws Exception {
        Path outside = directory.resolve("out");
        Files.createDirectories(outside);

        IOException failure = assertThrows(IOException.class, () -> FileSetWriter.write(outside,
                List.of(file("first", "first\n"), file(path, "escaped\n"))));

        assertTrue(failure.getMessage().contains("outside"), failure.getMessage());
        assertFalse(Files.exists(directory.resolve("escape")));
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(List.of(), files.toList(), "nothing written, no temporary file left");
        }
    }
}
