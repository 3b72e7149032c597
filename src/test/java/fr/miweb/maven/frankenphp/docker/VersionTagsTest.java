package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.TagStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionTagsTest {

    private static final Instant BUILD_START = Instant.parse("2026-11-24T09:05:07Z");

    @Test
    void timestampIsTheBuildStartInTheOriginalDeployShFormat(@TempDir Path project) throws Exception {
        assertEquals("20261124-090507", VersionTags.versionTag(image(null, TagStrategy.TIMESTAMP), "1.0.0", project, BUILD_START));
    }

    @Test
    void projectVersionStrategyUsesThePomVersion(@TempDir Path project) throws Exception {
        assertEquals("2.3.0-SNAPSHOT", VersionTags.versionTag(image(null, TagStrategy.PROJECT_VERSION), "2.3.0-SNAPSHOT", project, BUILD_START));
    }

    @Test
    void anExplicitTagWinsOverTheStrategy(@TempDir Path project) throws Exception {
        assertEquals("release-42", VersionTags.versionTag(image("release-42", TagStrategy.GIT_COMMIT), "1.0.0", project, BUILD_START));
    }

    @Test
    void gitCommitStrategyUsesTheShortCommitAndMarksADirtyTree(@TempDir Path project) throws Exception {
        git(project, "init", "-q");
        Files.writeString(project.resolve("artisan"), "v1");
        git(project, "add", "artisan");
        git(project, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-q", "-m", "first");
        String head = git(project, "rev-parse", "--short=12", "HEAD");

        assertEquals(head, VersionTags.versionTag(image(null, TagStrategy.GIT_COMMIT), "1.0.0", project, BUILD_START));
        assertEquals(git(project, "rev-parse", "HEAD"), VersionTags.gitRevision(project).orElseThrow());

        Files.writeString(project.resolve("artisan"), "v2");
        assertEquals(head + "-dirty", VersionTags.versionTag(image(null, TagStrategy.GIT_COMMIT), "1.0.0", project, BUILD_START));
    }

    @Test
    void gitCommitOutsideACheckoutSaysWhatToDo(@TempDir Path project) {
        DockerException failure = assertThrows(DockerException.class,
                () -> VersionTags.versionTag(image(null, TagStrategy.GIT_COMMIT), "1.0.0", project, BUILD_START));
        assertTrue(failure.getMessage().contains("needs a git checkout"), failure.getMessage());
        assertTrue(failure.getMessage().contains("<image><tag>"), failure.getMessage());
        assertTrue(VersionTags.gitRevision(project).isEmpty());
    }

    @Test
    void aProjectVersionThatIsNotAValidTagIsRefused(@TempDir Path project) {
        DockerException failure = assertThrows(DockerException.class,
                () -> VersionTags.versionTag(image(null, TagStrategy.PROJECT_VERSION), "1.0 final", project, BUILD_START));
        assertTrue(failure.getMessage().contains("'1.0 final'"), failure.getMessage());
    }

    @Test
    void latestCannotBeTheVersionTag(@TempDir Path project) {
        assertThrows(DockerException.class,
                () -> VersionTags.versionTag(image(null, TagStrategy.PROJECT_VERSION), "latest", project, BUILD_START));
    }

    private static ImageSettings image(String tag, TagStrategy strategy) {
        return new ImageSettings(Defaults.REGISTRY, "mdb-copilot-api", Defaults.BASE_IMAGE, Defaults.COMPOSER_IMAGE, tag, strategy,
                Map.of(), Map.of(), false, false, Defaults.RUNTIME_USER, Defaults.RUNTIME_UID);
    }

    private static String git(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    /** A git that hangs (a prompt, a lock) with its output pipe open: the timeout must fire, and the process die. */
    @Test
    void aCommandThatHangsIsStoppedAtTheTimeout() {
        long start = System.nanoTime();
        VersionTags.CommandFailedException failure = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> assertThrows(VersionTags.CommandFailedException.class,
                        () -> VersionTags.run(List.of("sh", "-c", "echo partial; exec sleep 60"),
                                java.time.Duration.ofSeconds(1))));
        long seconds = java.time.Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 10, "took " + seconds + " s");
        assertEquals("did not finish within 1 s", failure.getMessage());
    }

    @Test
    void aCommandsOutputAndFailureAreReported() throws Exception {
        assertEquals("out and err", VersionTags.run(List.of("sh", "-c", "printf 'out '; printf 'and err' >&2"),
                java.time.Duration.ofSeconds(10)));
        VersionTags.CommandFailedException failure = assertThrows(VersionTags.CommandFailedException.class,
                () -> VersionTags.run(List.of("sh", "-c", "echo not a repository; exit 128"),
                        java.time.Duration.ofSeconds(10)));
        assertEquals("failed: not a repository", failure.getMessage());
    }
}
