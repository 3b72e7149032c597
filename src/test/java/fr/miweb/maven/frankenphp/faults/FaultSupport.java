package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.Retrier;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import fr.miweb.maven.frankenphp.registry.RetryPolicy;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fault tests share: the check that the Docker engine and the test registry are there (skipped
 * loudly without them, failed with {@code -Dfrankenphp.it.requireDocker=true}), the registry's HTTP API on
 * :5443, the docker CLI, and a small image to build and push.
 */
final class FaultSupport {

    static final String REGISTRY = FaultProxy.REGISTRY_HOST + ":" + FaultProxy.REGISTRY_PORT;
    static final String USER = "frankenphp-it";
    static final Path PASSWORD_FILE = FaultProxy.STATE_DIRECTORY.resolve("registry-password");
    static final String BASE_IMAGE = "dunglas/frankenphp:1-php8.4-bookworm";
    static final String REQUIRE_DOCKER = "frankenphp.it.requireDocker";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static volatile String unavailable;

    private FaultSupport() {
    }

    /**
     * Skips the calling test, with a banner on stderr, unless the engine, the registry and its password are
     * there. With {@code -Dfrankenphp.it.requireDocker=true} (CI) a missing piece fails the test instead.
     */
    static void requireDocker() {
        if (unavailable == null) {
            List<String> problems = new ArrayList<>();
            if (run(List.of("docker", "info"), Duration.ofSeconds(20)).exitCode() != 0) {
                problems.add("no Docker engine answers `docker info`");
            }
            if (!registryAnswers()) {
                problems.add("the test registry https://" + REGISTRY + "/v2/ does not answer");
            }
            if (!Files.isReadable(PASSWORD_FILE)) {
                problems.add("no readable " + PASSWORD_FILE);
            }
            if (!Files.isReadable(FaultProxy.STATE_DIRECTORY.resolve("ca.key"))) {
                problems.add("no readable test CA key " + FaultProxy.STATE_DIRECTORY.resolve("ca.key") + " (run the tests as root)");
            }
            if (run(List.of("docker", "image", "inspect", BASE_IMAGE), Duration.ofSeconds(20)).exitCode() != 0) {
                problems.add("no " + BASE_IMAGE + " stand-in image");
            }
            unavailable = String.join("; ", problems);
        }
        if (unavailable.isEmpty()) {
            return;
        }
        String reason = unavailable + " (run: bash src/test/infra/setup.sh)";
        if (Boolean.getBoolean(REQUIRE_DOCKER)) {
            Assertions.fail("Docker fault test cannot run: " + reason);
        }
        System.err.println("*************************************************************************");
        System.err.println("* SKIPPED Docker fault test: " + reason);
        System.err.println("*************************************************************************");
        Assumptions.abort("SKIPPED Docker fault test: " + reason);
    }

    /**
     * {@link #requireDocker()}, plus what {@link FaultProxy} needs: the engine must trust the proxy's address, so its
     * CA is either in /etc/docker/certs.d/registry.frankenphp.test:5444/ already (setup.sh) or can be put there.
     */
    static void requireProxy() {
        requireDocker();
        Path trust = FaultProxy.ENGINE_CERTS.resolve(FaultProxy.REGISTRY_HOST + ":" + FaultProxy.DEFAULT_PORT).resolve("ca.crt");
        if (Files.isRegularFile(trust) || Files.isWritable(FaultProxy.ENGINE_CERTS)) {
            return;
        }
        String reason = "the engine does not trust the fault proxy: no " + trust + ", and " + FaultProxy.ENGINE_CERTS
                + " is not writable (run: bash src/test/infra/setup.sh, or the tests as root)";
        if (Boolean.getBoolean(REQUIRE_DOCKER)) {
            Assertions.fail("Docker fault test cannot run: " + reason);
        }
        System.err.println("* SKIPPED Docker fault test: " + reason);
        Assumptions.abort("SKIPPED Docker fault test: " + reason);
    }

