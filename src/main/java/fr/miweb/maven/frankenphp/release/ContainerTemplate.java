package fr.miweb.maven.frankenphp.release;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A running container's configuration, to start the same service on another image: what compose
 * gave it (environment, command, labels, networks and aliases, restart policy, volumes, health
 * check), without what its old image gave it, so the new image's own defaults (its
 * {@code APP_VERSION}, its {@code CMD}, its labels) apply. This is how Watchtower recreates a
 * container, minus the stop before the start.
 */
final class ContainerTemplate {

    /** The short container id Docker adds as an alias on every network: the old container's, not the new one's. */
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12}");

    private final InspectContainerResponse container;
    private final ContainerConfig imageConfig;
    private final Set<String> ownNames;

    private ContainerTemplate(InspectContainerResponse container, ContainerConfig imageConfig, Set<String> ownNames) {
        this.container = container;
        this.imageConfig = imageConfig;
        this.ownNames = ownNames;
    }

    /**
     * @param ownNames names that belong to one container and must not become the new one's network
     *                 aliases: compose v2 gives each container its own name as an alias, and an
     *                 alias, unlike a name, stays with a container that is renamed
     */
    static ContainerTemplate of(DockerClient docker, InspectContainerResponse container, String... ownNames) {
        ContainerConfig imageConfig = docker.inspectImageCmd(container.getImageId()).exec().getConfig();
        Set<String> names = new java.util.HashSet<>(Arrays.asList(ownNames));
        names.add(container.getName().startsWith("/") ? container.getName().substring(1) : container.getName());
        return new ContainerTemplate(container, imageConfig == null ? new ContainerConfig() : imageConfig, names);
    }

    /** The container's environment, minus the entries its image set: the new image sets its own. */
    List<String> environment() {
        Set<String> fromImage = Set.copyOf(list(imageConfig.getEnv()));
        return list(container.getConfig().getEnv()).stream().filter(e -> !fromImage.contains(e)).toList();
    }

    Map<String, String> labels() {
        Map<String, String> fromImage = imageConfig.getLabels() == null ? Map.of() : imageConfig.getLabels();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> own = container.getConfig().getLabels() == null ? Map.of() : container.getConfig().getLabels();
        own.forEach((key, value) -> {
            if (!Objects.equals(fromImage.get(key), value)) {
                labels.put(key, value);
            }
        });
        return labels;
    }

    /** Network name to the aliases compose gave, without the old container's own short-id alias. */
    Map<String, List<String>> networks() {
        Map<String, List<String>> networks = new LinkedHashMap<>();
        var settings = container.getNetworkSettings();
        if (settings == null || settings.getNetworks() == null) {
            return networks;
        }
        settings.getNetworks().forEach((name, network) -> networks.put(name, network.getAliases() == null ? List.of()
                : network.getAliases().stream().filter(a -> !SHORT_ID.matcher(a).matches() && !ownNames.contains(a)).distinct().toList()));
        return networks;
    }

    /**
     * The create command for the same service on {@code image}: same host configuration (restart
     * policy, volumes, log driver...), first network at create, the others connected before start.
     */
    CreateContainerCmd createLike(DockerClient docker, String image, String name, Map<String, String> extraLabels) {
        ContainerConfig config = container.getConfig();
        Map<String, String> labels = labels();
        labels.putAll(extraLabels);
        HostConfig hostConfig = container.getHostConfig();
        CreateContainerCmd create = docker.createContainerCmd(image).withName(name)
                .withEnv(environment())
                .withLabels(labels)
                .withHostConfig(hostConfig);
        if (!Arrays.equals(config.getCmd(), imageConfig.getCmd()) && config.getCmd() != null) {
            create.withCmd(config.getCmd());
        }
        if (!Arrays.equals(config.getEntrypoint(), imageConfig.getEntrypoint()) && config.getEntrypoint() != null) {
            create.withEntrypoint(config.getEntrypoint());
        }
        // The whole check, not only its command: compose often runs the image's test at another interval.
        if (!sameHealthCheck(config.getHealthcheck(), imageConfig.getHealthcheck()) && config.getHealthcheck() != null) {
            create.withHealthcheck(config.getHealthcheck());
        }
        if (!Objects.equals(config.getUser(), imageConfig.getUser()) && config.getUser() != null && !config.getUser().isEmpty()) {
            create.withUser(config.getUser());
        }
        if (!Objects.equals(config.getWorkingDir(), imageConfig.getWorkingDir()) && config.getWorkingDir() != null
                && !config.getWorkingDir().isEmpty()) {
            create.withWorkingDir(config.getWorkingDir());
        }
        Map<String, List<String>> networks = networks();
        if (hostConfig != null && networks.containsKey(hostConfig.getNetworkMode()) && !networks.get(hostConfig.getNetworkMode()).isEmpty()) {
            create.withAliases(networks.get(hostConfig.getNetworkMode()));
        }
        return create;
    }

    /** Connects a created container to the networks {@link #createLike} could not give it at create time. */
    void connectOtherNetworks(DockerClient docker, String containerId) {
        String networkMode = container.getHostConfig() == null ? null : container.getHostConfig().getNetworkMode();
        networks().forEach((network, aliases) -> {
            if (!network.equals(networkMode)) {
                docker.connectToNetworkCmd().withContainerId(containerId).withNetworkId(network)
                        .withContainerNetwork(new ContainerNetwork().withAliases(new ArrayList<>(aliases))).exec();
            }
        });
    }

    private static boolean sameHealthCheck(HealthCheck a, HealthCheck b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getTest(), b.getTest()) && Objects.equals(a.getInterval(), b.getInterval())
                && Objects.equals(a.getTimeout(), b.getTimeout()) && Objects.equals(a.getRetries(), b.getRetries())
                && Objects.equals(a.getStartPeriod(), b.getStartPeriod());
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
