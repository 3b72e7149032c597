package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Records;
import fr.miweb.maven.frankenphp.config.StartupSettings;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import fr.miweb.maven.frankenphp.render.TemplatesTest.Instruction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint (docker/laravel-entrypoint.sh) and the Dockerfile lines that ship it: the
 * start-up steps of Laravel's deployment guide, each switchable, run before the container's command,
 * which then replaces the shell. The rendered script is run by the real /bin/sh (dash here, as in the
 * Debian images) with the real php running an {@code artisan} script that records each call, so the
 * order, the switches, the failure path and the exec are observed, not read from the text.
 */
class EntrypointTemplateTest {

    private static final String ENTRYPOINT = TemplateData.ENTRYPOINT_FILE;

    @TempDir
    Path directory;

    private DeploymentConfig config(StartupSettings startup) {
        return Records.with(TestConfigs.defaults(directory), "startup", startup);
    }

    private static Map<String, String> render(DeploymentConfig config) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (RenderedFile file : DeploymentFiles.render(config, null, "1.2.3")) {
            files.put(file.relativePath(), file.text());
        }
        return files;
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileShipsTheEntrypointAndKeepsTheServerAsTheCommand() throws Exception {
        Map<String, String> files = render(TestConfigs.defaults(directory));
        List<Instruction> instructions = TemplatesTest.instructions(files.get("Dockerfile"));
        int runtimeStart = IntStream.range(0, instructions.size()).filter(i -> instructions.get(i).keyword().equals("FROM"))
                .max().orElseThrow();
        List<Instruction> runtime = instructions.subList(runtimeStart, instructions.size());

        assertTrue(files.containsKey(ENTRYPOINT), "the entrypoint is rendered");
        assertTrue(runtime.stream().anyMatch(i -> i.keyword().equals("COPY")
                        && i.arguments().equals(ENTRYPOINT + " " + Defaults.ENTRYPOINT_PATH)),
                "COPY " + ENTRYPOINT + " " + Defaults.ENTRYPOINT_PATH + " in the runtime stage: " + runtime);
        // Exec form: the entrypoint is PID 1 until it execs the command, which then is.
        List<Instruction> entrypoints = runtime.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        assertEquals(1, entrypoints.size(), entrypoints::toString);
        assertEquals(List.of(Defaults.ENTRYPOINT_PATH), new ObjectMapper().readValue(entrypoints.get(0).arguments(), List.class));
        assertEquals(List.of("php", "artisan", "octane:frankenphp", "--host=0.0.0.0", "--port=80", "--admin-port=2019",
                "--workers=auto", "--max-requests=500"), new ObjectMapper().readValue(
                runtime.stream().filter(i -> i.keyword().equals("CMD")).findFirst().orElseThrow().arguments(), List.class));
        // Executable, set while still root (the build context does not carry the mode).
        int chmod = indexOf(runtime, "RUN", "chmod 0755 " + Defaults.ENTRYPOINT_PATH);
        int user = indexOf(runtime, "USER", "");
        assertTrue(chmod < user, "chmod before USER");
    }

    @Test
    void storageLinkIsMadeInTheBuildBecausePublicIsReadOnlyAtRuntime() throws Exception {
        List<Instruction> on = TemplatesTest.instructions(render(TestConfigs.defaults(directory)).get("Dockerfile"));
        int dump = indexOf(on, "RUN", "composer dump-autoload");
        int link = indexOf(on, "RUN", "php artisan storage:link");
        int runtimeStart = IntStream.range(0, on.size()).filter(i -> on.get(i).keyword().equals("FROM")).max().orElseThrow();
        assertTrue(dump < link && link < runtimeStart, "storage:link after the autoloader, in the build stage (root)");
        assertTrue(on.get(dump).arguments().contains("storage/app/public"), "the link's target exists: " + on.get(dump));

        List<Instruction> off = TemplatesTest.instructions(render(config(new StartupSettings(true, true, true, true, false)))
                .get("Dockerfile"));
        assertTrue(off.stream().noneMatch(i -> i.arguments().contains("storage:link")), "storageLink=false: no link in the build");
    }

