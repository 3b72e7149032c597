package fr.miweb.maven.frankenphp.bench;

import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerEndpointResolver;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The plugin's whole upload path, in-process and repeated: {@link DockerConnection} (docker-java's zerodep transport) and
 * {@link ImageBuilder#build} with the plugin's {@link BuildContext}, against the daemon named by DOCKER_HOST (bench/run.sh
 * points it at the context sink). Later runs show the path's throughput once the JIT is warm, which tells the transport's
 * cost apart from the JVM's start.
 *
 * <pre>java -cp frankenphp-bench.jar fr.miweb.maven.frankenphp.bench.UploadDriver BASE RENDERED [RUNS] [MODES]</pre>
 *
 * <p>MODES, comma-separated, run alternately in each round: {@code imagebuilder} (the plugin's {@link ImageBuilder}, default),
 * {@code original} (docker-java's buildImageCmd fed by the plugin's {@code BuildContext.openStream()}).
 */
public final class UploadDriver {

    private UploadDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]).toAbsolutePath().normalize();
        Path rendered = Path.of(args[1]).toAbsolutePath().normalize();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String[] modes = (args.length > 3 ? args[3] : "imagebuilder").split(",");
        Map<String, StringBuilder> each = new java.util.LinkedHashMap<>();
        for (String mode : modes) {
            each.put(mode, new StringBuilder());
        }
        long connectStart = System.nanoTime();
        try (DockerConnection docker = DockerConnection.open(
                new DockerEndpointResolver(System.getenv(), Path.of(System.getProperty("user.home"))).resolve(), Duration.ofSeconds(10))) {
            double connect = (System.nanoTime() - connectStart) / 1e9;
            long bytes = 0;
            for (int i = 0; i < runs; i++) {
              for (String mode : modes) {
                DockerIgnore ignore = DockerIgnore.read(rendered.resolve(".dockerignore"));
                BuildContext context = new BuildContext(base, ignore, ContextDriver.overlays(rendered, ignore));
                long t = System.nanoTime();
                if (mode.equals("imagebuilder")) {
                    ImageBuilder.BuildResult result = new ImageBuilder(docker.client()).build(new ImageBuilder.BuildRequest(context,
                            "Dockerfile", Set.of("bench/upload:1"), Map.of(), Map.of(), false, false, Duration.ofMinutes(10)), line -> { });
                    bytes = result.context().bytesSent();
                } else {
                    java.io.InputStream stream = context.openStream();
                    try (stream) {
                        docker.client().buildImageCmd(stream).withTags(Set.of("bench/upload:1"))
                                .exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
                                .awaitImageId(10, java.util.concurrent.TimeUnit.MINUTES);
                    }
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                each.get(mode).append(String.format(Locale.ROOT, "%.4f,", seconds));
              }
            }
            StringBuilder json = new StringBuilder();
            each.forEach((mode, times) -> json.append(",\"").append(mode).append("\":[").append(times, 0, times.length() - 1).append(']'));
            System.out.printf(Locale.ROOT, "{\"connectSeconds\":%.4f,\"contentBytes\":%d%s}%n", connect, bytes, json);
        }
    }
}
