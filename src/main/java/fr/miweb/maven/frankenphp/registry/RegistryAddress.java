package fr.miweb.maven.frankenphp.registry;

import java.util.List;
import java.util.Set;

/** How the Docker CLI names a registry in its config file and when talking to credential helpers. */
final class RegistryAddress {

    /** The key under which the Docker CLI stores Docker Hub credentials (its historical v1 index URL). */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private static final Set<String> DOCKER_HUB_HOSTS = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private RegistryAddress() {
    }

    /**
     * Reduces a registry address to its host (and port), the way the Docker CLI's
     * {@code ConvertToHostname} does: {@code https://host:5000/v1/} becomes {@code host:5000}.
     */
    static String toHostname(String address) {
        String stripped = address.trim();
        if (stripped.startsWith("http://")) {
            stripped = stripped.substring("http://".length());
        } else if (stripped.startsWith("https://")) {
            stripped = stripped.substring("https://".length());
        }
        int slash = stripped.indexOf('/');
        return slash < 0 ? stripped : stripped.substring(0, slash);
    }

    static boolean isDockerHub(String host) {
        return DOCKER_HUB_HOSTS.contains(host);
    }

    /** The key the Docker CLI uses for this registry in {@code auths} and {@code credHelpers}. */
    static String configKey(String host) {
        return isDockerHub(host) ? DOCKER_HUB_KEY : host;
    }

    /**
     * Server URLs to ask a credential helper for, in order: the key {@code docker login} uses today
     * (the bare host, or the v1 index URL for Docker Hub), then the {@code https://} form that older
     * logins stored.
     */
    static List<String> helperServerUrls(String host) {
        return isDockerHub(host) ? List.of(DOCKER_HUB_KEY) : List.of(host, "https://" + host);
    }
}
