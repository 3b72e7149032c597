package fr.miweb.maven.frankenphp.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command with a deadline. Its output is read on other threads while this one waits: reading first would wait
 * for the pipe to close, which a hung process (a prompt, a lock, a slow network file system) or a child it left behind
 * never does. On timeout or interruption the process and its descendants are killed.
 */
public final class BoundedProcess {

    /** How long output may take to arrive once the process has exited (a child may still hold the pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /**
     * What the process printed. A stream is empty when a process the command started kept it open past the grace
     * period ({@link #outputHeldOpen()}).
     */
    public record Output(int exitCode, Optional<String> stdout, Optional<String> stderr) {
        public boolean outputHeldOpen() {
            return stdout.isEmpty() || stderr.isEmpty();
        }
    }

    /** The command did not finish in time; it was killed, with its descendants. */
    public static final class TimedOutException extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOutException(Duration timeout) {
            super("did not finish within " + timeout.toMillis() + " ms");
        }
    }

    private BoundedProcess() {
    }

    /**
     * @param input   written to its standard input, which is then closed (empty: closed at once, nothing to answer a
     *                prompt with)
     * @param label   names the reader threads
     * @throws IOException          it could not be started
     * @throws InterruptedException this thread was interrupted; the process was killed
     */
    public static Output run(ProcessBuilder command, byte[] input, Duration timeout, String label)
            throws IOException, InterruptedException, TimedOutException {
        Process process = command.start();
        Future<String> stdout = drain(process.getInputStream(), label + " stdout");
        Future<String> stderr = command.redirectErrorStream() ? null : drain(process.getErrorStream(), label + " stderr");
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input);
        } catch (IOException ignored) {
            // It exited or closed stdin without reading it; its exit code and output tell why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killWithDescendants(process);
                throw new TimedOutException(timeout);
            }
        } catch (InterruptedException e) {
            killWithDescendants(process);
            throw e;
        }
        return new Output(process.exitValue(), collect(stdout), stderr == null ? Optional.of("") : collect(stderr));
    }

    /** {@link #run(ProcessBuilder, byte[], Duration, String)} with nothing on standard input. */
    public static Output run(List<String> command, boolean mergeErrors, Duration timeout, String label)
            throws IOException, InterruptedException, TimedOutException {
        return run(new ProcessBuilder(command).redirectErrorStream(mergeErrors), new byte[0], timeout, label);
    }

    private static Future<String> drain(InputStream stream, String threadName) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        Thread reader = new Thread(task, threadName);
        // An orphaned child could keep the pipe open forever; never let that block the build's JVM exit.
        reader.setDaemon(true);
        reader.start();
        return task;
    }

    private static Optional<String> collect(Future<String> output) throws InterruptedException {
        try {
            return Optional.of(output.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        }
    }

    private static void killWithDescendants(Process process) {
        // Collect descendants first: once the process dies they are re-parented and no longer listed.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
