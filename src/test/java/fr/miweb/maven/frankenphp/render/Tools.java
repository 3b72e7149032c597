package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tools the generated files are meant for (php, /bin/sh, docker-compose, git).
 * Output goes to files, not pipes, so a chatty tool cannot block on a full pipe.
 */
final class Tools {

    /** Variables that would change what compose interpolates; a test sets them in its env file only. */
    private static final List<String> COMPOSE_VARIABLES = List.of(
            "DB_DATABASE", "DB_USERNAME", "DB_PASSWORD", "DB_ROOT_PASSWORD", "APP_IMAGE_TAG",
            "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES", "COMPOSE_PATH_SEPARATOR");

    private Tools() {
    }

    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr;
        }
    }

    /** Skips the calling test, with a reason, when the tool is not installed (it is here and in CI). */
    static void assumeInstalled(String... versionCommand) {
        boolean installed;
        try {
            Process process = new ProcessBuilder(versionCommand).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            installed = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            installed = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            installed = false;
        }
        assumeTrue(installed, () -> String.join(" ", versionCommand) + " is not available on this machine");
    }

    static Result run(Path workDirectory, List<String> command) throws IOException, InterruptedException {
        return run(workDirectory, command, Map.of());
    }

    static Result run(Path workDirectory, List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(workDirectory, "stdout", ".txt");
        Path stderr = Files.createTempFile(workDirectory, "stderr", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            COMPOSE_VARIABLES.forEach(builder.environment()::remove);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), Files.readAllBytes(stdout), Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
