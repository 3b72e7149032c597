package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.BuildContextStats;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.context.RenderedOverlays;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import fr.miweb.maven.frankenphp.docker.ImageLabels;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.VersionTags;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import javax.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the image from the rendered Dockerfile, with the project directory as the build context
 * (filtered by the rendered .dockerignore), tagged {@code <registry>/<name>:<version>} and
 * {@code <registry>/<name>:latest}. Records the result in {@code target/frankenphp/image.json}.
 * In {@code mvn deploy}, checks the registry login before building.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractDockerMojo {


    /** Skips the image build. */
    @Parameter(property = "frankenphp.build.skip", defaultValue = "false")
    boolean buildSkip;

    /** Deadline of the whole image build. */
    @Parameter(property = "frankenphp.build.timeout", defaultValue = "60m")
    String buildTimeout;

    @Inject
    public BuildMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    String goal() {
        return "build";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (buildSkip) {
            getLog().info("Skipping build: <buildSkip> (frankenphp.build.skip) is true.");
            return;
        }
        Path recordFile = imageRecordFile();
        try {
            // First of all: a build that fails at any point (configuration, daemon unreachable, login refused)
            // must not leave an earlier build's record, which a later frankenphp:push would publish.
            Files.deleteIfExists(recordFile);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not delete the previous build's record " + recordFile + ": " + e.getMessage(), e);
        }
        DeploymentConfig config = deploymentConfig();
        Path output = outputDirectory.toPath();
        Path dockerfile = output.resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            throw new MojoFailureException("No rendered Dockerfile in " + output + ". Run frankenphp:generate first "
                    + "(the frankenphp packaging binds it to generate-resources; or run mvn package).");
        }
        Instant buildStart = session.getStartTime().toInstant();
        String version = versionTag(config, buildStart);
        String repository = config.image().repository();
        try (DockerConnection docker = connect()) {
            if (pushFollows()) {
                // Fail in seconds on a bad password, not after a long build.
                RegistryCredentials credentials = credentials(config.image().registry());
                ImagePublisher publisher = publisher(docker);
                checkLogin(publisher, config.image().registry(), credentials);
            }
            DockerIgnore ignore = DockerIgnore.read(output.resolve(".dockerignore"));
            BuildContext context = new BuildContext(config.project().baseDirectory(), ignore, overlays(config, output, ignore));
            Set<String> tags = new LinkedHashSet<>(List.of(repository + ":" + version, repository + ":latest"));
            getLog().info("Building " + String.join(" and ", tags) + " from " + dockerfile + " (context " + config.project().baseDirectory() + ")");
            ImageBuilder.BuildResult result = new ImageBuilder(docker.client()).build(new ImageBuilder.BuildRequest(
                    context, "Dockerfile", tags, ImageLabels.of(config, version, buildStart), buildArgs(config, version),
                    config.image().pull(), config.image().noCache(),
                    duration("<buildTimeout>", "frankenphp.build.timeout", buildTimeout)), line -> getLog().info(line));
            logContext(result.context());
            ImageRecord.built(repository, version, result.imageId(), buildStart.toString()).write(recordFile);
            getLog().info("Built " + result.imageId() + " as " + String.join(", ", tags) + "; recorded in " + recordFile);
        } catch (ImageBuilder.BuildFailedException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (DockerException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Image build failed: " + e.getMessage(), e);
        }
    }

    /** The Dockerfile's APP_VERSION (the version the application reports), then the user's build args. */
    private static Map<String, String> buildArgs(DeploymentConfig config, String version) {
        Map<String, String> args = new java.util.LinkedHashMap<>();
        args.put("APP_VERSION", version);
        args.putAll(config.image().buildArgs());
        return args;
    }

    private String versionTag(DeploymentConfig config, Instant buildStart) throws MojoFailureException {
        try {
            return VersionTags.versionTag(config.image(), config.project().version(), config.project().baseDirectory(), buildStart);
        } catch (DockerException e) {
            throw new MojoFailureException(new ConfigurationProblem("<image><tagStrategy>",
                    config.image().tagStrategy().configValue(), e.getMessage()).describe(), e);
        }
    }

    /** True when this Maven invocation will push: {@code deploy} or {@code frankenphp:push} was asked for. */
    private boolean pushFollows() {
        return !pushSkip && session.getGoals().stream().anyMatch(goal ->
                goal.equals("deploy") || (goal.endsWith(":push") && goal.toLowerCase(Locale.ROOT).contains("frankenphp")));
    }

    /** The files of this render, laid over the project at their relative paths ({@link RenderedOverlays}). */
    private Map<String, Path> overlays(DeploymentConfig config, Path output, DockerIgnore ignore)
            throws IOException, MojoExecutionException, MojoFailureException {
        List<String> rendered = render(config).stream().map(RenderedFile::relativePath).toList();
        Map<String, Path> overlays = RenderedOverlays.select(output, rendered, ignore);
        getLog().debug("Build context: " + ignore.patterns().size() + " .dockerignore patterns; rendered files laid over "
                + "the project: " + String.join(", ", overlays.keySet()) + "; left out by .dockerignore: "
                + rendered.stream().filter(name -> !overlays.containsKey(name)).collect(java.util.stream.Collectors.joining(", ")));
        return overlays;
    }

    private void logContext(BuildContextStats stats) {
        getLog().debug(String.format(Locale.ROOT, "Build context walk: %d entries looked at, %d files and %d directories "
                        + "sent, %d files excluded, %d directories pruned without being listed, %d special files skipped%s",
                stats.entriesWalked(), stats.filesSent(), stats.directoriesSent(), stats.filesExcluded(),
                stats.directoriesPruned(), stats.skippedSpecialFiles().size(),
                stats.skippedSpecialFiles().isEmpty() ? "" : " (" + String.join(", ", stats.skippedSpecialFiles()) + ")"));
        getLog().info(String.format(Locale.ROOT, "Build context: %d files, %.1f MB sent; %d entries walked, %d files excluded, %d directories pruned",
                stats.filesSent(), stats.bytesSent() / 1_048_576.0, stats.entriesWalked(), stats.filesExcluded(), stats.directoriesPruned()));
        if (!stats.guardedPaths().isEmpty()) {
            getLog().warn("Kept out of the image although no ignore rule excludes them (dotenv files never enter the context): "
                    + String.join(", ", stats.guardedPaths()));
        }
        if (!stats.secretsSent().isEmpty()) {
            // Names only: the content is the secret.
            getLog().warn("Sent in the build context although such files usually hold secrets: "
                    + String.join(", ", stats.secretsSent()) + ". The default .dockerignore excludes them; unless they "
                    + "are meant to be in the image, exclude them in " + templateDirectory.toPath().resolve(".dockerignore.ftl") + ".");
        }
    }
}
