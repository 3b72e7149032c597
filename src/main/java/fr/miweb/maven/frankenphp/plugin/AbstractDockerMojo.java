package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.Durations;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.publish.PublishException;
import fr.miweb.maven.frankenphp.registry.CredentialResolution;
import fr.miweb.maven.frankenphp.registry.CredentialResolver;
import fr.miweb.maven.frankenphp.registry.MavenSettingsCredentialSource;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryApiException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RegistryCredentialsException;
import fr.miweb.maven.frankenphp.registry.Retrier;
import fr.miweb.maven.frankenphp.registry.RetryClassifier;
import fr.miweb.maven.frankenphp.registry.RetryPolicy;
import fr.miweb.maven.frankenphp.registry.SettingsServerLookup;
import fr.miweb.maven.frankenphp.registry.Throwables;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What the goals that talk to Docker share: the daemon, registry credentials, retries and timeouts. */
abstract class AbstractDockerMojo extends AbstractFrankenPhpMojo {

    /**
     * The id of the {@code <server>} in settings.xml holding the registry credentials.
     * Default: the registry host, e.g. {@code docker-registry.miweb.fr}.
     */
    @Parameter(property = "frankenphp.serverId")
    String serverId;

    /**
     * Skips the push. {@code build} reads it too: with nothing to push, it skips the registry login
     * check it otherwise makes before a deploy.
     */
    @Parameter(property = "frankenphp.push.skip", defaultValue = Defaults.PUSH_SKIP)
    String pushSkip;

    /** How long to wait for the Docker daemon (with the watchtower release target: Watchtower and the release URL) to accept a connection. */
    @Parameter(property = "frankenphp.connectTimeout", defaultValue = Defaults.CONNECT_TIMEOUT)
    String connectTimeout;

    /** Attempts of each registry operation (login check, push of one tag) before giving up; 1 disables retries. */
    @Parameter(property = "frankenphp.push.attempts", defaultValue = Defaults.PUSH_ATTEMPTS)
    String pushAttempts;

    /** Wait before the first retry; doubled after each failed attempt, up to 1 minute. */
    @Parameter(property = "frankenphp.push.retryBackoff", defaultValue = Defaults.PUSH_RETRY_BACKOFF)
    String pushRetryBackoff;

    /** Deadline of one push attempt of one tag, and of each request push makes to the registry's API. Timeouts are not retried. */
    @Parameter(property = "frankenphp.push.timeout", defaultValue = Defaults.PUSH_TIMEOUT)
    String pushTimeout;

    /**
     * Where the registry's CA certificates are looked up, as the Docker engine does: every {@code *.crt} in
     * {@code <registryCertsDirectory>/<registry host[:port]>/} is trusted, with the JVM's CAs, when push, release and
     * rollback read and write the registry's tags. Property {@code frankenphp.registry.certsDirectory}, default
     * {@code /etc/docker/certs.d}.
     */
    @Parameter(property = "frankenphp.registry.certsDirectory", defaultValue = Defaults.REGISTRY_CERTS_DIRECTORY)
    File registryCertsDirectory;

    private static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(1);

    private final SettingsDecrypter settingsDecrypter;

    AbstractDockerMojo(SettingsDecrypter settingsDecrypter) {
        this.settingsDecrypter = settingsDecrypter;
    }

    Path imageRecordFile() {
        return outputDirectory.toPath().resolve(ImageRecord.FILE_NAME);
    }

