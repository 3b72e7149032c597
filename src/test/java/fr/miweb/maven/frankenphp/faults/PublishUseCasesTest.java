package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.ImageSettings;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import fr.miweb.maven.frankenphp.docker.ImagePublisher;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.publish.BuildImage;
import fr.miweb.maven.frankenphp.publish.Progress;
import fr.miweb.maven.frankenphp.publish.PublishException;
import fr.miweb.maven.frankenphp.publish.PushImage;
import fr.miweb.maven.frankenphp.registry.RegistryCredentials;
import fr.miweb.maven.frankenphp.registry.RetryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build and push use cases that {@code mvn deploy} runs, on the real engine and the real TLS + htpasswd registry. */
class PublishUseCasesTest {

    /** What generate rendered, in the tests' output directories. */
    private static final List<String> RENDERED = List.of("Dockerfile", ".dockerignore");

    @TempDir
    Path directory;

    private final List<String> images = new ArrayList<>();
    private final List<RetryEvent> retries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Progress progress = new Progress() {
        @Override
        public void info(String line) {
            log.add("INFO " + line);
        }

        @Override
        public void warn(String line) {
            log.add("WARN " + line);
        }
    };

    @BeforeEach
    void engine() {
        FaultSupport.requireDocker();
    }

    @AfterEach
    void cleanUp() {
        FaultSupport.removeImages(images.toArray(String[]::new));
    }

    private DeploymentConfig config(Path project, String name) {
        DeploymentConfig defaults = TestConfigs.defaults(project);
        ImageSettings image = new ImageSettings(FaultSupport.REGISTRY, name, Defaults.BASE_IMAGE, Defaults.COMPOSER_IMAGE, "1.0.0",
                Defaults.TAG_STRATEGY, Map.of(), Map.of(), false, false, Defaults.RUNTIME_USER, Defaults.RUNTIME_UID);
        return new DeploymentConfig(defaults.project(), image, defaults.php(), defaults.octane(), defaults.compose(),
                defaults.environment(), defaults.release());
    }

    /** A project and what generate would have rendered: a Dockerfile and a .dockerignore. */
    private Path rendered(Path project, String dockerfile) throws Exception {
        FaultSupport.project(project, "use case", 1024);
        Path output = Files.createDirectories(project.resolve("target/frankenphp"));
        Files.writeString(output.resolve("Dockerfile"), dockerfile);
        Files.writeString(output.resolve(".dockerignore"), "target\nDockerfile\n");
        return output;
    }

    private ImagePublisher publisher(DockerConnection docker) {
        return new ImagePublisher(docker.client(), FaultSupport.retrier(2, retries), Duration.ofMinutes(2), progress::info);
    }

    @Test
    void buildsTheRenderedDockerfileThenPushesBothTagsAndRecordsTheDigests() throws Exception {
        Path project = directory.resolve("project");
        Path output = rendered(project, "FROM " + FaultSupport.BASE_IMAGE + "\nCOPY marker.txt /app/\n");
        String name = FaultSupport.uniqueName("usecase");
        DeploymentConfig config = config(project, name);
        Path recordFile = output.resolve("image.json");
        try (DockerConnection docker = FaultSupport.connect()) {
            BuildImage.Login login = new BuildImage.Login(publisher(docker), FaultSupport.credentials(), Duration.ofMinutes(1));
            ImageRecord built = new BuildImage(new ImageBuilder(docker.client()), progress).build(new BuildImage.Request(config, output, RENDERED,
                    recordFile, Instant.now(), Duration.ofMinutes(5), Optional.of(login), project.resolve("src/main/frankenphp/.dockerignore.ftl")));
            images.add(built.imageId());
            images.addAll(built.tags());
            assertEquals(built, ImageRecord.read(recordFile));
            assertEquals("1.0.0", built.version());
            assertEquals("use case\n", FaultSupport.docker("run", "--rm", built.imageId(), "cat", "/app/marker.txt").output());
            int loginLine = indexOf("INFO Registry login to " + FaultSupport.REGISTRY + " succeeded");
            assertTrue(loginLine >= 0 && loginLine < indexOf("INFO Building "), "the login is checked before the build: " + log);

            ImageRecord pushed = new PushImage(publisher(docker), progress).push(new PushImage.Request(recordFile, FaultSupport.REGISTRY,
                    FaultSupport.credentials(), Duration.ofMinutes(2), false), PushImage.recorded(recordFile,
                    config.image().repository(), "push", "build first", "mvn package"));

            assertEquals(FaultSupport.manifestDigest(name, "1.0.0"), pushed.pushed().get("1.0.0"));
            assertEquals(FaultSupport.manifestDigest(name, "latest"), pushed.pushed().get("latest"));
            assertEquals(pushed, ImageRecord.read(recordFile));
            assertTrue(indexOf("INFO Pushed " + config.image().repository() + ":latest (" + pushed.pushed().get("latest") + ")") >= 0, log.toString());
        }
    }

    @Test
    void aRefusedLoginFailsBeforeTheBuildAsTheUsersToFixAndLeavesNoRecord() throws Exception {
        Path project = directory.resolve("project");
        Path output = rendered(project, "FROM " + FaultSupport.BASE_IMAGE + "\nCOPY marker.txt /app/\n");
        Path recordFile = output.resolve("image.json");
        Files.writeString(recordFile, "{\"an\": \"earlier build\"}");
        RegistryCredentials wrong = RegistryCredentials.password(FaultSupport.USER, "not-the-password-canary", "the test's wrong password");
        DeploymentConfig config = config(project, FaultSupport.uniqueName("usecase"));
        try (DockerConnection docker = FaultSupport.connect()) {
            BuildImage.Login login = new BuildImage.Login(publisher(docker), wrong, Duration.ofMinutes(1));

            PublishException failure = assertThrows(PublishException.class, () -> new BuildImage(new ImageBuilder(docker.client()), progress)
                    .build(new BuildImage.Request(config, output, RENDERED, recordFile, Instant.now(), Duration.ofMinutes(5), Optional.of(login),
                            project.resolve("x.ftl"))));

            assertTrue(failure.userFixable());
            assertTrue(failure.getMessage().contains("refused for user '" + FaultSupport.USER + "' with credentials from the test's wrong password"),
                    failure.getMessage());
            assertFalse(failure.getMessage().contains("not-the-password-canary"));
            assertFalse(Files.exists(recordFile), "an earlier build's record would be pushed by a later push");
            assertEquals(-1, indexOf("INFO Building "), "nothing was built: " + log);
        }
    }

    @Test
    void aFailingDockerfileStepIsTheUsersToFix() throws Exception {
        Path project = directory.resolve("project");
        Path output = rendered(project, "FROM " + FaultSupport.BASE_IMAGE + "\nRUN echo compile error >&2; exit 3\n");
        DeploymentConfig config = config(project, FaultSupport.uniqueName("usecase"));
        try (DockerConnection docker = FaultSupport.connect()) {
            PublishException failure = assertThrows(PublishException.class, () -> new BuildImage(new ImageBuilder(docker.client()), progress)
                    .build(new BuildImage.Request(config, output, RENDERED, output.resolve("image.json"), Instant.now(), Duration.ofMinutes(5),
                            Optional.empty(), project.resolve("x.ftl"))));
            assertTrue(failure.userFixable(), failure.getMessage());
            assertTrue(failure.getMessage().contains("exit 3") || failure.getMessage().contains("code: 3"), failure.getMessage());
        }
    }

    private int indexOf(String prefix) {
        synchronized (log) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).startsWith(prefix)) {
                    return i;
                }
            }
        }
        return -1;
    }
}
