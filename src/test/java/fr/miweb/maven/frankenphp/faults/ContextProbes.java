package fr.miweb.maven.frankenphp.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.BuildContextStats;
import fr.miweb.maven.frankenphp.context.BuildContextStream;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpoint;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Programs the build-context fault tests run in a separate JVM: as another user (an unreadable file is only
 * unreadable to a non-root user), or with a small heap (to show that a context of several GB streams through).
 * Each prints one {@code RESULT ...} line on stdout.
 */
public final class ContextProbes {

    private ContextProbes() {
    }

    public static void main(String[] arguments) throws Exception {
        switch (arguments[0]) {
            case "read" -> read(Path.of(arguments[1]));
            case "build-large" -> buildLarge(Path.of(arguments[1]));
            case "tar" -> tar(Path.of(arguments[1]), Path.of(arguments[2]));
            default -> throw new IllegalArgumentException(arguments[0]);
        }
    }

    /** Writes the context of a directory to a file, in this JVM's locale: prints the JVM's name encoding. */
    private static void tar(Path directory, Path out) throws Exception {
        try (OutputStream file = java.nio.file.Files.newOutputStream(out)) {
            BuildContextStats stats = new BuildContext(directory, DockerIgnore.parse("*.ignored\n"), Map.of()).writeTo(file);
            System.out.println("RESULT sent " + stats.filesSent() + " files with sun.jnu.encoding="
                    + System.getProperty("sun.jnu.encoding"));
        }
    }

    /** Streams the context of a directory to nowhere, as the build would: prints the stats or the failure. */
    private static void read(Path directory) {
        try (BuildContextStream stream = new BuildContext(directory, DockerIgnore.empty(), Map.of()).openStream()) {
            stream.transferTo(OutputStream.nullOutputStream());
            BuildContextStats stats = stream.awaitStats();
            System.out.println("RESULT sent " + stats.filesSent() + " files");
        } catch (Exception e) {
            System.out.println("RESULT failed: " + e.getMessage());
        }
    }

    /**
     * Builds the directory's context through the plugin's {@link ImageBuilder} and docker-java, against a fake
     * daemon on loopback that reads and counts the request body, and reports the peak heap used.
     */
    private static void buildLarge(Path directory) throws Exception {
        AtomicLong received = new AtomicLong();
        HttpServer daemon = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        daemon.createContext("/", exchange -> answer(exchange, received));
        daemon.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-daemon");
            thread.setDaemon(true);
            return thread;
        }));
        daemon.start();
        try (DockerConnection docker = DockerConnection.open(new DockerEndpoint(
                URI.create("tcp://127.0.0.1:" + daemon.getAddress().getPort()), Optional.empty(), "fake daemon"), Duration.ofSeconds(10))) {
            ImageBuilder.BuildResult result = new ImageBuilder(docker.client()).build(new ImageBuilder.BuildRequest(
                    new BuildContext(directory, DockerIgnore.empty(), Map.of()), "Dockerfile", Set.of("large:1"), Map.of(), Map.of(),
                    false, false, Duration.ofMinutes(20)), line -> { });
            long peak = 0;
            long peakOld = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                    if (pool.getName().contains("Old") || pool.getName().contains("Tenured")) {
                        peakOld = Math.max(peakOld, pool.getPeakUsage().getUsed());
                    }
                }
            }
            System.out.println("RESULT image=" + result.imageId() + " bytesSent=" + result.context().bytesSent()
                    + " bytesReceived=" + received.get() + " peakHeap=" + peak + " peakOld=" + peakOld
                    + " maxHeap=" + Runtime.getRuntime().maxMemory());
        } finally {
            daemon.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, AtomicLong received) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        if (path.endsWith("/version")) {
            body = "{\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\",\"Version\":\"20.10.99-fake\"}";
        } else if (path.endsWith("/build")) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    received.addAndGet(read);
                }
            }
            body = "{\"stream\":\"Step 1/1 : FROM scratch\\n\"}\n{\"stream\":\"Successfully built 0123456789ab\\n\"}\n";
        } else if (path.contains("/images/") && path.endsWith("/json")) {
            body = "{\"Id\":\"sha256:0123456789ab" + "0".repeat(52) + "\"}";
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