    DockerConnection connect() throws MojoExecutionException, MojoFailureException {
        try {
            DockerEndpointResolver resolver = new DockerEndpointResolver(System.getenv(), userHome());
            DockerEndpoint endpoint;
            try {
                endpoint = resolver.resolve();
            } finally {
                resolver.trace().forEach(step -> getLog().debug("Docker endpoint: " + step));
            }
            DockerConnection connection = DockerConnection.open(endpoint, connectTimeout());
            getLog().info("Docker Engine " + connection.engineVersion() + " at " + endpoint
                    + endpoint.tlsCertDirectory().map(dir -> ", TLS with the client certificate in " + dir).orElse("")
                    + ", API " + connection.apiVersion());
            return connection;
        } catch (DockerException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** Credentials for the registry, first found wins; the log names the source, never the secret. */
    RegistryCredentials credentials(String registry) throws MojoFailureException {
        String id = Optional.ofNullable(serverId).filter(s -> !s.isBlank()).orElse(registry);
        CredentialResolver resolver = CredentialResolver.standard(
                MavenSettingsCredentialSource.forServerId(this::findServer, id), System.getenv(), userHome());
        CredentialResolution resolution;
        getLog().debug("Registry credentials for " + registry + ": sources in order: settings.xml <server> id '" + id
                + "', FRANKENPHP_REGISTRY_USERNAME/FRANKENPHP_REGISTRY_PASSWORD, the Docker CLI config; first found wins");
        try {
            resolution = resolver.resolve(registry);
            List<String> consulted = resolution.consultedSources();
            for (int index = 0; index < consulted.size(); index++) {
                boolean answered = resolution.credentials().isPresent() && index == consulted.size() - 1;
                getLog().debug("Registry credentials: " + (index + 1) + ". " + consulted.get(index)
                        + (answered ? ": found (the user name is shown at INFO, the secret never)" : ": nothing for " + registry));
            }
        } catch (RegistryCredentialsException e) {
            throw new MojoFailureException("Could not read the credentials for " + registry + ": " + e.getMessage(), e);
        }
        RegistryCredentials credentials = resolution.credentials().orElseThrow(() -> new MojoFailureException(
                "No credentials for the registry " + registry + ". Looked in: " + resolution.consultedSourcesSummary()
                        + ". Add a <server> with <id>" + id + "</id> to ~/.m2/settings.xml, or set "
                        + "FRANKENPHP_REGISTRY_USERNAME and FRANKENPHP_REGISTRY_PASSWORD, or run docker login " + registry + "."));
        getLog().info("Registry credentials for " + registry + ": user '" + credentials.username() + "' from " + credentials.source());
        return credentials;
    }

    ImagePublisher publisher(DockerConnection connection) throws MojoFailureException {
        return new ImagePublisher(connection.client(), retrier(), pushTimeout(),
                line -> getLog().info(line), registryCertsDirectory.toPath());
    }

    /**
     * The registry's HTTP API, for reading and moving tags (release integrity, rollback), built when first asked for;
     * its settings and CA files are checked now.
     */
    Supplier<RegistryApi> registryApiFactory(String registry, RegistryCredentials credentials) throws MojoFailureException {
        try {
            return RegistryApi.deferred(registry, credentials, retrier(), pushTimeout(), registryCertsDirectory.toPath());
        } catch (RegistryApiException e) {
            throw new MojoFailureException(e.getMessage() + ". Fix or remove that file (the Docker CLI reads the same one).", e);
        }
    }

    /** Retries of registry operations, as {@code <pushAttempts>} and {@code <pushRetryBackoff>} say. */
    private Retrier retrier() throws MojoFailureException {
        Duration backoff = duration("<pushRetryBackoff>", "frankenphp.push.retryBackoff", pushRetryBackoff);
        int attempts = count(pushAttempts);
        // Doubling up to a minute, unless the first wait is already longer.
        Duration maxBackoff = backoff.compareTo(MAX_RETRY_BACKOFF) > 0 ? backoff : MAX_RETRY_BACKOFF;
        RetryPolicy policy = new RetryPolicy(attempts, backoff, 2.0, maxBackoff);
        RetryClassifier classifier = RegistryOperations.retryClassifier();
        getLog().debug("Registry retries: up to " + attempts + " attempts, waiting " + backoff + " then doubling up to "
                + maxBackoff);
        RetryClassifier explained = failure -> {
            boolean retryable = classifier.isRetryable(failure);
            getLog().debug("Registry operation failed (" + Throwables.summarize(failure) + "): "
                    + (retryable ? "transient, retried while attempts remain" : "not transient, not retried"));
            return retryable;
        };
        return new Retrier(policy, explained, event -> getLog().warn(event.describe()));
    }

    Duration pushTimeout() throws MojoFailureException {
        return duration("<pushTimeout>", "frankenphp.push.timeout", pushTimeout);
    }

    Duration connectTimeout() throws MojoFailureException {
        return duration("<connectTimeout>", "frankenphp.connectTimeout", connectTimeout);
    }

    /** Where the use cases say what they do: Maven's log. */
    MavenLogProgress progress() {
        return new MavenLogProgress(getLog());
    }

    /** A build or push the user can fix fails the build; anything else is the infrastructure's. */
    static MojoExecutionException translate(PublishException e) throws MojoFailureException {
        if (e.userFixable()) {
            throw new MojoFailureException(e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
        return new MojoExecutionException(e.getMessage(), e.getCause() == null ? e : e.getCause());
    }

    Duration duration(String element, String property, String value) throws MojoFailureException {
        return Durations.parse(value).filter(d -> !d.isZero()).orElseThrow(() -> new MojoFailureException(
                new ConfigurationProblem(element + " (" + property + ")", value, "use a duration such as 30s, 10m or 1h").describe()));
    }

    /** The settings.xml {@code <server>} with this id, its password decrypted; empty when there is none. */
    Optional<SettingsServerLookup.ServerCredentials> findServer(String id) {
        Server server = session.getSettings().getServer(id);
        if (server == null) {
            return Optional.empty();
        }
        SettingsDecryptionResult result = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        List<org.apache.maven.settings.building.SettingsProblem> problems = result.getProblems();
        if (!problems.isEmpty()) {
            throw new RegistryCredentialsException("the password of <server> '" + id + "' in settings.xml could not be decrypted: "
                    + problems.get(0).getMessage() + ". Check ~/.m2/settings-security.xml.");
        }
        Server decrypted = result.getServer();
        return Optional.of(new SettingsServerLookup.ServerCredentials(decrypted.getUsername(), decrypted.getPassword()));
    }

    private static Path userHome() {
        return Path.of(System.getProperty("user.home"));
    }
}
