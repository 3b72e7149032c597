package fr.miweb.maven.frankenphp.faults;

import fr.miweb.maven.frankenphp.context.BuildContext;
import fr.miweb.maven.frankenphp.context.DockerIgnore;
import fr.miweb.maven.frankenphp.docker.DockerConnection;
import fr.miweb.maven.frankenphp.docker.DockerException;
import fr.miweb.maven.frankenphp.docker.ImageBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The build context under hostile or awkward project trees: links leading outside, unreadable files, several GB
 * of data, dotenv files a user rule tries to bring back. Built through the plugin's {@link ImageBuilder} against the
 * real engine, except where a separate JVM is needed (another user, a small heap).
 */
class BuildContextFaultsTest {

    private static final String SECRET = "OUTSIDE-SECRET-CANARY-5d21";
    private static final long GIB = 1L << 30;

    @TempDir
    Path directory;

    private final List<String> images = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        if (!images.isEmpty()) {
            FaultSupport.removeImages(images.toArray(String[]::new));
        }
    }

    private ImageBuilder.BuildResult build(DockerConnection docker, BuildContext context, String reference) throws Exception {
        images.add(reference);
        return new ImageBuilder(docker.client()).build(new ImageBuilder.BuildRequest(context, "Dockerfile",
                new LinkedHashSet<>(List.of(reference)), Map.of(), Map.of(), false, false, Duration.ofMinutes(5)), line -> { });
    }

    private Path project(String name) throws IOException {
        Path project = Files.createDirectories(directory.resolve(name));
        Files.writeString(project.resolve("Dockerfile"), "FROM " + FaultSupport.BASE_IMAGE + "\nCOPY . /app/\n");
        return project;
    }

    @Test
    void symbolicLinksLeadingOutsideTheContextAreArchivedAsLinksNeverFollowed() throws Exception {
        FaultSupport.requireDocker();
        Path outside = Files.createDirectories(directory.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
        Path project = project("links");
        Files.createSymbolicLink(project.resolve("absolute-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(project.resolve("relative-link"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(project.resolve("directory-link"), outside);
        Files.createSymbolicLink(project.resolve("dangling-link"), Path.of("/nonexistent/file"));

        String reference = "frankenphp-faults/links:" + FaultSupport.versionTag();
        try (DockerConnection docker = FaultSupport.connect()) {
            build(docker, new BuildContext(project, DockerIgnore.empty(), Map.of()), reference);
        }

        Map<String, FaultSupport.Entry> entries = new java.util.HashMap<>();
        FaultSupport.exportedFileSystem(reference, directory).forEach(e -> entries.put(e.name().replaceFirst("/$", ""), e));
        assertLink(entries, "app/absolute-link", outside.resolve("secret.txt").toString());
        assertLink(entries, "app/relative-link", "../outside/secret.txt");
        assertLink(entries, "app/directory-link", outside.toString());
        assertLink(entries, "app/dangling-link", "/nonexistent/file");
        assertFalse(entries.keySet().stream().anyMatch(n -> n.startsWith("app/directory-link/")), "the link was followed");
        assertEquals(List.of(), FaultSupport.secretsInSavedImage(reference, directory, SECRET));
    }

    private static void assertLink(Map<String, FaultSupport.Entry> entries, String name, String target) {
        FaultSupport.Entry entry = entries.get(name);
        assertTrue(entry != null && entry.symbolicLink(), () -> name + " is not a link in the image: " + entry);
        assertEquals(target, entry.linkName(), name);
    }

    /**
     * A file the user running Maven cannot read fails the build with its path. Root reads everything, so the
     * context is streamed by a JVM running as {@code nobody} (setpriv); without setpriv, or not as root, the test
     * is skipped with the reason.
     */
    @Test
    void anUnreadableFileFailsTheContextWithItsPath() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch to the nobody user");
        assumeTrue(HostileValuesTest.installed("setpriv", "--version"), "setpriv (util-linux) is not installed");
        Path shared = Files.createTempDirectory("frankenphp-unreadable", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Path project = Files.createDirectories(shared.resolve("project/app/config"));
            Files.writeString(shared.resolve("project/README.md"), "readable\n");
            Path unreadable = project.resolve("secrets.php");
            Files.writeString(unreadable, "<?php return 'x';\n");
            Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
            List<String> classpath = nobodyClasspath(shared);

            FaultSupport.Result result = FaultSupport.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    javaExecutable(), "-cp", String.join(":", classpath), ContextProbes.class.getName(), "read",
                    shared.resolve("project").toString()), Duration.ofMinutes(2));

            assertEquals(0, result.exitCode(), result::output);
            assertTrue(result.output().contains("RESULT failed: Writing the Docker build context failed: Cannot read " + unreadable
                    + ": permission denied"), result::output);
        } finally {
            deleteTree(shared);
        }
    }

    /**
     * The test class path where the nobody user can read it: the class directories as they are (world-readable
     * under the project), the jars copied out of the local repository (under root's home).
     */
    private static List<String> nobodyClasspath(Path shared) throws Exception {
        List<String> classpath = new ArrayList<>();
        Path jars = Files.createDirectories(shared.resolve("jars"));
        int index = 0;
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(":")) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source)) {
                classpath.add(source.toString());
            } else if (Files.isRegularFile(source) && entry.endsWith(".jar")) {
                Path jar = jars.resolve(index++ + "-" + source.getFileName());
                Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
                classpath.add(jar.toString());
            }
        }
        return classpath;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A context file that vanishes or cannot be read while the daemon reads the context fails the build, naming it. */
    @Test
    void aContextFileThatCannotBeReadFailsTheBuildWithItsPathAndTagsNothing() throws Exception {
        FaultSupport.requireDocker();
        Path project = project("missing-overlay");
        Files.writeString(project.resolve("app.txt"), "app\n");
        Path missing = directory.resolve("rendered/docker/php/php.ini");
        String reference = "frankenphp-faults/unreadable:" + FaultSupport.versionTag();
        try (DockerConnection docker = FaultSupport.connect()) {
            DockerException failure = assertThrows(DockerException.class,
                    () -> build(docker, new BuildContext(project, DockerIgnore.empty(), Map.of("docker/php/php.ini", missing)), reference));
            assertTrue(failure.getMessage().startsWith("Could not send the build context: "), failure::getMessage);
            assertTrue(failure.getMessage().contains(missing.toString()), failure::getMessage);
        }
        assertNotEquals(0, FaultSupport.docker("image", "inspect", reference).exitCode(), "a failed build tagged an image");
    }

    /**
     * A context of 3 GiB (sparse files: no disk used) goes through the plugin's {@link ImageBuilder} and docker-java
     * to a fake daemon in a JVM limited to 256 MiB of heap: it streams, the heap used stays far below the data.
     */
    @Test
    void aContextOfSeveralGigabytesStreamsWithoutGrowingTheHeap() throws Exception {
        Path project = project("large");
        for (int i = 0; i < 3; i++) {
            try (RandomAccessFile file = new RandomAccessFile(project.resolve("data-" + i + ".bin").toFile(), "rw")) {
                file.setLength(GIB);
            }
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        long start = System.nanoTime();
        FaultSupport.Result result = FaultSupport.run(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                ContextProbes.class.getName(), "build-large", project.toString()), Duration.ofMinutes(15));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(0, result.exitCode(), result::output);
        Matcher numbers = Pattern.compile("RESULT image=(\\S+) bytesSent=(\\d+) bytesReceived=(\\d+) peakHeap=(\\d+) peakOld=(\\d+)")
                .matcher(result.output());
        assertTrue(numbers.find(), result::output);
        long sent = Long.parseLong(numbers.group(2));
        long received = Long.parseLong(numbers.group(3));
        long peakHeap = Long.parseLong(numbers.group(4));
        long peakOld = Long.parseLong(numbers.group(5));
        System.out.printf("large context: %d bytes sent, %d received, peak heap %d MiB (old generation %d MiB), %s%n",
                sent, received, peakHeap >> 20, peakOld >> 20, elapsed);
        assertTrue(sent >= 3 * GIB, "bytes of file content sent: " + sent);
        assertTrue(received > sent, "the fake daemon received " + received + " bytes of tar");
        // Young-generation garbage comes and goes with the collector's sizing; what lives on is the old generation.
        assertTrue(peakHeap < 128L << 20, "peak heap " + (peakHeap >> 20) + " MiB for a 3 GiB context");
        assertTrue(peakOld < 32L << 20, "old generation peaked at " + (peakOld >> 20) + " MiB for a 3 GiB context");
    }

    /** .env files never enter the context, even when a user rule re-includes them; a .example file does. */
    @Test
    void dotenvFilesStayOutEvenWhenAnIgnoreRuleBringsThemBack() throws Exception {
        FaultSupport.requireDocker();
        Path project = project("dotenv");
        Files.writeString(project.resolve(".env"), "APP_KEY=DOTENV-CANARY-ROOT\n");
        Files.writeString(project.resolve(".env.production"), "DB_PASSWORD=DOTENV-CANARY-PRODUCTION\n");
        Files.writeString(project.resolve(".env.local"), "APP_DEBUG=DOTENV-CANARY-LOCAL\n");
        Files.createDirectories(project.resolve("config"));
        Files.writeString(project.resolve("config/.env.production"), "DB_PASSWORD=DOTENV-CANARY-NESTED\n");
        Files.writeString(project.resolve(".env.production.example"), "DB_PASSWORD=\n");
        Files.writeString(project.resolve("app.txt"), "app\n");
        DockerIgnore rules = DockerIgnore.parse(".env\n.env.*\n!.env.production\n!**/.env*\n!.env.local\n");

        String reference = "frankenphp-faults/dotenv:" + FaultSupport.versionTag();
        ImageBuilder.BuildResult result;
        try (DockerConnection docker = FaultSupport.connect()) {
            result = build(docker, new BuildContext(project, rules, Map.of()), reference);
        }

        assertEquals(List.of(".env", ".env.local", ".env.production", "config/.env.production"),
                result.context().guardedPaths().stream().sorted().toList());
        List<String> files = FaultSupport.exportedFileSystem(reference, directory).stream().map(FaultSupport.Entry::name).toList();
        assertTrue(files.contains("app/.env.production.example") && files.contains("app/app.txt"), files::toString);
        assertEquals(List.of(), files.stream().filter(f -> f.matches("app/(.*/)?\\.env(\\..*)?") && !f.endsWith(".example")).toList());
        assertEquals(List.of(), FaultSupport.secretsInSavedImage(reference, directory,
                "DOTENV-CANARY-ROOT", "DOTENV-CANARY-PRODUCTION", "DOTENV-CANARY-LOCAL", "DOTENV-CANARY-NESTED"));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
