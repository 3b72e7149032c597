package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.FileSetWriter;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import fr.miweb.maven.frankenphp.render.TemplateFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation writes every file or none: a failure in the third template, or while writing the sixth file, leaves
 * the output directory exactly as it was (content and modification times), with no temporary file behind.
 */
class AllOrNothingGenerationTest {

    @TempDir
    Path directory;

    /** The output of an earlier, successful generation. */
    private Path previousOutput(Path templates) throws Exception {
        Path output = directory.resolve("project/target/frankenphp");
        FileSetWriter.write(output, DeploymentFiles.render(new ConfigBuilder(directory.resolve("project")).build(), templates, "1"));
        // Old times, so that a rewrite would show.
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
            }
        }
        return output;
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> !p.equals(root)).toList()) {
                String kind = Files.isDirectory(file) ? "dir" : Files.readString(file) + "@" + Files.getLastModifiedTime(file).toMillis();
                state.put(root.relativize(file).toString(), kind);
            }
        }
        return state;
    }

    @Test
    void aFailureInTheThirdTemplateLeavesTheEarlierOutputsAsTheyWere() throws Exception {
        Path templates = Files.createDirectories(directory.resolve("project/src/main/frankenphp"));
        Path output = previousOutput(templates);
        Map<String, String> before = snapshot(output);

        // Rendered in this order: Dockerfile, docker-compose.prod.yml, docker/php/php.ini (the third), ...
        ConfigBuilder changed = new ConfigBuilder(directory.resolve("project"));
        changed.workers = "8";
        Files.createDirectories(templates.resolve("docker/php"));
        Files.writeString(templates.resolve("docker/php/php.ini.ftl"), "memory_limit = [=php.ini.no_such_directive]\n");
        TemplateFailureException failure = assertThrows(TemplateFailureException.class, () -> {
            List<RenderedFile> files = DeploymentFiles.render(changed.build(), templates, "2");
            FileSetWriter.write(output, files);
        });
        assertTrue(failure.getMessage().contains("php.ini.ftl"), failure::getMessage);
        assertEquals(before, snapshot(output));
    }

    @Test
    void aFileThatCannotBeReplacedLeavesEveryOtherFileAsItWas() throws Exception {
        Path templates = directory.resolve("project/src/main/frankenphp");
        Path output = previousOutput(templates);
        // The last file written (docker/php/php.ini sorts last) cannot be replaced: a directory is in its place.
        Files.delete(output.resolve("docker/php/php.ini"));
        Files.createDirectories(output.resolve("docker/php/php.ini/in-the-way"));
        Map<String, String> before = snapshot(output);

        ConfigBuilder changed = new ConfigBuilder(directory.resolve("project"));
        changed.workers = "8";
        changed.ini.put("memory_limit", "1G");
        List<RenderedFile> files = DeploymentFiles.render(changed.build(), templates, "2");
        IOException failure = assertThrows(IOException.class, () -> FileSetWriter.write(output, files));
        assertTrue(failure.getMessage().contains("docker/php/php.ini"), failure::getMessage);
        assertEquals(before, snapshot(output), "some files were replaced, others not");
    }

    @Test
    void aSuccessfulGenerationTouchesOnlyWhatChanged() throws Exception {
        Path templates = directory.resolve("project/src/main/frankenphp");
        Path output = previousOutput(templates);
        Map<String, String> before = snapshot(output);
        ConfigBuilder changed = new ConfigBuilder(directory.resolve("project"));
        changed.ini.put("memory_limit", "1G");
        FileSetWriter.Result result = FileSetWriter.write(output, DeploymentFiles.render(changed.build(), templates, "1"));
        assertEquals(List.of("docker/php/php.ini"), result.written());
        Map<String, String> after = snapshot(output);
        before.keySet().stream().filter(k -> !k.equals("docker/php/php.ini")).forEach(k -> assertEquals(before.get(k), after.get(k), k));
    }
}
