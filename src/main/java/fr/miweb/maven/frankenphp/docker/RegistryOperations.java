package fr.miweb.maven.frankenphp.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import fr.miweb.maven.frankenphp.registry.DeadlineExceededException;
import fr.miweb.maven.frankenphp.registry.RegistryApi;
import fr.miweb.maven.frankenphp.registry.RegistryApiException;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RegistryFailureClassifier;
import fr.miweb.maven.frankenphp.registry.RetryClassifier;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Login checks and pushes, done by the Docker daemon (so it uses the daemon's trust store and
 * proxy settings, exactly as {@code docker push} would).
 *
 * <p>A push's HTTP response is 200 even when the push failed: the failure is an item in the
 * stream. Every error item fails the push here; docker-java's plain callback would report success.
 */
public final class RegistryOperations {

    /** "latest: digest: sha256:... size: 1234", the daemon's last status line of a push. */
    private static final Pattern DIGEST_STATUS = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

    private final DockerClient client;

    public RegistryOperations(DockerClient client) {
        this.client = client;
    }

    /** A push or login attempt that failed; the message is the registry's or daemon's. */
    public static class RegistryOperationException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final OptionalInt httpStatus;

        RegistryOperationException(String message, OptionalInt httpStatus, Throwable cause) {
            super(message, cause);
            this.httpStatus = httpStatus;
        }

        public OptionalInt httpStatus() {
            return httpStatus;
        }
    }

    /** An operation exceeded its deadline. Never retried: the deadline bounds the whole goal. */
    public static class OperationTimeoutException extends DeadlineExceededException {
        private static final long serialVersionUID = 1L;

        OperationTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * Retry 5xx and dropped connections, of the daemon's pushes and of {@link RegistryApi} requests alike; never
     * 401/403, never a deadline ({@link DeadlineExceededException}).
     */
    public static RetryClassifier retryClassifier() {
        RegistryFailureClassifier registry = new RegistryFailureClassifier(RegistryOperations::httpStatusOf);
        return failure -> !(failure instanceof DeadlineExceededException) && registry.isRetryable(failure);
    }

    /** The HTTP status a failure of a push, a login check or a registry API request carries, if any. */
    public static OptionalInt httpStatusOf(Throwable failure) {
        if (failure instanceof RegistryOperationException e) {
            return e.httpStatus();
        }
        if (failure instanceof RegistryApiException e) {
            return e.httpStatus();
        }
        if (failure instanceof com.github.dockerjava.api.exception.DockerException e) {
            return OptionalInt.of(e.getHttpStatus());
        }
        return OptionalInt.empty();
    }

    public static AuthConfig authConfig(String registry, RegistryCredentials credentials) {
        AuthConfig auth = new AuthConfig().withRegistryAddress(registry);
        return switch (credentials.secretKind()) {
            case PASSWORD -> auth.withUsername(credentials.username()).withPassword(credentials.secret());
            case IDENTITY_TOKEN -> auth.withUsername(credentials.username()).withIdentityToken(credentials.secret());
        };
    }

    /**
     * As {@link #checkLogin(String, RegistryCredentials)}, within a deadline: a registry (or daemon) that does
     * not answer fails the check with an {@link OperationTimeoutException} instead of holding the build.
     */
    public void checkLogin(String registry, RegistryCredentials credentials, Duration timeout) {
        FutureTask<Void> login = new FutureTask<>(() -> {
            checkLogin(registry, credentials);
            return null;
        });
        Thread thread = new Thread(login, "frankenphp-registry-login");
        // A login the daemon never answers must not keep the build's JVM alive.
        thread.setDaemon(true);
        thread.start();
        try {
            login.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            login.cancel(true);
            throw new OperationTimeoutException("Registry login to " + registry + " took longer than " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new RegistryOperationException(DockerErrors.summary(e.getCause()), OptionalInt.empty(), e.getCause());
        } catch (InterruptedException e) {
            login.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryOperationException("Interrupted during the registry login to " + registry, OptionalInt.empty(), e);
        }
    }

    /** Asks the daemon to log in to the registry with these credentials; throws if refused. */
    public void checkLogin(String registry, RegistryCredentials credentials) {
        try {
            client.authCmd().withAuthConfig(authConfig(registry, credentials)).exec();
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            throw new RegistryOperationException(DockerErrors.summary(e), OptionalInt.of(e.getHttpStatus()), e);
        } catch (RuntimeException e) {
            throw new RegistryOperationException(DockerErrors.summary(e), OptionalInt.empty(), e);
        }
    }

    /**
     * Pushes one tag and returns the manifest digest the registry recorded.
     *
     * @param progress told about each status line (layer pushed, already exists...)
     */
    public String push(String repository, String tag, RegistryCredentials credentials, String registry,
                       Duration timeout, Consumer<String> progress) {
        PushCallback callback = new PushCallback(progress);
        client.pushImageCmd(repository).withTag(tag).withAuthConfig(authConfig(registry, credentials)).exec(callback);
        try {
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new OperationTimeoutException("Pushing " + repository + ":" + tag + " took longer than "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryOperationException("Interrupted while pushing " + repository + ":" + tag, OptionalInt.empty(), e);
        } finally {
            closeQuietly(callback);
        }
        return callback.result(repository + ":" + tag);
    }

    private static void closeQuietly(ResultCallback.Adapter<?> callback) {
        try {
            callback.close();
        } catch (IOException ignored) {
            // Closing aborts the request; nothing else to release.
        }
    }

    private static final class PushCallback extends ResultCallback.Adapter<PushResponseItem> {
        private final Consumer<String> progress;
        private final AtomicReference<String> error = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicReference<String> digest = new AtomicReference<>();

        PushCallback(Consumer<String> progress) {
            this.progress = progress;
        }

        @Override
        public void onNext(PushResponseItem item) {
            if (item.isErrorIndicated()) {
                String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                error.compareAndSet(null, message);
                return;
            }
            if (item.getAux() != null && item.getAux().getDigest() != null) {
                digest.set(item.getAux().getDigest());
            }
            String status = item.getStatus();
            if (status != null) {
                Matcher matcher = DIGEST_STATUS.matcher(status);
                if (matcher.find()) {
                    digest.compareAndSet(null, matcher.group(1));
                }
                if (item.getProgressDetail() == null || item.getProgressDetail().getCurrent() == null) {
                    progress.accept(item.getId() != null ? item.getId() + ": " + status : status);
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            failure.compareAndSet(null, throwable);
            super.onError(throwable);
        }

        String result(String reference) {
            Throwable thrown = failure.get();
            if (thrown != null) {
                throw new RegistryOperationException("Pushing " + reference + " failed: " + DockerErrors.summary(thrown),
                        httpStatusOf(thrown), thrown);
            }
            if (error.get() != null) {
                throw new RegistryOperationException("Pushing " + reference + " failed: " + error.get(), OptionalInt.empty(), null);
            }
            return Optional.ofNullable(digest.get()).orElseThrow(() -> new RegistryOperationException(
                    "Pushing " + reference + " ended without a digest from the registry", OptionalInt.empty(), null));
        }
    }
}
