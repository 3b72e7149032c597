package fr.miweb.maven.frankenphp.bench;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first {@link DeploymentFiles#render} in a fresh JVM (one shot per fork, nothing rendered before): FreeMarker's
 * class loading and initialisation included, as one {@code mvn generate-resources} pays it. Not a target by itself;
 * it explains the Maven overhead measured by bench/run.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class RenderColdBenchmark {

    private DeploymentConfig config;
    private Path noOverrides;

    @Setup
    public void setUp() throws Exception {
        Path base = Files.createTempDirectory("frankenphp-render-cold");
        config = BenchConfigs.defaults(base);
        noOverrides = base.resolve("src/main/frankenphp");
    }

    @Benchmark
    public List<RenderedFile> renderAllFirstCall() throws Exception {
        return DeploymentFiles.render(config, noOverrides, "bench");
    }
}
