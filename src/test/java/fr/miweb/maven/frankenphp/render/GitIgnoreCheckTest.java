package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whether .env.production is kept out of git, checked against git itself ({@code git check-ignore})
 * as well as against the expected answer, in a project at the repository root and in a subdirectory
 * (the seed's layout: backend-api/ in a repository whose root .gitignore was edited).
 */
class GitIgnoreCheckTest {

    @TempDir
    Path repository;

    static Stream<Arguments> projectAtTheRoot() {
        return Stream.of(
                Arguments.of(".env.production\n", true),
                Arguments.of("/.env.production\n", true),
                Arguments.of(".env*\n", true),
                Arguments.of(".env.*\n", true),
                Arguments.of("**/.env.production\n", true),
                Arguments.of("*.production\n", true),
                Arguments.of("vendor\n.env.production  \n", true),
                // git keeps leading spaces as part of the pattern, which then names another file.
                Arguments.of("  .env.production\n", false),
                Arguments.of(".env.production\n!.env.production\n", false),
                Arguments.of(".env*\n!.env.production\n", false),
                Arguments.of("!.env.production\n.env.production\n", true),
                Arguments.of("", false),
                Arguments.of("# .env.production\n", false),
                Arguments.of(".env.production.example\n", false),
                Arguments.of(".env\n", false),
                // A trailing slash matches directories only; git would commit the file.
                Arguments.of(".env.production/\n", false),
                // git's wildcards, not Java's glob: braces are literal, and a line git cannot use matches nothing.
                Arguments.of("*.{js\n.env.production\n", true),
                Arguments.of(".env.{production,local}\n", false),
                Arguments.of(".env.production[\n", false),
                Arguments.of(".env.production\\\n", false),
                Arguments.of("[.]env.produc?ion\n", true),
                Arguments.of("[!a].env.production\n", false),
                Arguments.of("\\.env.production\n", true),
                Arguments.of(".env.[[:lower:]]roduction\n", true),
                Arguments.of(".env.[z-a]roduction\n", false),
                Arguments.of("**/.env.*\n", true));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("projectAtTheRoot")
    void projectAtTheRepositoryRoot(String gitignore, boolean ignored) throws Exception {
        write(".gitignore", gitignore);

        assertAgreesWithGit(repository, ignored);
    }

    static Stream<Arguments> projectInASubdirectory() {
        return Stream.of(
                Arguments.of(".env.production\n", "", true),
                Arguments.of(".env*\n", "", true),
                // Anchored to the repository root: it does not reach backend-api/.env.production.
                Arguments.of("/.env.production\n", "", false),
                Arguments.of("backend-api/.env.production\n", "", true),
                Arguments.of("/backend-api/.env.production\n", "", true),
                Arguments.of("*/.env.production\n", "", true),
                Arguments.of("other/.env.production\n", "", false),
                Arguments.of("", ".env.production\n", true),
                Arguments.of("", "/.env.production\n", true),
                // The deeper .gitignore has the last word.
                Arguments.of(".env*\n", "!.env.production\n", false),
                Arguments.of("!.env.production\n", ".env.production\n", true));
    }

    @ParameterizedTest(name = "[{index}] root: {0} project: {1}")
    @MethodSource("projectInASubdirectory")
    void projectInASubdirectoryOfTheRepository(String rootGitignore, String projectGitignore, boolean ignored) throws Exception {
        write(".gitignore", rootGitignore);
        write("backend-api/.gitignore", projectGitignore);

        assertAgreesWithGit(repository.resolve("backend-api"), ignored);
    }

    @Test
    void aGitignoreAboveTheRepositoryDoesNotCount() throws Exception {
        write(".gitignore", ".env.production\n");
        Path nested = repository.resolve("nested");
        Files.createDirectories(nested.resolve(".git"));

        assertFalse(GitIgnoreCheck.ignoresProductionEnv(nested));
    }

    @Test
    void aGitignoreThatIsASymbolicLinkIsNotReadAsGitDoesNot(@TempDir Path elsewhere) throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("gitignore"), ".env.production\n");
        Files.createSymbolicLink(repository.resolve(".gitignore"), outside);

        assertAgreesWithGit(repository, false);
    }

    @Test
    void aGitignoreThatIsAFifoIsSkippedWithoutBlocking() throws Exception {
        Tools.assumeInstalled("mkfifo", "--version");
        Tools.Result mkfifo = Tools.run(repository, List.of("mkfifo", ".gitignore"));
        assertEquals(0, mkfifo.exitCode(), mkfifo::describe);

        assertFalse(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> GitIgnoreCheck.ignoresProductionEnv(repository)));
    }

    /** Not UTF-8: a Latin-1 comment, or a Latin-1 pattern, must not stop the check (it only ever warns). */
    @Test
    void latin1LinesAreReadWithoutFailing() throws Exception {
        Files.write(repository.resolve(".gitignore"),
                "# fichiers g\u00e9n\u00e9r\u00e9s\ncaf\u00e9.jpg\n.env.production\n".getBytes(StandardCharsets.ISO_8859_1));

        assertAgreesWithGit(repository, true);
    }

    @Test
    void aGitignoreThatIsADirectoryIsSkipped() throws Exception {
        Files.createDirectories(repository.resolve(".gitignore"));

        assertFalse(GitIgnoreCheck.ignoresProductionEnv(repository));
    }

    private void write(String path, String content) throws IOException {
        Path file = repository.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private void assertAgreesWithGit(Path project, boolean expected) throws Exception {
        assertEquals(expected, GitIgnoreCheck.ignoresProductionEnv(project), "GitIgnoreCheck");

        Tools.assumeInstalled("git", "--version");
        Files.writeString(project.resolve(".env.production"), "DB_PASSWORD=secret\n");
        // No user or system configuration: a global excludes file would change git's answer.
        Map<String, String> isolated = Map.of("HOME", repository.toString(), "XDG_CONFIG_HOME", repository.toString(),
                "GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null");
        Tools.Result init = Tools.run(repository, List.of("git", "init", "-q"), isolated);
        assertEquals(0, init.exitCode(), init::describe);
        Tools.Result check = Tools.run(project, List.of("git", "check-ignore", "-q", ".env.production"), isolated);
        assertTrue(check.exitCode() == 0 || check.exitCode() == 1, check::describe);
        assertEquals(expected, check.exitCode() == 0, "git check-ignore, the reference");
    }
}