    // ---------------------------------------------------------------- the script, run

    @Test
    void runsEveryStepInOrderThenExecsTheCommandWithItsOwnStdout() throws Exception {
        Run run = run(StartupSettings.defaults(), Map.of(), "sh", "-c", "echo command-ran");

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(List.of("storage:link --no-interaction", "config:cache --no-interaction", "route:cache --no-interaction",
                "event:cache --no-interaction", "view:cache --no-interaction"), run.artisanCalls());
        // Only the command writes to stdout (key:generate --show is read from it); the steps log to stderr.
        assertEquals("command-ran\n", run.stdout());
        assertTrue(run.stderr().contains("artisan says config:cache"), run::describe);
    }

    @Test
    void skipsStorageLinkWhenPublicStorageIsThere() throws Exception {
        Files.createDirectories(directory.resolve("public"));
        Files.createSymbolicLink(directory.resolve("public/storage"), Path.of("../storage/app/public"));

        Run run = run(StartupSettings.defaults(), Map.of(), "true");

        assertEquals(0, run.exitCode(), run::describe);
        assertFalse(run.artisanCalls().stream().anyMatch(c -> c.startsWith("storage:link")), run::describe);
    }

    @Test
    void eachSwitchTurnsItsStepOff() throws Exception {
        assertEquals(List.of("config:cache --no-interaction", "event:cache --no-interaction"),
                run(new StartupSettings(true, false, true, false, false), Map.of(), "true").artisanCalls());
        assertEquals(List.of("route:cache --no-interaction", "view:cache --no-interaction"),
                run(new StartupSettings(false, true, false, true, false), Map.of(), "true").artisanCalls());
        Run none = run(new StartupSettings(false, false, false, false, false), Map.of(), "sh", "-c", "echo only");
        assertEquals(List.of(), none.artisanCalls());
        assertEquals("only\n", none.stdout());
    }

    @Test
    void aFailingStepStopsTheContainerWithItsOutputAndItsExitCode() throws Exception {
        Run run = run(StartupSettings.defaults(), Map.of("FAIL_ON", "route:cache"), "sh", "-c", "echo command-ran");

        assertEquals(3, run.exitCode(), run::describe);
        assertEquals(List.of("storage:link --no-interaction", "config:cache --no-interaction", "route:cache --no-interaction"),
                run.artisanCalls(), "nothing after the failing step");
        assertFalse(run.stdout().contains("command-ran"), "the command does not start: " + run.describe());
        assertTrue(run.stderr().contains("Unable to prepare route [api/health] for serialization. Uses Closure."), run::describe);
        assertTrue(run.stderr().contains("'php artisan route:cache' failed (exit 3); the container stops"), run::describe);
        assertTrue(run.stderr().contains("<image><startup>"), "names the switch: " + run.describe());
    }

    @Test
    void theCommandReplacesTheEntrypointProcess() throws Exception {
        // `sh -c 'echo $$'` prints its own process id: the entrypoint's, when it exec'd the command.
        Run run = run(StartupSettings.defaults(), Map.of(), "sh", "-c", "echo $$");

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals(String.valueOf(run.pid()), run.stdout().strip(), "exec: the command keeps the entrypoint's pid (PID 1 in a container)");
    }

    @Test
    void scriptIsValidPosixShell() throws Exception {
        Tools.assumeInstalled("/bin/sh", "-c", "true");
        for (StartupSettings startup : List.of(StartupSettings.defaults(), new StartupSettings(false, false, false, false, false))) {
            Path script = directory.resolve("entrypoint-" + startup.hashCode() + ".sh");
            Files.writeString(script, render(config(startup)).get(ENTRYPOINT), StandardCharsets.UTF_8);
            Tools.Result result = Tools.run(directory, List.of("/bin/sh", "-n", script.toString()));
            assertEquals(0, result.exitCode(), result::describe);
        }
        assertTrue(render(TestConfigs.defaults(directory)).get(ENTRYPOINT).startsWith("#!/bin/sh\n"));
    }

