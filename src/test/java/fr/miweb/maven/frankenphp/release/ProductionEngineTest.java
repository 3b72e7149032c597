package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ReleaseSettings;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;
import fr.miweb.maven.frankenphp.docker.SshTestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code <release><dockerHost>} over ssh, against setup.sh's sshd and host aliases (skipped loudly without them; required in CI). */
class ProductionEngineTest {

    @Test
    void reachesTheServersEngineOverSshAndNamesIt() throws Exception {
        SshTestServer.require();
        try (ProductionEngine engine = ProductionEngine.connect(settings("ssh://frankenphp-server"), Duration.ofSeconds(10))) {
            assertTrue(engine.describe().matches("ssh://frankenphp-server \\(Docker Engine \\S+, API 1\\.\\d+\\)"), engine.describe());
            // The engine answers through the tunnel (a failure throws).
            engine.connection().client().pingCmd().exec();
        }
    }

    @Test
    void anUnreachableServerIsTheUsersToFixAndNamesThePomElement() {
        SshTestServer.require();
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
}
