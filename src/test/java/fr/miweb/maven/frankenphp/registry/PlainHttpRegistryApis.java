package fr.miweb.maven.frankenphp.registry;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/** A {@link RegistryApi} on a fake registry over plain HTTP, for tests outside this package. One attempt, no retries. */
public final class PlainHttpRegistryApis {

    private PlainHttpRegistryApis() {
    }

    public static RegistryApi of(String registryHost, URI base, RegistryCredentials credentials) throws NoSuchAlgorithmException {
        Retrier retrier = new Retrier(new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO), failure -> false, event -> { }, d -> { });
        return new RegistryApi(registryHost, base, credentials, retrier, Duration.ofSeconds(5), SSLContext.getDefault());
    }
}