    @Test
    void deployDocNamesTheStepsThatAreOn() throws Exception {
        assertTrue(render(TestConfigs.defaults(directory)).get("DEPLOY.md").contains("| Start-up steps (every container, before its command) | "
                + "`storage:link` if `public/storage` is missing, `config:cache`, `route:cache`, `event:cache`, `view:cache`; "
                + "a failing step stops the container (`<image><startup>` in the pom) |\n"));
        assertTrue(render(config(new StartupSettings(true, false, false, false, false))).get("DEPLOY.md")
                .contains("| Start-up steps (every container, before its command) | `config:cache`; a failing"));
        assertTrue(render(config(new StartupSettings(false, false, false, false, false))).get("DEPLOY.md")
                .contains("| Start-up steps (every container, before its command) | none; a failing"));
    }

    // ---------------------------------------------------------------- the scheduler's stop

    /**
     * Found by the end-to-end test on real Laravel: schedule:work sets no SIGTERM handler, so as PID 1
     * it ignored docker stop and every release waited for the kill. Compose's init passes the signal on.
     */
    @Test
    void theSchedulerRunsUnderAnInitThatPassesSigtermOn() throws Exception {
        for (fr.miweb.maven.frankenphp.config.SchedulerMode mode : fr.miweb.maven.frankenphp.config.SchedulerMode.values()) {
            DeploymentConfig config = Records.with(TestConfigs.defaults(directory), "compose",
                    Records.with(TestConfigs.defaults(directory).compose(), "schedulerMode", mode));
            Map<?, ?> compose = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                    new org.yaml.snakeyaml.LoaderOptions())).load(render(config).get("docker-compose.prod.yml"));
            Map<?, ?> services = (Map<?, ?>) compose.get("services");
            assertEquals(Boolean.TRUE, ((Map<?, ?>) services.get("scheduler")).get("init"), "scheduler init, " + mode);
            // The others handle SIGTERM themselves (Octane, queue:work): PID 1 stays theirs.
            assertEquals(null, ((Map<?, ?>) services.get("app")).get("init"));
            assertEquals(null, ((Map<?, ?>) services.get("queue")).get("init"));
        }
    }

    // ---------------------------------------------------------------- helpers

    record Run(int exitCode, String stdout, String stderr, long pid, List<String> artisanCalls) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr + "\ncalls: " + artisanCalls;
        }
    }

    /**
     * Runs the rendered entrypoint in a directory holding an {@code artisan} PHP script, with the real
     * php: artisan records its arguments, prints a line, and exits 3 for the command named in FAIL_ON
     * (with the message Laravel gives for a closure route).
     */
    private Run run(StartupSettings startup, Map<String, String> environment, String... command) throws Exception {
        Tools.assumeInstalled("php", "-n", "-v");
        Tools.assumeInstalled("/bin/sh", "-c", "true");
        Path script = directory.resolve("laravel-entrypoint.sh");
        Files.writeString(script, render(config(startup)).get(ENTRYPOINT), StandardCharsets.UTF_8);
        Path calls = directory.resolve("artisan-calls.txt");
        Files.deleteIfExists(calls);
        Files.writeString(directory.resolve("artisan"), """
                <?php
                $arguments = implode(' ', array_slice($argv, 1));
                file_put_contents(__DIR__ . '/artisan-calls.txt', $arguments . "\\n", FILE_APPEND);
                echo "artisan says $arguments\\n";
                if (getenv('FAIL_ON') !== false && str_starts_with($arguments, getenv('FAIL_ON'))) {
                    echo "Unable to prepare route [api/health] for serialization. Uses Closure.\\n";
                    exit(3);
                }
                """, StandardCharsets.UTF_8);
        List<String> arguments = new ArrayList<>(List.of("/bin/sh", script.toString()));
        arguments.addAll(List.of(command));
        Path out = directory.resolve("stdout.txt");
        Path err = directory.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(arguments).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the entrypoint did not finish");
        List<String> recorded = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err), process.pid(), recorded);
    }

    private static int indexOf(List<Instruction> instructions, String keyword, String contained) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals(keyword) && instructions.get(i).arguments().contains(contained)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " containing '" + contained + "' in " + instructions);
    }
}
