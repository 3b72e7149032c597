package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrierTest {

    private static final String PUSH = "push of docker-registry.miweb.fr/app:1.2.0";
    private static final RetryPolicy FOUR_ATTEMPTS = new RetryPolicy(4, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(5));

    private final List<Duration> sleeps = new ArrayList<>();
    private final List<RetryEvent> events = new ArrayList<>();
    private final Retrier retrier =
            new Retrier(FOUR_ATTEMPTS, new RegistryFailureClassifier(), events::add, sleeps::add);

    /** Fails with each message in turn, then returns "pushed". */
    private static final class FlakyPush {
        private final List<String> failures;
        private final AtomicInteger calls = new AtomicInteger();

        FlakyPush(String... failures) {
            this.failures = List.of(failures);
        }

        String push() throws IOException {
            int call = calls.getAndIncrement();
            if (call < failures.size()) {
                throw new IOException(failures.get(call));
            }
            return "pushed";
        }
    }

    @Test
    void returnsAtOnceWhenTheFirstAttemptSucceeds() {
        assertEquals("pushed", retrier.call(PUSH, () -> "pushed"));
        assertEquals(List.of(), events);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void retries503UntilSuccessReportingEachRetry() {
        FlakyPush push = new FlakyPush("received unexpected HTTP status: 503 Service Unavailable",
                "read tcp 10.0.0.2:443: connection reset by peer");

        assertEquals("pushed", retrier.call(PUSH, push::push));

        assertEquals(3, push.calls.get());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), sleeps);
        assertEquals(List.of(2, 3), events.stream().map(RetryEvent::nextAttempt).toList());
        assertEquals("retrying " + PUSH + " in 2s (attempt 2/4): received unexpected HTTP status: 503 Service Unavailable",
                events.get(0).describe());
        assertEquals("retrying " + PUSH + " in 4s (attempt 3/4): read tcp 10.0.0.2:443: connection reset by peer",
                events.get(1).describe());
    }

    @Test
    void stopsAfterMaxAttemptsWithAMessageCountingThem() {
        FlakyPush push = new FlakyPush("503 Service Unavailable", "503 Service Unavailable",
                "503 Service Unavailable", "503 Service Unavailable", "503 Service Unavailable");

        RetryFailedException error = assertThrows(RetryFailedException.class, () -> retrier.call(PUSH, push::push));

        assertEquals(PUSH + " failed after 4 attempts: 503 Service Unavailable", error.getMessage());
        assertEquals(4, error.attempts());
        assertEquals(4, push.calls.get());
        assertEquals(List.of(2, 3, 4), events.stream().map(RetryEvent::nextAttempt).toList());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5)), sleeps);
        assertTrue(error.getCause() instanceof IOException);
    }

    @Test
    void doesNotRetryAuthenticationFailures() {
        FlakyPush push = new FlakyPush("unauthorized: authentication required");

        RetryFailedException error = assertThrows(RetryFailedException.class, () -> retrier.call(PUSH, push::push));

        assertEquals(PUSH + " failed after 1 attempt (error is not retryable): unauthorized: authentication required",
                error.getMessage());
        assertEquals(1, push.calls.get());
        assertEquals(List.of(), events);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void stopsAtAPermanentFailureAfterTransientOnes() {
        FlakyPush push = new FlakyPush("502 Bad Gateway", "denied: requested access to the resource is denied");

        RetryFailedException error = assertThrows(RetryFailedException.class, () -> retrier.call(PUSH, push::push));

        assertEquals(PUSH + " failed after 2 attempts (error is not retryable): "
                + "denied: requested access to the resource is denied", error.getMessage());
        assertEquals(1, events.size());
    }

    @Test
    void singleAttemptPolicyNeverRetries() {
        Retrier once = new Retrier(new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO),
                new RegistryFailureClassifier(), events::add, sleeps::add);

        RetryFailedException error = assertThrows(RetryFailedException.class,
                () -> once.call(PUSH, new FlakyPush("503 Service Unavailable")::push));

        assertEquals(PUSH + " failed after 1 attempt: 503 Service Unavailable", error.getMessage());
        assertEquals(List.of(), events);
    }

    @Test
    void eventCarriesTheFailureAndSummarisesWrappedCauses() {
        SocketException reset = new SocketException("Connection reset");
        FlakyPushWithCause push = new FlakyPushWithCause(new RuntimeException(reset));

        retrier.call(PUSH, push::push);

        assertEquals("Connection reset", events.get(0).causeSummary());
        assertSame(reset, events.get(0).failure().getCause());
    }

    private static final class FlakyPushWithCause {
        private final RuntimeException failure;
        private boolean failed;

        FlakyPushWithCause(RuntimeException failure) {
            this.failure = failure;
        }

        String push() {
            if (!failed) {
                failed = true;
                throw failure;
            }
            return "pushed";
        }
    }

    @Test
    void interruptionWhileWaitingStopsAndKeepsTheInterruptFlag() {
        Retrier interrupted = new Retrier(FOUR_ATTEMPTS, new RegistryFailureClassifier(), events::add,
                delay -> {
                    throw new InterruptedException();
                });
        try {
            RetryFailedException error = assertThrows(RetryFailedException.class,
                    () -> interrupted.call(PUSH, new FlakyPush("503 Service Unavailable")::push));

            assertEquals(PUSH + " was interrupted while waiting to retry after 1 attempt: 503 Service Unavailable",
                    error.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted(); // clear the flag for the next tests
        }
    }
}
