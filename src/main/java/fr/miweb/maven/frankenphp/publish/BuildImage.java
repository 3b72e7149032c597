package fr.miweb.maven.frankenphp.publish;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.BuildContextStats;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.context.RenderedOverlays;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import fr.miweb.maven.frankenphp.docker.ImageLabels;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.docker.VersionTags;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the image from the rendered Dockerfile, with the project directory as the build context (filtered by the
 * rendered .dockerignore), tagged {@code <registry>/<name>:<version>} and {@code :latest}, and records it in
 * {@code image.json}. Before a deploy, the registry login is checked first: a bad password fails in seconds, not
 * after a long build.
 */
public final class BuildImage {

    /**
     * @param outputDirectory where generate rendered the files
     * @param renderedFiles   the relative paths of this render: only they are taken from the output directory
     * @param recordFile      where the build is recorded ({@code image.json})
     * @param buildStart      the build's date: the timestamp tag and the {@code created} label
     * @param login           check this login before building (when a push follows)
     * @param secretsTemplate the .dockerignore template to name when secret-bearing files are sent
     */
    public record Request(DeploymentConfig config, Path outputDirectory, List<String> renderedFiles, Path recordFile, Instant buildStart, Duration timeout,
                          Optional<Login> login, Path secretsTemplate) {
    }

    /** The login check made before the build, with the push's publisher. */
    public record Login(ImagePublisher publisher, RegistryCredentials credentials, Duration pushTimeout) {
    }

    private final ImageBuilder builder;
    private final Progress progress;

    public BuildImage(ImageBuilder builder, Progress progress) {
        this.builder = builder;
        this.progress = progress;
    }

    /**
     * Forgets the previous build, first of all: a build that fails at any point (configuration, daemon unreachable,
     * login refused) must not leave an earlier build's record, which a later push would publish.
     */
    public static void forgetPreviousBuild(Path recordFile) throws PublishException {
        try {
            Files.deleteIfExists(recordFile);
        } catch (IOException e) {
            throw new PublishException("Could not delete the previous build's record " + recordFile + ": " + e.getMessage(), false, e);
        }
    }

    public ImageRecord build(Request request) throws PublishException {
        forgetPreviousBuild(request.recordFile());
        DeploymentConfig config = request.config();
        Path output = request.outputDirectory();
        Path dockerfile = output.resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            throw new PublishException("No rendered Dockerfile in " + output + ". Run frankenphp:generate first "
                    + "(the frankenphp packaging binds it to generate-resources; or run mvn package).", true, null);
        }
        String version = versionTag(config, request.buildStart());
        String repository = config.image().repository();
        if (request.login().isPresent()) {
            Login login = request.login().get();
            RegistryLogin.check(login.publisher(), config.image().registry(), login.credentials(), login.pushTimeout(), progress);
        }
        try {
            DockerIgnore ignore = DockerIgnore.read(output.resolve(".dockerignore"));
            BuildContext context = new BuildContext(config.project().baseDirectory(), ignore, overlays(output, request.renderedFiles(), ignore));
            Set<String> tags = new LinkedHashSet<>(List.of(repository + ":" + version, repository + ":latest"));
            progress.info("Building " + String.join(" and ", tags) + " from " + dockerfile + " (context " + config.project().baseDirectory() + ")");
            ImageBuilder.BuildResult result = builder.build(new ImageBuilder.BuildRequest(
                    context, "Dockerfile", tags, ImageLabels.of(config, version, request.buildStart()), buildArgs(config, version),
                    config.image().pull(), config.image().noCache(), request.timeout()), progress::info);
            logContext(result.context(), request.secretsTemplate());
            ImageRecord record = ImageRecord.built(repository, version, result.imageId(), request.buildStart().toString());
            record.write(request.recordFile());
            progress.info("Built " + result.imageId() + " as " + String.join(", ", tags) + "; recorded in " + request.recordFile());
            return record;
        } catch (ImageBuilder.BuildFailedException e) {
            throw new PublishException(e.getMessage(), true, e);
        } catch (DockerException e) {
            throw new PublishException(e.getMessage(), false, e);
        } catch (IOException e) {
            throw new PublishException("Image build failed: " + e.getMessage(), false, e);
        }
    }

    /** The Dockerfile's APP_VERSION (the version the application reports), then the user's build args. */
    private static Map<String, String> buildArgs(DeploymentConfig config, String version) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("APP_VERSION", version);
        args.putAll(config.image().buildArgs());
        return args;
    }

    private static String versionTag(DeploymentConfig config, Instant buildStart) throws PublishException {
        try {
            return VersionTags.versionTag(config.image(), config.project().version(), config.project().baseDirectory(), buildStart);
        } catch (DockerException e) {
            throw new PublishException(new ConfigurationProblem("<image><tagStrategy>",
                    config.image().tagStrategy().configValue(), e.getMessage()).describe(), true, e);
        }
    }

    /** The files of this render, laid over the project at their relative paths ({@link RenderedOverlays}). */
    private Map<String, Path> overlays(Path output, List<String> rendered, DockerIgnore ignore) throws IOException {
        Map<String, Path> overlays = RenderedOverlays.select(output, rendered, ignore);
        progress.debug("Build context: " + ignore.patterns().size() + " .dockerignore patterns; rendered files laid over "
                + "the project: " + String.join(", ", overlays.keySet()) + "; left out by .dockerignore: "
                + rendered.stream().filter(name -> !overlays.containsKey(name)).collect(Collectors.joining(", ")));
        return overlays;
    }

    private void logContext(BuildContextStats stats, Path secretsTemplate) {
        progress.debug(String.format(Locale.ROOT, "Build context walk: %d entries looked at, %d files and %d directories "
                        + "sent, %d files excluded, %d directories pruned without being listed, %d special files skipped%s",
                stats.entriesWalked(), stats.filesSent(), stats.directoriesSent(), stats.filesExcluded(),
                stats.directoriesPruned(), stats.skippedSpecialFiles().size(),
                stats.skippedSpecialFiles().isEmpty() ? "" : " (" + String.join(", ", stats.skippedSpecialFiles()) + ")"));
        progress.info(String.format(Locale.ROOT, "Build context: %d files, %.1f MB sent; %d entries walked, %d files excluded, %d directories pruned",
                stats.filesSent(), stats.bytesSent() / 1_048_576.0, stats.entriesWalked(), stats.filesExcluded(), stats.directoriesPruned()));
        if (!stats.guardedPaths().isEmpty()) {
            progress.warn("Kept out of the image although no ignore rule excludes them (dotenv files never enter the context): "
                    + String.join(", ", stats.guardedPaths()));
        }
        if (!stats.secretsSent().isEmpty()) {
            // Names only: the content is the secret.
            progress.warn("Sent in the build context although such files usually hold secrets: "
                    + String.join(", ", stats.secretsSent()) + ". The default .dockerignore excludes them; unless they "
                    + "are meant to be in the image, exclude them in " + secretsTemplate + ".");
        }
    }
}
