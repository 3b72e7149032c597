package fr.miweb.maven.frankenphp.publish;

import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.RegistryOperations;
import fr.miweb.maven.frankenphp.registry.DeadlineExceededException;
import fr.miweb.maven.frankenphp.registry.DurationFormat;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RegistryFailureClassifier;
import fr.miweb.maven.frankenphp.registry.RetryFailedException;

import java.time.Duration;
import java.util.OptionalInt;

/** The registry login check both build (before a deploy) and push make, and how a registry failure is reported. */
final class RegistryLogin {

    private RegistryLogin() {
    }

    static void check(ImagePublisher publisher, String registry, RegistryCredentials credentials, Duration pushTimeout, Progress progress)
            throws PublishException {
        try {
            publisher.checkLogin(registry, credentials);
            progress.info("Registry login to " + registry + " succeeded");
        } catch (RetryFailedException e) {
            throw failure("Registry login to " + registry, credentials, pushTimeout, e);
        }
    }

    /** A refusal of the credentials is the user's to fix; anything else is the infrastructure's. */
    static PublishException failure(String what, RegistryCredentials credentials, Duration pushTimeout, RetryFailedException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        OptionalInt status = RegistryOperations.httpStatusOf(cause);
        if (RegistryFailureClassifier.isAuthenticationFailure(status, String.valueOf(cause.getMessage()))) {
            // The cause, not the retrier's wrapper: Maven appends cause messages it does not find in ours.
            return new PublishException(what + " was refused for user '" + credentials.username() + "' with credentials from "
                    + credentials.source() + ": " + cause.getMessage() + ". Fix the user name or password there; nothing was pushed.",
                    true, cause);
        }
        if (cause instanceof DeadlineExceededException) {
            return new PublishException(e.getMessage() + ". Raise <pushTimeout> (frankenphp.push.timeout, now "
                    + DurationFormat.format(pushTimeout) + ") if the registry is legitimately slow.",
                    false, e);
        }
        return new PublishException(e.getMessage(), false, e);
    }
}
