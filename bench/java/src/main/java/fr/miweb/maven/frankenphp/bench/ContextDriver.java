package fr.miweb.maven.frankenphp.bench;

import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.BuildContextStats;
import fr.miweb.maven.frankenphp.context.BuildContextStream;
import fr.miweb.maven.frankenphp.context.DockerIgnore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Produces the plugin's Docker build context for a directory, exactly as {@code frankenphp:build} does (the rendered
 * {@code .dockerignore}, every rendered file as an overlay), into a counting null stream, and prints one line of JSON:
 * time, bytes, files, and memory.
 *
 * <pre>
 * java -Xmx256m -cp frankenphp-bench.jar fr.miweb.maven.frankenphp.bench.ContextDriver BASE RENDERED [direct|stream|file:PATH]
 * </pre>
 *
 * <ul>
 *   <li>{@code direct}: {@link BuildContext#writeTo} on this thread;</li>
 *   <li>{@code stream}: {@link BuildContext#openStream()} drained by this thread 64 KB at a time, the producer/consumer
 *       pair the plugin hands to docker-java (default); {@code stream-N}: drained N bytes at a time (docker-java's
 *       HttpClient 5 transport reads the body 4096 bytes at a time);</li>
 *   <li>{@code file:PATH}: {@code writeTo} a file (to list the entries with {@code tar -t}).</li>
 * </ul>
 *
 * <p>Memory: {@code peakHeapUsedMb} is the sum of the heap pools' peak usage (garbage included, so it grows with -Xmx
 * until the first collections); {@code maxHeapAfterGcMb} is the largest heap occupancy right after a collection (what
 * is really retained); {@code vmHwmMb} is the process's peak resident set (VmHWM).
 */
public final class ContextDriver {

    private ContextDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ContextDriver BASE_DIR RENDERED_DIR [direct|stream|file:PATH]");
            System.exit(2);
        }
        Path base = Path.of(args[0]).toAbsolutePath().normalize();
        Path rendered = Path.of(args[1]).toAbsolutePath().normalize();
        String mode = args.length > 2 ? args[2] : "stream";
        int repeat = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        StringBuilder each = new StringBuilder();
        for (int i = 1; i < repeat; i++) { // extra warm runs first, when asked: the reported run is the last one
            long t = System.nanoTime();
            run(base, rendered, mode);
            each.append(String.format(Locale.ROOT, "%.4f,", (System.nanoTime() - t) / 1e9));
        }

        long start = System.nanoTime();
        Result result = run(base, rendered, mode);
        BuildContextStats stats = result.stats();
        CountingOutputStream sink = result.sink();
        long elapsedNanos = System.nanoTime() - start;

        double seconds = elapsedNanos / 1e9;
        StringBuilder json = new StringBuilder("{");
        field(json, "mode", '"' + mode.replaceAll("^file:.*", "file") + '"');
        field(json, "seconds", String.format(Locale.ROOT, "%.4f", seconds));
        field(json, "earlierRuns", "[" + (each.length() > 0 ? each.substring(0, each.length() - 1) : "") + "]");
        field(json, "tarBytes", Long.toString(sink.count));
        field(json, "contentBytes", Long.toString(stats.bytesSent()));
        field(json, "mbPerSecond", String.format(Locale.ROOT, "%.1f", sink.count / 1_048_576.0 / seconds));
        field(json, "filesSent", Long.toString(stats.filesSent()));
        field(json, "directoriesSent", Long.toString(stats.directoriesSent()));
        field(json, "entriesWalked", Long.toString(stats.entriesWalked()));
        field(json, "filesExcluded", Long.toString(stats.filesExcluded()));
        field(json, "directoriesPruned", Long.toString(stats.directoriesPruned()));
        field(json, "guarded", Integer.toString(stats.guardedPaths().size()));
        memory(json);
        json.setLength(json.length() - 1);
        System.out.println(json.append('}'));
    }

    private record Result(BuildContextStats stats, CountingOutputStream sink) {
    }

    private static Result run(Path base, Path rendered, String mode) throws Exception {
        DockerIgnore ignore = DockerIgnore.read(rendered.resolve(".dockerignore"));
        BuildContext context = new BuildContext(base, ignore, overlays(rendered, ignore));
        CountingOutputStream sink = new CountingOutputStream();
        BuildContextStats stats;
        if (mode.equals("direct")) {
            stats = context.writeTo(sink);
        } else if (mode.equals("stream") || mode.startsWith("stream-")) {
            // stream-N: read N bytes at a time (docker-java's HttpClient 5 transport copies the body 4096 bytes at a time)
            int readSize = mode.equals("stream") ? 64 * 1024 : Integer.parseInt(mode.substring("stream-".length()));
            try (BuildContextStream stream = context.openStream()) {
                drain(stream, sink, readSize);
                stats = stream.awaitStats();
            }
        } else if (mode.startsWith("file:")) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(mode.substring(5))), 1 << 16)) {
                stats = context.writeTo(out);
            }
        } else {
            throw new IllegalArgumentException("unknown mode " + mode);
        }
        return new Result(stats, sink);
    }

    private static void drain(InputStream in, OutputStream out, int readSize) throws IOException {
        byte[] buffer = new byte[readSize];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
        }
    }

    /**
     * The plugin's BuildMojo.overlays: every rendered file but image.json and temporary files, minus those the rendered
     * .dockerignore excludes (the server-side files), the Dockerfile and .dockerignore always included.
     */
    static Map<String, Path> overlays(Path output, DockerIgnore ignore) throws IOException {
        Map<String, Path> overlays = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("image.json"))
                    .filter(f -> !f.getFileName().toString().endsWith(".tmp") && !f.getFileName().toString().endsWith("-tmp"))
                    .forEach(f -> {
                        String relative = output.relativize(f).toString().replace('\\', '/');
                        if (relative.equals("Dockerfile") || relative.equals(".dockerignore") || !ignore.isExcluded(relative)) {
                            overlays.put(relative, f);
                        }
                    });
        }
        return overlays;
    }

    private static void memory(StringBuilder json) throws IOException {
        long peakHeap = 0;
        long maxAfterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            peakHeap += pool.getPeakUsage().getUsed();
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc != null) {
                maxAfterGc += afterGc.getUsed(); // last collection's occupancy of the pool
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        field(json, "heapMaxMb", mb(maxHeap));
        field(json, "peakHeapUsedMb", mb(peakHeap));
        field(json, "lastHeapAfterGcMb", mb(maxAfterGc));
        field(json, "gcCount", Long.toString(gcCount));
        field(json, "gcMillis", Long.toString(gcMillis));
        field(json, "vmHwmMb", mb(statusKb("VmHWM") * 1024));
    }

    private static long statusKb(String key) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_048_576.0);
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":").append(value).append(',');
    }

    /** Counts and discards. */
    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
