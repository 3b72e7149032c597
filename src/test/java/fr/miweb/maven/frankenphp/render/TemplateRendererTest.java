package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ProjectInfo;
import fr.miweb.maven.frankenphp.config.Records;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {

    @TempDir
    Path directory;

    private Path overrides;

    @BeforeEach
    void createOverrideDirectory() throws IOException {
        overrides = Files.createDirectories(directory.resolve("src/main/frankenphp"));
    }

    private Map<String, Object> data() {
        return TemplateData.of(TestConfigs.defaults(directory), "1.0.0");
    }

    private void template(String name, String content) throws IOException {
        Path file = overrides.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private Map<String, String> render(Map<String, Object> data) throws Exception {
        return new TemplateRenderer(overrides).render(data).stream()
                .collect(Collectors.toMap(RenderedFile::relativePath, RenderedFile::text));
    }

    private TemplateFailureException renderFails() {
        return assertThrows(TemplateFailureException.class, () -> new TemplateRenderer(overrides).render(data()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"image.json.ftl", "Dockerfile.frankenphp-tmp.ftl"})
    void templatesCannotTakeTheNamesOfThePluginsOwnFiles(String name) throws Exception {
        template(name, "{\"version\": \"latest\", \"imageId\": \"sha256:planted\"}\n");

        TemplateFailureException failure = renderFails();

        assertTrue(failure.getMessage().contains("'" + name + "'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("reserves"), failure.getMessage());
    }

    @Test
    void overrideReplacesABuiltInTemplateAndAddsExtraOnes() throws Exception {
        template("Dockerfile.ftl", "FROM [=image.baseImage]\n# the team's own Dockerfile\n");
        template("docker/entrypoint.sh.ftl", "#!/bin/sh\nprintf '%s\\n' [=quoteShell(project.name)]\n");

        Map<String, String> files = render(data());

        assertEquals("FROM dunglas/frankenphp:1-php8.4-bookworm\n# the team's own Dockerfile\n", files.get("Dockerfile"));
        assertTrue(files.containsKey("docker/entrypoint.sh"));
        assertTrue(files.keySet().containsAll(TemplateRenderer.BUILT_IN_OUTPUTS), "the other built-ins are still rendered");
        assertEquals(TemplateRenderer.BUILT_IN_OUTPUTS.size() + 1, files.size());
        assertEquals(List.of("Dockerfile.ftl"), new TemplateRenderer(overrides).overriddenTemplates());
    }

    @Test
    void anExtraShellTemplateQuotesHostileValuesForTheRealShell() throws Exception {
        Tools.assumeInstalled("/bin/sh", "-c", "true");
        template("docker/entrypoint.sh.ftl", "#!/bin/sh\nprintf '%s\\n' [=quoteShell(project.name)]\n");
        String name = "O'Neil $(touch pwned) `id` \"API\"";
        DeploymentConfig config = Records.with(TestConfigs.defaults(directory), "project",
                new ProjectInfo(directory, "api", "1.0.0", name));

        Files.writeString(directory.resolve("entrypoint.sh"), render(TemplateData.of(config, "1.0.0")).get("docker/entrypoint.sh"));
        Tools.Result result = Tools.run(directory, List.of("/bin/sh", "entrypoint.sh"));

        assertEquals(name + "\n", result.stdout(), result::describe);
        assertFalse(Files.exists(directory.resolve("pwned")));
    }

    @Test
    void unknownVariableNamesTheTemplateAndTheLine() throws Exception {
        template("Dockerfile.ftl", "FROM [=image.baseImage]\nRUN true\nEXPOSE [=octane.prot]\n");

        String message = renderFails().getMessage();

        assertTrue(message.contains("'Dockerfile.ftl'"), message);
        assertTrue(message.contains(overrides.resolve("Dockerfile.ftl").toString()), "the file to open: " + message);
        assertTrue(message.contains("line 3"), message);
        assertTrue(message.contains("prot"), message);
    }

    @Test
    void syntaxErrorNamesTheTemplateAndTheLine() throws Exception {
        template("docker/entrypoint.sh.ftl", "#!/bin/sh\n\n<#list>\n</#list>\n");

        String message = renderFails().getMessage();

        assertTrue(message.contains("'docker/entrypoint.sh.ftl'"), message);
        assertTrue(message.contains("syntax error at line 3"), message);
    }

    @Test
    void newBuiltInCannotRunACommand() throws Exception {
        Path marker = directory.resolve("executed");
        template("evil.txt.ftl", "[=\"freemarker.template.utility.Execute\"?new()(\"touch " + marker + "\")]\n");

        String message = renderFails().getMessage();

        assertFalse(Files.exists(marker), "the command ran");
        assertTrue(message.contains("'evil.txt.ftl'") && message.contains("line 1"), message);
    }

    @Test
    void newBuiltInCannotInstantiateAnyClass() throws Exception {
        template("evil.txt.ftl", "[=\"freemarker.template.utility.ObjectConstructor\"?new()(\"java.io.File\", \"/\")]\n");

        assertTrue(renderFails().getMessage().contains("'evil.txt.ftl'"));
    }

    @Test
    void apiBuiltInIsDisabled() throws Exception {
        template("evil.txt.ftl", "[=image?api.get(\"name\")]\n");

        String message = renderFails().getMessage();

        // Refused by the setting, not merely because the wrapped value happens to have no API.
        assertTrue(message.contains("api_builtin_enabled"), message);
    }

    @Test
    void includeCannotLeaveTheTemplateRoots() throws Exception {
        template("evil.txt.ftl", "<#include \"../../../../../../../../etc/passwd\">\n");

        String message = renderFails().getMessage();

        assertTrue(message.contains("'evil.txt.ftl'") && message.contains("line 1"), message);
        assertFalse(message.contains("root:"), message);
    }

    @Test
    void includeOfAnAbsoluteFileSystemPathIsATemplateNameNotAFile() throws Exception {
        template("evil.txt.ftl", "<#include \"/etc/passwd\">\n");

        String message = renderFails().getMessage();

        assertFalse(message.contains("root:"), message);
    }

    @Test
    void symlinkLeavingTheOverrideDirectoryIsRefused() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(directory.resolve("outside")).resolve("secret.ftl"),
                "SECRET [=project.name]\n");
        Files.createSymbolicLink(overrides.resolve("Dockerfile.ftl"), outside);

        String message = renderFails().getMessage();

        // A checked failure naming the template (a SecurityException would crash Maven with a stack trace).
        assertTrue(message.contains("'Dockerfile.ftl'") && message.contains("outside the template directory"), message);
        assertFalse(message.contains("SECRET"), message);
    }

    @Test
    void includeThroughASymlinkLeavingTheOverrideDirectoryIsRefused() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(directory.resolve("outside")).resolve("secret.txt"), "SECRET\n");
        Files.createSymbolicLink(overrides.resolve("secret.inc"), outside);
        template("notes.txt.ftl", "<#include \"secret.inc\">\n");

        String message = renderFails().getMessage();

        assertTrue(message.contains("'notes.txt.ftl'") && message.contains("outside the template directory"), message);
        assertFalse(message.contains("SECRET"), message);
    }

    @Test
    void symlinkInsideTheOverrideDirectoryIsFollowed() throws Exception {
        template("shared/base.ftl", "FROM [=image.baseImage]\n");
        Files.createSymbolicLink(overrides.resolve("Dockerfile.ftl"), overrides.resolve("shared/base.ftl"));

        assertEquals("FROM dunglas/frankenphp:1-php8.4-bookworm\n", render(data()).get("Dockerfile"));
    }

    @Test
    void numbersAreNotGroupedAndBooleansRenderAsWords() throws Exception {
        template("values.txt.ftl", "[=8080000] [=big] [=1234.5] [=flag] [=compose.watchtowerLabels] [=octane.port + 8000000]\n");
        Map<String, Object> data = new LinkedHashMap<>(data());
        data.put("big", 8080000);
        data.put("flag", false);

        assertEquals("8080000 8080000 1234.5 false true 8000080\n", render(data).get("values.txt"));
    }

    @Test
    void renderingIsByteIdenticalAcrossRenderers() throws Exception {
        template("docker/entrypoint.sh.ftl", "#!/bin/sh\necho [=quoteShell(project.name)]\n");

        List<RenderedFile> first = new TemplateRenderer(overrides).render(data());
        List<RenderedFile> second = new TemplateRenderer(overrides).render(data());

        assertEquals(first, second);
        Map<String, byte[]> bytes = first.stream().collect(Collectors.toMap(RenderedFile::relativePath, RenderedFile::content));
        second.forEach(file -> assertArrayEquals(bytes.get(file.relativePath()), file.content(), file.relativePath()));
        assertEquals(first.stream().map(RenderedFile::relativePath).sorted().toList(),
                first.stream().map(RenderedFile::relativePath).toList(), "files come sorted by path");
    }

    @Test
    void withoutAnOverrideDirectoryTheBuiltInsAreRendered() throws Exception {
        Map<String, RenderedFile> files = new TemplateRenderer(directory.resolve("absent")).render(data()).stream()
                .collect(Collectors.toMap(RenderedFile::relativePath, Function.identity()));

        assertEquals(TemplateRenderer.BUILT_IN_OUTPUTS.stream().sorted().toList(), files.keySet().stream().sorted().toList());
    }
}
