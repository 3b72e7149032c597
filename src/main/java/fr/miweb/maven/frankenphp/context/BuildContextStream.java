package fr.miweb.maven.frankenphp.context;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tar of a {@link BuildContext}, written by a background thread while it is read: what docker-java's
 * {@code BuildImageCmd.withTarInputStream} needs, without holding the context in memory or in a temporary file.
 *
 * <p>The producer thread (a daemon named {@code frankenphp-build-context-tar}) fills a bounded buffer and waits
 * while it is full, so memory use is constant. If the producer fails, every later read throws an
 * {@link IOException} carrying the cause, even if some data was still buffered: a reader never mistakes a truncated
 * tar for a complete one. Closing the stream before the end makes the producer stop at its next write. Meant for
 * one reading thread.
 */
public final class BuildContextStream extends InputStream {

    static final String PRODUCER_THREAD_NAME = "frankenphp-build-context-tar";
    private static final int BUFFER_SIZE = 1024 * 1024;
    /**
     * The threads hand over in batches: the producer waits for this much free space (or what it has
     * to write, if less) and the reader signals only once that much is free. Signalling on every
     * read cost a pair of context switches per 4 KB docker-java reads (docs/performance.md).
     */
    static final int HANDOFF = BUFFER_SIZE / 4;
    /** Groups the tar's 512-byte records into fewer hand-overs between the threads. */
    private static final int PRODUCER_BATCH_SIZE = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition dataAvailable = lock.newCondition();
    private final Condition spaceAvailable = lock.newCondition();
    /** Circular buffer: {@code buffered} bytes starting at {@code readIndex}. */
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final byte[] singleByte = new byte[1];
    private int readIndex;
    private int buffered;
    private boolean producerFinished;
    private Throwable producerFailure;
    private BuildContextStats stats;
    private boolean closed;
    private final Thread producer;

    private BuildContextStream(BuildContext context) {
        producer = new Thread(() -> produce(context), PRODUCER_THREAD_NAME);
        // Never keeps the JVM (the Maven build) alive on its own.
        producer.setDaemon(true);
    }

    static BuildContextStream start(BuildContext context) {
        BuildContextStream stream = new BuildContextStream(context);
        stream.producer.start();
        return stream;
    }

    @Override
    public int read() throws IOException {
        int read = read(singleByte, 0, 1);
        return read < 0 ? -1 : singleByte[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (buffered == 0 && !producerFinished && !closed) {
                await(dataAvailable);
            }
            if (closed) {
                throw new IOException("Build context stream is closed");
            }
            if (producerFailure != null) {
                throw producerFailed();
            }
            if (buffered == 0) {
                return -1;
            }
            int count = Math.min(length, Math.min(buffered, buffer.length - readIndex));
            System.arraycopy(buffer, readIndex, target, offset, count);
            readIndex = (readIndex + count) % buffer.length;
            buffered -= count;
            if (buffer.length - buffered >= HANDOFF) {
                spaceAvailable.signal();
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Discards buffered data and stops the producer if it is still running. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            buffered = 0;
            spaceAvailable.signalAll();
            dataAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the producer to end and returns what it sent.
     *
     * @throws IOException when the producer failed or was stopped by an early {@link #close()}
     */
    public BuildContextStats awaitStats() throws IOException, InterruptedException {
        producer.join();
        lock.lock();
        try {
            if (producerFailure != null) {
                throw producerFailed();
            }
            return stats;
        } finally {
            lock.unlock();
        }
    }

    private void produce(BuildContext context) {
        BuildContextStats result = null;
        Throwable failure = null;
        try {
            OutputStream batches = new BufferedOutputStream(new BufferSink(), PRODUCER_BATCH_SIZE);
            result = context.writeTo(batches);
            batches.flush();
        } catch (Throwable e) { // Errors included: otherwise the reader would wait forever
            failure = e;
        }
        lock.lock();
        try {
            producerFinished = true;
            producerFailure = failure;
            stats = result;
            dataAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void write(byte[] source, int offset, int length) throws IOException {
        lock.lock();
        try {
            while (length > 0) {
                while (buffer.length - buffered < Math.min(length, HANDOFF) && !closed) {
                    await(spaceAvailable);
                }
                if (closed) {
                    throw new IOException("Build context stream was closed by its reader before the end");
                }
                int writeIndex = (readIndex + buffered) % buffer.length;
                int count = Math.min(length, Math.min(buffer.length - buffered, buffer.length - writeIndex));
                System.arraycopy(source, offset, buffer, writeIndex, count);
                buffered += count;
                offset += count;
                length -= count;
                dataAvailable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private IOException producerFailed() {
        return new IOException("Writing the Docker build context failed: " + producerFailure.getMessage(),
                producerFailure);
    }

    private static void await(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while streaming the build context");
        }
    }

    /** The producer's end of the buffer. */
    private final class BufferSink extends OutputStream {

        @Override
        public void write(int value) throws IOException {
            write(new byte[] {(byte) value}, 0, 1);
        }

        @Override
        public void write(byte[] source, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, source.length);
            BuildContextStream.this.write(source, offset, length);
        }
    }
}
