package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryApiException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RegistryApi} against the real TLS + htpasswd registry (Basic challenge), as rollback will use it. */
class RegistryApiRealRegistryTest {

    @TempDir
    Path directory;

    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void engine() {
        FaultSupport.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        FaultSupport.removeImages(images.toArray(String[]::new));
    }

    private RegistryApi api(RegistryCredentials credentials, Path certsDirectory) {
        return new RegistryApi(FaultSupport.REGISTRY, credentials, FaultSupport.retrier(2, retries), Duration.ofSeconds(30), certsDirectory);
    }

    /** composer:2 pushed to a new repository as {@code tag}; returns the name. */
    private String pushed(String tag) throws Exception {
        String name = FaultSupport.uniqueName("api");
        String repository = FaultSupport.REGISTRY + "/" + name;
        try (DockerConnection docker = FaultSupport.connect()) {
            docker.client().tagImageCmd("composer:2", repository, tag).withForce().exec();
            images.add(repository + ":" + tag);
            new RegistryOperations(docker.client()).push(repository, tag, FaultSupport.credentials(), FaultSupport.REGISTRY,
                    Duration.ofMinutes(2), line -> { });
        }
        return name;
    }

    @Test
    void readsAManifestAndItsConfigThenPutsItToAnotherTag() throws Exception {
        String name = pushed("1.0.0");
        RegistryApi api = api(FaultSupport.credentials(), RegistryApi.DOCKER_CERTS_DIRECTORY);

        RegistryApi.Manifest manifest = api.manifest(name, "1.0.0").orElseThrow();
        assertEquals(FaultSupport.manifestDigest(name, "1.0.0"), manifest.digest());
        assertEquals(RegistryApi.DOCKER_MANIFEST, manifest.mediaType());
        assertEquals(FaultSupport.configDigest(name, "1.0.0"), manifest.configDigest().orElseThrow());
        assertEquals(Optional.of(manifest.digest()), api.manifestDigest(name, "1.0.0"));
        assertEquals(Optional.empty(), api.manifest(name, "nope"));
        assertEquals(Optional.empty(), api.manifestDigest(name, "nope"));
        try (DockerConnection docker = FaultSupport.connect()) {
            assertEquals(docker.client().inspectImageCmd("composer:2").exec().getConfig().getLabels() == null ? java.util.Map.of()
                    : docker.client().inspectImageCmd("composer:2").exec().getConfig().getLabels(),
                    api.configLabels(name, manifest.configDigest().orElseThrow()));
        }

        assertEquals(manifest.digest(), api.putManifest(name, "latest", manifest));

        assertEquals(manifest.digest(), FaultSupport.manifestDigest(name, "latest"));
        assertTrue(FaultSupport.tags(name).contains("latest"));
        assertTrue(retries.isEmpty(), retries::toString);
    }

    @Test
    void aWrongPasswordIsRefusedWith401WithoutRetrying() throws Exception {
        String name = pushed("1.0.0");
        RetryFailedException failure = assertThrows(RetryFailedException.class,
                () -> api(RegistryCredentials.password(FaultSupport.USER, "wrong-password", "test"), RegistryApi.DOCKER_CERTS_DIRECTORY)
                        .manifest(name, "1.0.0"));
        assertEquals(OptionalInt.of(401), assertInstanceOf(RegistryApiException.class, failure.getCause()).httpStatus());
        assertEquals(1, failure.attempts());
        assertFalse(failure.getMessage().contains("wrong-password"));
    }

    /**
     * With a JVM trust store lacking the test CA (setup.sh also installs it in the system's), the registry is trusted
     * through {@code <certs.d>/registry.frankenphp.test:5443/ca.crt} only.
     */
    @Test
    void theCaOfTheCertsDirectoryIsTrustedAsTheEngineDoes() throws Exception {
        String name = pushed("1.0.0");
        Path caFile = FaultProxy.STATE_DIRECTORY.resolve("ca.crt");
        Certificate ca;
        try (InputStream in = Files.newInputStream(caFile)) {
            ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore jvm = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            jvm.load(in, "changeit".toCharArray());
        }
        for (String alias : Collections.list(jvm.aliases())) {
            if (ca.equals(jvm.getCertificate(alias))) {
                jvm.deleteEntry(alias);
            }
        }
        Path trustStore = directory.resolve("cacerts-without-test-ca");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            jvm.store(out, "changeit".toCharArray());
        }
        Path emptyCerts = Files.createDirectories(directory.resolve("empty-certs.d"));
        Path certs = Files.createDirectories(directory.resolve("certs.d").resolve(FaultSupport.REGISTRY));
        Files.copy(caFile, certs.resolve("ca.crt"));
        String before = System.getProperty("javax.net.ssl.trustStore");
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        try {
            RetryFailedException untrusted = assertThrows(RetryFailedException.class,
                    () -> api(FaultSupport.credentials(), emptyCerts).manifestDigest(name, "1.0.0"));
            assertTrue(untrusted.getCause().getMessage().contains("the TLS handshake with " + FaultSupport.REGISTRY + " failed"),
                    untrusted::getMessage);
            assertEquals(1, untrusted.attempts(), "an untrusted certificate is not retried");

            assertEquals(Optional.of(FaultSupport.manifestDigest(name, "1.0.0")),
                    api(FaultSupport.credentials(), directory.resolve("certs.d")).manifestDigest(name, "1.0.0"));
        } finally {
            if (before == null) {
                System.clearProperty("javax.net.ssl.trustStore");
            } else {
                System.setProperty("javax.net.ssl.trustStore", before);
            }
        }
    }
}
