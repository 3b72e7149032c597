package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryPolicyTest {

    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30));

        assertEquals(Duration.ofSeconds(2), policy.delayAfterFailedAttempt(1));
        assertEquals(Duration.ofSeconds(4), policy.delayAfterFailedAttempt(2));
        assertEquals(Duration.ofSeconds(8), policy.delayAfterFailedAttempt(3));
        assertEquals(Duration.ofSeconds(16), policy.delayAfterFailedAttempt(4));
        assertEquals(Duration.ofSeconds(30), policy.delayAfterFailedAttempt(5));
        assertEquals(Duration.ofSeconds(30), policy.delayAfterFailedAttempt(5_000));
    }

    @Test
    void fractionalMultiplierAndConstantDelay() {
        assertEquals(Duration.ofMillis(1_500),
                new RetryPolicy(3, Duration.ofSeconds(1), 1.5, Duration.ofMinutes(1)).delayAfterFailedAttempt(2));
        assertEquals(Duration.ofMillis(500),
                new RetryPolicy(3, Duration.ofMillis(500), 1.0, Duration.ofMillis(500)).delayAfterFailedAttempt(3));
    }

    @Test
    void rejectsInvalidSettingsWithClearMessages() {
        assertEquals("retry maxAttempts must be at least 1 (got 0)", assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO)).getMessage());
        assertEquals("retry initialBackoff must not be negative (got PT-1S)", assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ofSeconds(-1), 1.0, Duration.ZERO)).getMessage());
        assertEquals("retry multiplier must be a finite number of at least 1.0 (got 0.5)",
                assertThrows(IllegalArgumentException.class,
                        () -> new RetryPolicy(1, Duration.ZERO, 0.5, Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, Double.NaN, Duration.ZERO));
        assertEquals("retry maxBackoff (PT1S) must not be shorter than initialBackoff (PT2S)",
                assertThrows(IllegalArgumentException.class,
                        () -> new RetryPolicy(1, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1))).getMessage());
    }

    @Test
    void attemptNumbersStartAtOne() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10));

        assertThrows(IllegalArgumentException.class, () -> policy.delayAfterFailedAttempt(0));
    }
}
