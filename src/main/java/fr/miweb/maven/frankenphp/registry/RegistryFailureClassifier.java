package fr.miweb.maven.frankenphp.registry;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells transient registry and push failures from permanent ones, given an HTTP status and/or an error
 * text:
 * <ul>
 *   <li>authentication and authorisation failures (401, 403, "unauthorized", "denied",
 *       "authentication required") are never retryable, whatever else the failure says;</li>
 *   <li>server errors (5xx), dropped or refused connections, "unexpected EOF" and timeouts are retryable;</li>
 *   <li>anything else is not retryable.</li>
 * </ul>
 * As a {@link RetryClassifier} it inspects the whole cause chain of a failure, using an optional function
 * that extracts the HTTP status from exceptions (e.g. docker-java's {@code DockerException#getHttpStatus()}).
 */
public final class RegistryFailureClassifier implements RetryClassifier {

    /*
     * Lower-case phrases found in push errors of the Docker daemon (moby's distribution code and registry
     * client, which relay Go net/http and net errors), as docker-java reports them, e.g.
     * "Could not push image: received unexpected HTTP status: 503 Service Unavailable". A few Java networking
     * messages are included for failures between the plugin and the daemon or registry.
     */
    private static final List<String> AUTHENTICATION_PHRASES = List.of(
            "unauthorized",              // "unauthorized: authentication required", "unauthorized: incorrect username or password"
            "denied",                    // "denied: requested access to the resource is denied"
            "authentication required",
            "forbidden",                 // "403 Forbidden" from registries behind a reverse proxy
            "no basic auth credentials"); // daemon pushing without any credentials
    private static final List<String> TRANSIENT_PHRASES = List.of(
            "connection reset",          // "read tcp …: connection reset by peer", Java "Connection reset"
            "connection refused",        // "dial tcp …: connect: connection refused"
            "connection closed",
            "use of closed network connection",
            "server closed idle connection",
            "broken pipe",               // "write tcp …: write: broken pipe"
            "unexpected eof",            // upload cut short: "unexpected EOF"
            "timeout",                   // "net/http: TLS handshake timeout", "i/o timeout", "504 Gateway Timeout"
            "timed out",                 // Java "Read timed out", "connect timed out"
            "deadline exceeded",         // Go "context deadline exceeded"
            "internal server error",     // 500
            "bad gateway",               // 502
            "service unavailable");      // 503

    /** "HTTP status: 503" (daemon), "Status 500:" (docker-java), "status code 502". */
    private static final Pattern STATUS_IN_TEXT = Pattern.compile("(?i)\\bstatus(?: code)?:?\\s*(\\d{3})\\b");

    private final Function<Throwable, OptionalInt> httpStatusOf;

    /** A classifier that reads failures' messages and types only. */
    public RegistryFailureClassifier() {
        this(failure -> OptionalInt.empty());
    }

    /** @param httpStatusOf extracts the HTTP status an exception carries, or empty */
    public RegistryFailureClassifier(Function<Throwable, OptionalInt> httpStatusOf) {
        this.httpStatusOf = Objects.requireNonNull(httpStatusOf, "httpStatusOf");
    }

    /**
     * Whether a failure described by an HTTP status and/or a message is worth retrying.
     *
     * @param httpStatus the HTTP status, or empty when unknown
     * @param message    the error text, or null
     */
    public static boolean isRetryable(OptionalInt httpStatus, String message) {
        if (isAuthenticationFailure(httpStatus, message)) {
            return false;
        }
        return isServerError(httpStatus) || isServerError(statusIn(message)) || containsAny(message, TRANSIENT_PHRASES);
    }

    /** Whether the failure is a 401/403 or says "unauthorized", "denied" or "authentication required". */
    public static boolean isAuthenticationFailure(OptionalInt httpStatus, String message) {
        return isAuthenticationStatus(httpStatus) || isAuthenticationStatus(statusIn(message))
                || containsAny(message, AUTHENTICATION_PHRASES);
    }

    @Override
    public boolean isRetryable(Throwable failure) {
        List<Throwable> chain = Throwables.causeChain(failure);
        if (chain.stream().anyMatch(t -> isAuthenticationFailure(httpStatusOf.apply(t), t.getMessage()))) {
            return false;
        }
        return chain.stream().anyMatch(t -> isTransientType(t) || isRetryable(httpStatusOf.apply(t), t.getMessage()));
    }

    /** Exception types that mean a timeout or refused connection even when they carry no message. */
    private static boolean isTransientType(Throwable failure) {
        return failure instanceof SocketTimeoutException
                || failure instanceof ConnectException
                || failure instanceof HttpTimeoutException
                || failure instanceof TimeoutException;
    }

    private static boolean isServerError(OptionalInt status) {
        return status.isPresent() && status.getAsInt() >= 500 && status.getAsInt() <= 599;
    }

    private static boolean isAuthenticationStatus(OptionalInt status) {
        return status.isPresent() && (status.getAsInt() == 401 || status.getAsInt() == 403);
    }

    private static OptionalInt statusIn(String message) {
        if (message == null) {
            return OptionalInt.empty();
        }
        Matcher matcher = STATUS_IN_TEXT.matcher(message);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    private static boolean containsAny(String message, List<String> phrases) {
        if (message == null) {
            return false;
        }
        String lowerCase = message.toLowerCase(Locale.ROOT);
        return phrases.stream().anyMatch(lowerCase::contains);
    }
}
