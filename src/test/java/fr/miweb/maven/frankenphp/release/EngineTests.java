package fr.miweb.maven.frankenphp.release;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the release tests on the real engine share. */
final class EngineTests {

    private EngineTests() {
    }

    /** Skips loudly without a Docker engine; fails instead with -Dfrankenphp.it.requireDocker=true (CI). */
    static void requireEngine() {
        if (Files.exists(Path.of("/var/run/docker.sock"))) {
            return;
        }
        if (Boolean.getBoolean("frankenphp.it.requireDocker")) {
            Assertions.fail("no Docker engine");
        }
        System.err.println("* SKIPPED release test: no Docker engine (run: bash src/test/infra/setup.sh)");
        Assumptions.abort("no Docker engine");
    }
}
