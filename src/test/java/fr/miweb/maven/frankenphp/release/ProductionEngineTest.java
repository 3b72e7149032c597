package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <release><dockerHost>} over ssh, against setup.sh's sshd and host aliases (skipped loudly without them; required in CI). */
class ProductionEngineTest {

    private static final Path SSH_TEST_CONFIG = Path.of("/var/lib/frankenphp-it/ssh/config");

    @Test
    void reachesTheServersEngineOverSshAndNamesIt() throws Exception {
        requireSshServer();
        try (ProductionEngine engine = ProductionEngine.connect(settings("ssh://frankenphp-server"), Duration.ofSeconds(10))) {
            assertTrue(engine.describe().matches("ssh://frankenphp-server \\(Docker Engine \\S+, API 1\\.\\d+\\)"), engine.describe());
            // The engine answers through the tunnel (a failure throws).
            engine.connection().client().pingCmd().exec();
        }
    }

    @Test
    void anUnreachableServerIsTheUsersToFixAndNamesThePomElement() {
        requireSshServer();
        ReleaseException failure = assertThrows(ReleaseException.class,
                () -> ProductionEngine.connect(settings("ssh://frankenphp-server-unreachable"), Duration.ofSeconds(5)));
        assertTrue(failure.userFixable());
        assertTrue(failure.getMessage().startsWith("Cannot reach the Docker engine at ssh://frankenphp-server-unreachable over ssh: the host is unreachable."),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("Check <release><dockerHost> (frankenphp.release.dockerHost): the host name and the SSH port."),
                failure.getMessage());
    }

    private static ReleaseSettings settings(String dockerHost) {
        return new ReleaseSettings(ReleaseTarget.COMPOSE, Optional.of(URI.create(dockerHost)), Optional.empty(), "shop", Optional.empty(),
                Duration.ofSeconds(30), Duration.ofSeconds(5), true, Duration.ofSeconds(60), Optional.empty(),
                Defaults.RELEASE_WATCHTOWER_SERVER_ID, Defaults.RELEASE_REPLICAS, Defaults.RELEASE_DATABASE_NODE);
    }

    private static void requireSshServer() {
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
