package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryFailureClassifierTest {

    private final RegistryFailureClassifier classifier = new RegistryFailureClassifier();

    @ParameterizedTest
    @ValueSource(strings = {
            "received unexpected HTTP status: 503 Service Unavailable",
            "received unexpected HTTP status: 500 Internal Server Error",
            "502 Bad Gateway",
            "504 Gateway Timeout",
            "Status 507: insufficient storage",
            "read tcp 172.17.0.1:50712->10.0.0.2:443: read: connection reset by peer",
            "dial tcp 10.0.0.2:443: connect: connection refused",
            "unexpected EOF",
            "net/http: TLS handshake timeout",
            "Put \"https://registry/v2/app/blobs/uploads/x\": context deadline exceeded",
            "write tcp 10.0.0.1:1234->10.0.0.2:443: write: broken pipe",
            "Read timed out"})
    void transientFailuresAreRetryable(String message) {
        assertTrue(RegistryFailureClassifier.isRetryable(OptionalInt.empty(), message), message);
        assertTrue(classifier.isRetryable(new IOException("Could not push image: " + message)), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "unauthorized: authentication required",
            "unauthorized: incorrect username or password",
            "denied: requested access to the resource is denied",
            "no basic auth credentials",
            "received unexpected HTTP status: 401 Unauthorized",
            "403 Forbidden",
            "503 Service Unavailable: unauthorized"})
    void authenticationFailuresAreNeverRetryable(String message) {
        assertFalse(RegistryFailureClassifier.isRetryable(OptionalInt.empty(), message), message);
        assertTrue(RegistryFailureClassifier.isAuthenticationFailure(OptionalInt.empty(), message), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "manifest invalid: manifest invalid",
            "name unknown: repository name not known to registry",
            "toomanyrequests: You have reached your pull rate limit",
            "blob upload of 512 bytes rejected"})
    void otherFailuresAreNotRetryable(String message) {
        assertFalse(RegistryFailureClassifier.isRetryable(OptionalInt.empty(), message), message);
    }

    @Test
    void httpStatusDecidesWhenTheTextDoesNot() {
        assertTrue(RegistryFailureClassifier.isRetryable(OptionalInt.of(503), "failed"));
        assertTrue(RegistryFailureClassifier.isRetryable(OptionalInt.of(500), null));
        assertFalse(RegistryFailureClassifier.isRetryable(OptionalInt.of(401), "connection reset"));
        assertFalse(RegistryFailureClassifier.isRetryable(OptionalInt.of(403), null));
        assertFalse(RegistryFailureClassifier.isRetryable(OptionalInt.of(404), "not found"));
    }

    @Test
    void statusExtractorIsAppliedAlongTheCauseChain() {
        class StatusException extends RuntimeException {
            final int status;

            StatusException(int status) {
                super("registry call failed");
                this.status = status;
            }
        }
        RegistryFailureClassifier withStatus = new RegistryFailureClassifier(failure ->
                failure instanceof StatusException e ? OptionalInt.of(e.status) : OptionalInt.empty());

        assertTrue(withStatus.isRetryable(new IllegalStateException("push", new StatusException(502))));
        assertFalse(withStatus.isRetryable(new IllegalStateException("push", new StatusException(401))));
        assertFalse(withStatus.isRetryable(new StatusException(400)));
    }

    @Test
    void timeoutTypesAreRetryableWithoutAMessage() {
        assertTrue(classifier.isRetryable(new RuntimeException(null, new SocketTimeoutException())));
    }

    @Test
    void authenticationAnywhereInTheChainWins() {
        assertFalse(classifier.isRetryable(
                new IOException("connection reset", new IOException("unauthorized: authentication required"))));
    }
}