    static String password() throws IOException {
        return Files.readString(PASSWORD_FILE).trim();
    }

    static RegistryCredentials credentials() throws IOException {
        return RegistryCredentials.password(USER, password(), "the fault tests");
    }

    static DockerConnection connect() throws Exception {
        return DockerConnection.open(new DockerEndpointResolver(System.getenv(), Path.of(System.getProperty("user.home"))).resolve(),
                Duration.ofSeconds(10));
    }

    /** A repository name no earlier run used: {@code faults/<what>-<time>-<n>}. */
    static String uniqueName(String what) {
        return "faults/" + what + "-" + DateTimeFormatter.ofPattern("MMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "-" + SEQUENCE.incrementAndGet();
    }

    /** A version tag like the timestamp strategy's, unique within this JVM. */
    static String versionTag() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + "-" + SEQUENCE.incrementAndGet();
    }

    /** Retries like the mojo does, with short waits, recording each retry. */
    static Retrier retrier(int attempts, List<RetryEvent> events) {
        return new Retrier(new RetryPolicy(attempts, Duration.ofMillis(500), 2.0, Duration.ofSeconds(4)),
                RegistryOperations.retryClassifier(), events::add);
    }

    /**
     * A tiny project built on the stand-in base image, with {@code payloadBytes} of random data so that its
     * layer is new to the registry and must really be uploaded.
     */
    static Path project(Path directory, String marker, int payloadBytes) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("Dockerfile"), "FROM " + BASE_IMAGE + "\nCOPY . /app/\n");
        Files.writeString(directory.resolve("marker.txt"), marker + "\n");
        byte[] payload = new byte[payloadBytes];
        new Random().nextBytes(payload);
        Files.write(directory.resolve("payload.bin"), payload);
        return directory;
    }

    /** Builds the project as {@code repository:version} and {@code :latest}, and returns what build would record. */
    static ImageRecord build(DockerConnection docker, Path project, String repository, String version) throws Exception {
        return build(docker, project, repository, version, Map.of());
    }

    /** As {@link #build(DockerConnection, Path, String, String)}, with more labels (e.g. the OCI created label). */
    static ImageRecord build(DockerConnection docker, Path project, String repository, String version, Map<String, String> labels)
            throws Exception {
        BuildContext context = new BuildContext(project, DockerIgnore.empty(), Map.of());
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("fr.miweb.frankenphp-it.faults", "true"));
        all.putAll(labels);
        ImageBuilder.BuildResult result = new ImageBuilder(docker.client()).build(new ImageBuilder.BuildRequest(context, "Dockerfile",
                new LinkedHashSet<>(List.of(repository + ":" + version, repository + ":latest")), all,
                Map.of(), false, false, Duration.ofMinutes(5)), line -> { });
        return ImageRecord.built(repository, version, result.imageId(), Instant.now().toString());
    }

    // ------------------------------------------------------------------------------------- registry API

    private static boolean registryAnswers() {
        try {
            HttpResponse<Void> response = http().send(HttpRequest.newBuilder(URI.create("https://" + REGISTRY + "/v2/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 401 || response.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpClient http() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(FaultProxy.STATE_DIRECTORY.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest.Builder api(String path) throws IOException {
        return HttpRequest.newBuilder(URI.create("https://" + REGISTRY + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password()).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json");
    }

    /** The tags of a repository (name without registry), read from the registry itself on :5443. */
    static List<String> tags(String name) throws Exception {
        HttpResponse<String> response = http().send(api("/v2/" + name + "/tags/list").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return List.of();
        }
        Assertions.assertEquals(200, response.statusCode(), () -> "tags/list of " + name + ": " + response.body());
        Matcher list = Pattern.compile("\"tags\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(response.body());
        if (!list.find()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        Matcher tag = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
        while (tag.find()) {
            tags.add(tag.group(1));
        }
        return tags;
    }

    /** The manifest digest the registry serves for a tag, or null. */
    static String manifestDigest(String name, String tag) throws Exception {
        HttpResponse<Void> response = http().send(api("/v2/" + name + "/manifests/" + tag).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest").orElse(null) : null;
    }

    /** The config digest of a tag's manifest in the registry: the image id of what the tag names. */
    static String configDigest(String name, String tag) throws Exception {
        HttpResponse<String> response = http().send(api("/v2/" + name + "/manifests/" + tag).build(), HttpResponse.BodyHandlers.ofString());
        Assertions.assertEquals(200, response.statusCode(), () -> "manifest " + name + ":" + tag + ": " + response.body());
        Matcher config = Pattern.compile("\"config\"\\s*:\\s*\\{[^}]*\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"").matcher(response.body());
        Assertions.assertTrue(config.find(), response::body);
        return config.group(1);
    }

    // ------------------------------------------------------------------------------------------ the CLI

    record Result(int exitCode, String output) {
    }

    /** Runs the docker CLI; output is stdout and stderr together. */
    static Result docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return run(command, Duration.ofMinutes(3));
    }

    static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, true);
    }

    /**
     * Runs a command; its output is stdout, followed by stderr when {@code withErrors} or when it failed.
     * Output goes through files, so a chatty command cannot block on a full pipe.
     */
    static Result run(List<String> command, Duration timeout, boolean withErrors) {
        try {
            Path output = Files.createTempFile("fault-cmd", ".txt");
            Path errors = Files.createTempFile("fault-cmd", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, command + " timed out");
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (withErrors || process.exitValue() != 0) {
                    text += Files.readString(errors, StandardCharsets.UTF_8);
                }
                return new Result(process.exitValue(), text);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** An entry of an image's exported file system. */
    record Entry(String name, boolean symbolicLink, String linkName, long size) {
    }

    /** The file system of a container created from the image ({@code docker export}), entry by entry. */
    static List<Entry> exportedFileSystem(String image, Path work) throws IOException {
        Result created = docker("create", image, "/bin/true");
        Assertions.assertEquals(0, created.exitCode(), created::output);
        String container = created.output().strip();
        Path tar = Files.createTempFile(work, "export", ".tar");
        try {
            Result exported = docker("export", "-o", tar.toString(), container);
            Assertions.assertEquals(0, exported.exitCode(), exported::output);
            List<Entry> entries = new ArrayList<>();
            try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                         new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
                for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    entries.add(new Entry(entry.getName(), entry.isSymbolicLink(), entry.getLinkName(), entry.getSize()));
                }
            }
            return entries;
        } finally {
            docker("rm", "-f", container);
            Files.deleteIfExists(tar);
        }
    }

    /**
     * Whether any byte sequence of the image (every layer, the config, the manifest, as {@code docker save} writes
     * them, uncompressed) contains one of the secrets; returns the ones found.
     */
    static List<String> secretsInSavedImage(String image, Path work, String... secrets) throws IOException {
        Path tar = Files.createTempFile(work, "save", ".tar");
        try {
            Result saved = docker("save", "-o", tar.toString(), image);
            Assertions.assertEquals(0, saved.exitCode(), saved::output);
            return secretsIn(tar, secrets);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** The secrets found in a file's bytes, read as a stream (files may be large). */
    static List<String> secretsIn(Path file, String... secrets) throws IOException {
        List<String> found = new ArrayList<>();
        int longest = java.util.Arrays.stream(secrets).mapToInt(String::length).max().orElse(1);
        byte[] buffer = new byte[1 << 20];
        String carry = "";
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                String window = carry + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    if (!found.contains(secret) && window.contains(secret)) {
                        found.add(secret);
                    }
                }
                carry = window.substring(Math.max(0, window.length() - longest));
            }
        }
        return found;
    }

    /** Removes local images quietly (test clean-up). */
    static void removeImages(String... references) {
        List<String> command = new ArrayList<>(List.of("docker", "image", "rm", "-f"));
        command.addAll(List.of(references));
        run(command, Duration.ofMinutes(1));
    }
}
