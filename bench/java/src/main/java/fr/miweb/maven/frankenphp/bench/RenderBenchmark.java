package fr.miweb.maven.frankenphp.bench;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.render.DeploymentFiles;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import fr.miweb.maven.frankenphp.render.TemplateData;
import fr.miweb.maven.frankenphp.render.TemplateRenderer;
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
 * Rendering every deployment file with the default configuration.
 *
 * <ul>
 *   <li>{@code renderAll}: {@link DeploymentFiles#render}, the goals' entry point, warm (what the target is about).
 *       It builds a FreeMarker configuration and parses the templates on every call, as each goal execution does.</li>
 *   <li>{@code renderReusingRenderer}: the same with one {@link TemplateRenderer} kept across calls (templates parsed
 *       once): how much of {@code renderAll} is configuration and parsing.</li>
 *   <li>{@link RenderColdBenchmark}: the first call in a fresh JVM.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RenderBenchmark {

    private DeploymentConfig config;
    private Path noOverrides;
    private TemplateRenderer reusedRenderer;

    @Setup
    public void setUp() throws Exception {
        Path base = Files.createTempDirectory("frankenphp-render-bench");
        config = BenchConfigs.defaults(base);
        noOverrides = base.resolve("src/main/frankenphp"); // absent: built-in templates only, as in a default project
        reusedRenderer = new TemplateRenderer(noOverrides);
        List<RenderedFile> files = DeploymentFiles.render(config, noOverrides, "bench");
        if (files.size() != TemplateRenderer.BUILT_IN_OUTPUTS.size()) {
            throw new IllegalStateException("expected " + TemplateRenderer.BUILT_IN_OUTPUTS.size() + " files, got " + files.size());
        }
    }

    @Benchmark
    public List<RenderedFile> renderAll() throws Exception {
        return DeploymentFiles.render(config, noOverrides, "bench");
    }

    @Benchmark
    public List<RenderedFile> renderReusingRenderer() throws Exception {
        return reusedRenderer.render(TemplateData.of(config, "bench"));
    }
}
