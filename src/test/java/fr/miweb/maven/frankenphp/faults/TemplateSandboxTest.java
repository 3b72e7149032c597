package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.Exporter;
import fr.miweb.maven.frankenphp.render.FileSetWriter;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import fr.miweb.maven.frankenphp.render.TemplateFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's override templates are code from the project, but they must not become a way to run commands, read
 * files outside the template directory, or write outside the output (or project) directory.
 */
class TemplateSandboxTest {

    @TempDir
    Path directory;

    private Path templates;
    private Path outside;
    private Path marker;

    @BeforeEach
    void layout() throws IOException {
        templates = Files.createDirectories(directory.resolve("project/src/main/frankenphp"));
        outside = directory.resolve("outside-secret.txt");
        Files.writeString(outside, "OUTSIDE-CANARY-7f3a\n");
        marker = directory.resolve("executed-marker");
    }

    private List<RenderedFile> render() throws Exception {
        return DeploymentFiles.render(new ConfigBuilder(directory.resolve("project")).build(), templates, "test");
    }

    private TemplateFailureException refused(String template, String content) throws IOException {
        Path file = templates.resolve(template);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return assertThrows(TemplateFailureException.class, this::render);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "freemarker.template.utility.Execute",
            "freemarker.template.utility.ObjectConstructor",
            "freemarker.template.utility.JythonRuntime"})
    void newOnAClassThatRunsCodeIsRefusedAndRunsNothing(String className) throws IOException {
        TemplateFailureException failure = refused("DEPLOY.md.ftl",
                "<#assign run = \"" + className + "\"?new()>[=run(\"touch " + marker + "\")]\n");
        assertTrue(failure.getMessage().contains("'DEPLOY.md.ftl' (" + templates.resolve("DEPLOY.md.ftl") + ")"), failure::getMessage);
        assertTrue(failure.getMessage().contains("line 1"), failure::getMessage);
        assertTrue(failure.getMessage().contains(className), failure::getMessage);
        assertFalse(Files.exists(marker), "the template ran a command");
    }

    @Test
    void apiBuiltInIsOff() throws IOException {
        TemplateFailureException failure = refused("DEPLOY.md.ftl", "[=image.registry?api.getClass()]\n");
        assertTrue(failure.getMessage().contains("DEPLOY.md.ftl"), failure::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../outside-secret.txt", "/../../outside-secret.txt", "../../../outside-secret.txt"})
    void includeCannotLeaveTheTemplateDirectory(String path) throws Exception {
        assertNothingFromOutside(() -> refused("DEPLOY.md.ftl", "<#include \"" + path + "\">\n"));
    }

    @Test
    void includeByAbsolutePathCannotReadTheFileSystem() throws Exception {
        assertNothingFromOutside(() -> refused("DEPLOY.md.ftl", "<#include \"" + outside + "\">\n"));
    }

    @Test
    void aSymbolicLinkInTheTemplateDirectoryCannotReadOutsideIt() throws Exception {
        Files.createSymbolicLink(templates.resolve("leak.txt"), outside);
        assertNothingFromOutside(() -> refused("DEPLOY.md.ftl", "<#include \"leak.txt\">\n"));
        Files.delete(templates.resolve("leak.txt"));
        // A template that is itself a link to a file outside.
        Files.createSymbolicLink(templates.resolve("leak.md.ftl"), outside);
        assertNothingFromOutside(() -> assertThrows(Exception.class, this::render));
    }

    @Test
    void importAndInterpretCannotReachOutsideEither() throws Exception {
        assertNothingFromOutside(() -> refused("DEPLOY.md.ftl", "<#import \"../../outside-secret.txt\" as x>\n"));
        assertNothingFromOutside(() -> refused("DEPLOY.md.ftl",
                "<#assign t = \"<#include '../../outside-secret.txt'>\"?interpret><@t/>\n"));
    }

    /** Any outcome is fine as long as nothing rendered contains the outside file's content. */
    private void assertNothingFromOutside(ThrowingAction action) throws Exception {
        Object result = action.run();
        String text = String.valueOf(result instanceof Throwable t ? t.getMessage() : result);
        assertFalse(text.contains("OUTSIDE-CANARY"), text);
        try (Stream<Path> files = Files.walk(directory.resolve("project"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !Files.isSymbolicLink(f)).toList()) {
                assertFalse(Files.readString(file).contains("OUTSIDE-CANARY"), file::toString);
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {
        Object run() throws Exception;
    }

    // ---------------------------------------------------------------------------------- output paths

    /** Template names whose output would be the directory itself, its parent, or outside it. */
    @ParameterizedTest
    @ValueSource(strings = {"..ftl", "...ftl", "docker/...ftl", "docker/..ftl"})
    void templateNamesThatEscapeTheOutputDirectoryAreRefused(String name) throws Exception {
        Path output = Files.createDirectories(directory.resolve("project/target/frankenphp"));
        Path template = templates.resolve(name);
        Files.createDirectories(template.getParent());
        Files.writeString(template, "escaped\n");
        Exception failure = assertThrows(Exception.class, () -> FileSetWriter.write(output, render()));
        assertTrue(failure instanceof TemplateFailureException || failure instanceof IOException, failure::toString);
        assertTrue(failure.getMessage().contains("outside"), failure::getMessage);
        try (Stream<Path> files = Files.walk(directory)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("escaped")), "an escaping file was written");
        }
        assertEquals(0, countFiles(output));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escaped", "/tmp/escaped", "docker/../../escaped", "a/b/../../../escaped", ""})
    void outputPathsThatEscapeAreRefusedByTheWriter(String path) throws Exception {
        Path output = Files.createDirectories(directory.resolve("out"));
        Files.writeString(output.resolve("kept"), "kept\n");
        IOException failure = assertThrows(IOException.class, () -> FileSetWriter.write(output,
                List.of(new RenderedFile("first", "1\n".getBytes()), new RenderedFile(path, "escaped\n".getBytes()))));
        assertTrue(failure.getMessage().contains("outside"), failure::getMessage);
        assertFalse(Files.exists(directory.resolve("escaped")));
        assertFalse(Files.exists(output.resolve("first")), "all or nothing: the first file was written");
    }

    /** A directory of the output (or of a project being exported into) that is a link leading elsewhere. */
    @Test
    void aSymbolicLinkInTheOutputDirectoryDoesNotLeadTheWriterOutside() throws Exception {
        Path output = Files.createDirectories(directory.resolve("project/target/frankenphp"));
        Path elsewhere = Files.createDirectories(directory.resolve("elsewhere"));
        Files.createSymbolicLink(output.resolve("docker"), elsewhere);
        IOException failure = assertThrows(IOException.class, () -> FileSetWriter.write(output, render()));
        assertTrue(failure.getMessage().contains("Refusing to write 'docker/"), failure::getMessage);
        assertEquals(0, countFiles(elsewhere), "a file was written through the link");
        assertFalse(Files.exists(output.resolve("Dockerfile")), "all or nothing");
    }

    @Test
    void exportIntoAProjectWhoseDirectoryIsALinkOutsideIsRefused() throws Exception {
        Path project = directory.resolve("project");
        Path elsewhere = Files.createDirectories(directory.resolve("elsewhere"));
        Files.createSymbolicLink(project.resolve("docker"), elsewhere);
        IOException failure = assertThrows(IOException.class, () -> Exporter.export(project, render(), false));
        assertTrue(failure.getMessage().contains("Refusing to write 'docker/"), failure::getMessage);
        assertEquals(0, countFiles(elsewhere));
        assertFalse(Files.exists(project.resolve("Dockerfile")));
    }

    /** A link planted where the writer stages its temporary file is replaced, never written through. */
    @Test
    void aLinkPlantedAtTheTemporaryFileIsNotFollowed() throws Exception {
        Path output = Files.createDirectories(directory.resolve("out"));
        Path victim = directory.resolve("victim.txt");
        Files.writeString(victim, "victim\n");
        Files.createSymbolicLink(output.resolve("Dockerfile.frankenphp-tmp"), victim);
        FileSetWriter.write(output, List.of(new RenderedFile("Dockerfile", "FROM scratch\n".getBytes())));
        assertEquals("victim\n", Files.readString(victim));
        assertEquals("FROM scratch\n", Files.readString(output.resolve("Dockerfile")));
    }

    /** The plugin never writes a dotenv file: an override template that would is refused. */
    @ParameterizedTest
    @ValueSource(strings = {".env.ftl", ".env.production.ftl", "config/.env.local.ftl"})
    void templatesProducingDotenvFilesAreRefused(String name) throws Exception {
        TemplateFailureException failure = refused(name, "DB_PASSWORD=leak\n");
        assertTrue(failure.getMessage().contains(name), failure::getMessage);
        assertTrue(failure.getMessage().contains(".env"), failure::getMessage);
    }

    private static long countFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
