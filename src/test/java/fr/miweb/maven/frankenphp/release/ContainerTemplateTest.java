package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the real engine: a container as compose creates it, recreated on another image, keeps what
 * compose gave it and takes what the new image gives.
 */
class ContainerTemplateTest {

    /** Two of setup.sh's stand-ins: different ENV, CMD and HEALTHCHECK. */
    private static final String OLD_IMAGE = "dunglas/frankenphp:1-php8.4-bookworm";
    private static final String NEW_IMAGE = "composer:2";

    @Test
    void theNewContainerKeepsComposesConfigurationAndTakesTheNewImagesDefaults() throws Exception {
        EngineTests.requireEngine();
        String suffix = String.valueOf(ProcessHandle.current().pid());
        String network = "frankenphp-template-test-" + suffix;
        try (DockerConnection connection = DockerConnection.open(
                new DockerEndpoint(DockerEndpointResolver.DEFAULT_SOCKET, Optional.empty(), "test"), Duration.ofSeconds(10))) {
            DockerClient docker = connection.client();
            ServerContainers containers = new ServerContainers(docker);
            docker.createNetworkCmd().withName(network).exec();
            String oldId = null;
            String newId = null;
            try {
                HealthCheck composeHealth = new HealthCheck().withTest(List.of("CMD-SHELL", "curl -f http://localhost:2019/metrics || exit 1"))
                        .withInterval(2_000_000_000L).withTimeout(5_000_000_000L).withRetries(3).withStartPeriod(60_000_000_000L);
                oldId = docker.createContainerCmd(OLD_IMAGE).withName("template-old-" + suffix)
                        .withEnv("APP_ENV=production", "DB_HOST=shop-mysql")
                        .withLabels(Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "app"))
                        .withHealthcheck(composeHealth)
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)
                                .withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
                        .withAliases("app")
                        .exec().getId();
                InspectContainerResponse old = containers.inspect(oldId).orElseThrow();

                ContainerTemplate template = ContainerTemplate.of(docker, old);
                newId = template.createLike(docker, NEW_IMAGE, "template-new-" + suffix, Map.of("fr.miweb.frankenphp.version", "2"))
                        .exec().getId();
                template.connectOtherNetworks(docker, newId);
                InspectContainerResponse created = containers.inspect(newId).orElseThrow();

                List<String> env = Arrays.asList(created.getConfig().getEnv());
                assertTrue(env.containsAll(List.of("APP_ENV=production", "DB_HOST=shop-mysql")), "compose's environment: " + env);
                assertTrue(env.contains("COMPOSER_HOME=/tmp"), "the new image's own ENV: " + env);
                assertFalse(env.contains("PHP_INI_DIR=/usr/local/etc/php"), "not the old image's ENV: " + env);
                assertEquals(List.of("composer"), Arrays.asList(created.getConfig().getCmd()), "the new image's CMD");
                assertEquals(2_000_000_000L, created.getConfig().getHealthcheck().getInterval(),
                        "compose's health check, whose test is the old image's but whose interval is not");
                assertEquals("shop", created.getConfig().getLabels().get("com.docker.compose.project"));
                assertEquals("2", created.getConfig().getLabels().get("fr.miweb.frankenphp.version"));
                assertEquals("composer-standin", created.getConfig().getLabels().get("fr.miweb.frankenphp-it.standin"),
                        "the new image's label, not the old image's value copied over it");
                assertEquals("unless-stopped", created.getHostConfig().getRestartPolicy().getName());
                assertTrue(created.getNetworkSettings().getNetworks().get(network).getAliases().contains("app"), "compose's alias");
            } finally {
                for (String id : new String[] {oldId, newId}) {
                    if (id != null) {
                        containers.remove(id);
                    }
                }
                docker.removeNetworkCmd(network).exec();
            }
        }
    }

}
