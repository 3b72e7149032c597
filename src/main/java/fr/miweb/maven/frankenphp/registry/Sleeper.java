package fr.miweb.maven.frankenphp.registry;

import java.time.Duration;

/** Waits between retries; injected into {@link Retrier} so that tests do not really sleep. */
@FunctionalInterface
public interface Sleeper {

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real thing: {@link Thread#sleep(long)}. */
    static Sleeper threadSleep() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
