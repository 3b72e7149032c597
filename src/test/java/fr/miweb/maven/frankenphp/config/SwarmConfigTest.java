package fr.miweb.maven.frankenphp.config;

import static fr.miweb.maven.frankenphp.config.Records.with;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code <release><target>swarm</target>} and its elements, as ConfigValidator checks them. */
class SwarmConfigTest {

    private static final DeploymentConfig DEFAULTS = TestConfigs.defaults(Path.of("/project"));

    private static DeploymentConfig swarm(String component, Object value) {
        ReleaseSettings release = with(with(DEFAULTS.release(), "target", ReleaseTarget.SWARM),
                "dockerHost", Optional.of(URI.create("ssh://deploy@manager")));
        return with(DEFAULTS, "release", component == null ? release : with(release, component, value));
    }

    private static List<ConfigurationProblem> problems(DeploymentConfig config) {
        return assertThrows(InvalidConfigurationException.class, () -> ConfigValidator.validate(config)).problems();
    }

    @Test
    void theDefaultsAreValidAndPlaceMysqlByTheDatabaseLabel() {
        assertDoesNotThrow(() -> ConfigValidator.validate(swarm(null, null)));
        assertEquals(2, DEFAULTS.release().replicas());
        assertEquals("node.labels.frankenphp.database == true", DEFAULTS.release().databaseConstraint());
        assertEquals("shop_app", with(DEFAULTS.release(), "project", "shop").swarmService("app"));
        assertEquals(Optional.of(ReleaseTarget.SWARM), ReleaseTarget.fromConfigValue(" Swarm "));
    }

    @Test
    void aSwarmReleaseNeedsAManagersEngine() {
        ConfigurationProblem problem = problems(swarm("dockerHost", Optional.empty())).get(0);
        assertEquals("<release><dockerHost> (frankenphp.release.dockerHost)", problem.element());
        assertTrue(problem.fix().contains("Swarm manager"), problem::fix);
    }

    @Test
    void replicasOutOfRangeAndAMalformedLabelAreNamedTogether() {
        DeploymentConfig config = with(swarm("replicas", 0), "release", with(swarm("replicas", 0).release(), "databaseNode", "database"));
        List<ConfigurationProblem> problems = problems(config);
        assertEquals(List.of("<release><replicas> (frankenphp.release.replicas)", "<release><databaseNode> (frankenphp.release.databaseNode)"),
                problems.stream().map(ConfigurationProblem::element).toList());
        assertEquals("0", problems.get(0).value());
        assertEquals("database", problems.get(1).value());
        assertTrue(problems.get(1).fix().contains("key=value"), problems.get(1)::fix);
    }

    @Test
    void aLabelThatWouldBreakTheConstraintIsRefused() {
        assertEquals(1, problems(swarm("databaseNode", "db=x == y")).size());
        assertDoesNotThrow(() -> ConfigValidator.validate(swarm("databaseNode", "db.role=primary-1")));
    }
}
