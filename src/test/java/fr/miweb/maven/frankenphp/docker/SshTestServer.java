package fr.miweb.maven.frankenphp.docker;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * setup.sh's sshd on 127.0.0.1:2201 and the host aliases (frankenphp-server, -unknown-hostkey, -wrong-key, -unreachable)
 * it includes into root's ~/.ssh/config. Tests that need them are skipped, loudly, without them; required in CI.
 */
public final class SshTestServer {

    private static final Path SSH_TEST_CONFIG = Path.of("/var/lib/frankenphp-it/ssh/config");

    private SshTestServer() {
    }

    public static void require() {
        if (Files.isReadable(SSH_TEST_CONFIG)) {
            return;
        }
        String reason = "no " + SSH_TEST_CONFIG + " (run: bash src/test/infra/setup.sh, as root)";
        if (Boolean.getBoolean("frankenphp.it.requireDocker")) {
            Assertions.fail("SSH test cannot run: " + reason);
        }
        System.err.println("* SKIPPED SSH test: " + reason);
        Assumptions.abort("SKIPPED SSH test: " + reason);
    }
}
