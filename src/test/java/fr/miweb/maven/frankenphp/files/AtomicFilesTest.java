package fr.miweb.maven.frankenphp.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFileBehind(@TempDir Path directory) throws Exception {
        Path target = directory.resolve("sub/image.json");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertEquals("new", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(java.util.List.of(target), files.toList());
        }
    }

    @Test
    void aStagedFileIsRecognisedAsTemporaryAndItsTargetIsNot(@TempDir Path directory) throws Exception {
        Path target = directory.resolve("Dockerfile");
        Path staged = AtomicFiles.stage(target, "FROM scratch\n".getBytes(StandardCharsets.UTF_8));

        assertTrue(AtomicFiles.isTemporary(staged), staged.toString());
        assertFalse(AtomicFiles.isTemporary(target));
        assertFalse(Files.exists(target), "staging does not touch the target");
        AtomicFiles.moveIntoPlace(staged, target);
        assertEquals("FROM scratch\n", Files.readString(target));
        assertFalse(Files.exists(staged));
    }
}
