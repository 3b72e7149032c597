package fr.miweb.maven.frankenphp.registry;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The certificates {@link RegistryApi} trusts for a registry: the JVM's default trust store, plus, as the Docker
 * engine does, every {@code *.crt} in {@code <certs.d>/<host[:port]>/} (normally
 * {@code /etc/docker/certs.d/registry.example:5000/ca.crt}).
 */
public final class RegistryTrust {

    private RegistryTrust() {
    }

    /** The {@code *.crt} files of {@code certsDirectory/hostAndPort}, sorted; empty when the directory is absent. */
    public static List<Path> extraCertificateFiles(Path certsDirectory, String hostAndPort) {
        Path directory = certsDirectory.resolve(hostAndPort);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".crt")).sorted().toList();
        } catch (IOException e) {
            throw new RegistryApiException("Cannot list the registry CA certificates in " + directory + ": " + e.getMessage(),
                    java.util.OptionalInt.empty(), e);
        }
    }

    /**
     * Reads each file as {@link #sslContext} would, without building a context.
     *
     * @throws RegistryApiException naming the first file that is unreadable or holds no PEM certificate
     */
    public static void checkCertificateFiles(List<Path> certificateFiles) {
        certificateFiles.forEach(RegistryTrust::read);
    }

    /** A TLS context trusting the JVM's CAs and those of {@code certificateFiles}. */
    public static SSLContext sslContext(List<Path> certificateFiles) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int index = 0;
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                        trust.setCertificateEntry("jvm-" + index++, issuer);
                    }
                }
            }
            for (Path file : certificateFiles) {
                for (Certificate certificate : read(file)) {
                    trust.setCertificateEntry("certs.d-" + index++, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new RegistryApiException("Cannot set up the TLS trust for the registry: " + e.getMessage(),
                    java.util.OptionalInt.empty(), e);
        }
    }

    private static List<Certificate> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new RegistryApiException(file + " holds no PEM certificate", java.util.OptionalInt.empty(), null);
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new RegistryApiException("Cannot read the registry CA certificate " + file + ": " + e.getMessage(),
                    java.util.OptionalInt.empty(), e);
        }
    }
}
