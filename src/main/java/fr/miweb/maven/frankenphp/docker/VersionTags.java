package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.config.DockerReferences;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.process.BoundedProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Computes the version tag of a build: explicit, the build time, the project version or the git commit. */
public final class VersionTags {

    /** The original deploy.sh's {@code date +%Y%m%d-%H%M%S}, in UTC so every machine agrees. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** How long a git command may take: long enough for a large checkout's status, short of a hang. */
    static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);

    private VersionTags() {
    }

    /**
     * @param buildStart the start of the Maven build, so every module of a reactor gets the same tag
     */
    public static String versionTag(ImageSettings image, String projectVersion, Path projectDirectory, Instant buildStart)
            throws DockerException {
        if (image.explicitTag().isPresent()) {
            return image.explicitTag().get();
        }
        String tag = switch (image.tagStrategy()) {
            case TIMESTAMP -> TIMESTAMP.format(buildStart);
            case PROJECT_VERSION -> projectVersion;
            case GIT_COMMIT -> gitCommit(projectDirectory);
        };
        if (!DockerReferences.isTag(tag) || tag.equals("latest")) {
            throw new DockerException("The version tag '" + tag + "' computed with <image><tagStrategy>"
                    + image.tagStrategy().configValue() + " is not a valid, distinct Docker tag. Set <image><tag> (-Dfrankenphp.tag=...).");
        }
        return tag;
    }

    /** The full commit id of the checkout, for the OCI revision label; empty outside a git checkout. */
    public static java.util.Optional<String> gitRevision(Path projectDirectory) {
        try {
            return java.util.Optional.of(git(projectDirectory, "rev-parse", "HEAD"));
        } catch (DockerException e) {
            return java.util.Optional.empty();
        }
    }

    private static String gitCommit(Path projectDirectory) throws DockerException {
        String commit = git(projectDirectory, "rev-parse", "--short=12", "HEAD");
        boolean dirty = !git(projectDirectory, "status", "--porcelain", "--untracked-files=no").isEmpty();
        return dirty ? commit + "-dirty" : commit;
    }

    private static String git(Path directory, String... arguments) throws DockerException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            return run(command, GIT_TIMEOUT);
        } catch (CommandFailedException e) {
            throw new DockerException("<image><tagStrategy>git-commit needs a git checkout: 'git "
                    + String.join(" ", arguments) + "' " + e.getMessage() + " in " + directory
                    + ". Use another tagStrategy or set <image><tag>.");
        } catch (IOException e) {
            throw new DockerException("<image><tagStrategy>git-commit needs git on the PATH: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("Interrupted while asking git for the commit", e);
        }
    }

    /** A command that failed, timed out or exited non-zero; the message says which, with its output. */
    static final class CommandFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        CommandFailedException(String message) {
            super(message);
        }
    }

    /** Runs a command and returns its output (stdout and stderr), stripped ({@link BoundedProcess}: never blocks past the timeout). */
    static String run(List<String> command, Duration timeout)
            throws IOException, InterruptedException, CommandFailedException {
        BoundedProcess.Output output;
        try {
            output = BoundedProcess.run(command, true, timeout, "git");
        } catch (BoundedProcess.TimedOutException e) {
            throw new CommandFailedException("did not finish within " + timeout.toSeconds() + " s");
        }
        // A child still holding the pipe after git exited: its output is lost, not waited for.
        String text = output.stdout().orElse("").strip();
        if (output.exitCode() != 0) {
            throw new CommandFailedException("failed: " + text);
        }
        return text;
    }
}
