package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {

    /** The context and a sibling directory outside it, under one temporary root. */
    @TempDir
    Path root;

    Path base;

    Path elsewhere;

    @BeforeEach
    void createDirectories() throws IOException {
        base = Files.createDirectory(root.resolve("context"));
        elsewhere = Files.createDirectory(root.resolve("elsewhere"));
    }

    /** A tar entry read back, with its content. */
    record Entry(TarArchiveEntry header, String content) {
    }

    static Map<String, Entry> readTar(byte[] tar) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry header = in.getNextEntry(); header != null; header = in.getNextEntry()) {
                String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertFalse(entries.containsKey(header.getName()), "duplicate entry " + header.getName());
                entries.put(header.getName(), new Entry(header, content));
            }
        }
        return entries;
    }

    private byte[] tarOf(BuildContext context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        context.writeTo(out);
        return out.toByteArray();
    }

    private Map<String, Entry> contextEntries(String dockerIgnore) throws IOException {
        return readTar(tarOf(new BuildContext(base, DockerIgnore.parse(dockerIgnore), Map.of())));
    }

    private Path write(String relativePath, String content) throws IOException {
        Path file = base.resolve(relativePath);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void writesDirectoriesBeforeTheirContentWithSiblingsSortedByName() throws IOException {
        write("b.txt", "b");
        write("a-b.txt", "a-b");
        write("a/z.txt", "z");
        write("a/b/c.txt", "c");
        Files.createDirectories(base.resolve("empty"));

        Map<String, Entry> entries = contextEntries("");

        assertEquals(List.of("a/", "a/b/", "a/b/c.txt", "a/z.txt", "a-b.txt", "b.txt", "empty/"),
                List.copyOf(entries.keySet()));
        assertTrue(entries.get("a/").header().isDirectory());
        assertEquals("c", entries.get("a/b/c.txt").content());
    }

    @Test
    void keepsPermissionBitsAndWholeSecondModificationTimesWithRootOwnership() throws IOException {
        Path script = write("bin/start.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = write("data.txt", "data");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(data, FileTime.from(Instant.parse("2020-01-02T03:04:05.678Z")));

        Map<String, Entry> entries = contextEntries("");

        assertEquals(0755, entries.get("bin/start.sh").header().getMode() & 07777);
        TarArchiveEntry dataHeader = entries.get("data.txt").header();
        assertEquals(0640, dataHeader.getMode() & 07777);
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), dataHeader.getModTime().toInstant());
        assertEquals(0, dataHeader.getLongUserId());
        assertEquals(0, dataHeader.getLongGroupId());
        assertEquals("", dataHeader.getUserName());
        assertEquals("", dataHeader.getGroupName());
    }

    @Test
    void archivesSymbolicLinksAsLinksWithoutFollowingThem() throws IOException {
        Path outsideFile = Files.writeString(elsewhere.resolve("secret.txt"), "outside");
        Files.writeString(Files.createDirectories(elsewhere.resolve("dir")).resolve("inner.txt"), "inner");
        Files.createSymbolicLink(base.resolve("to-file"), outsideFile);
        Files.createSymbolicLink(base.resolve("to-dir"), elsewhere.resolve("dir"));
        Files.createSymbolicLink(base.resolve("relative"), Path.of("../somewhere/else"));

        Map<String, Entry> entries = contextEntries("");

        assertEquals(List.of("relative", "to-dir", "to-file"), List.copyOf(entries.keySet()));
        assertTrue(entries.get("to-file").header().isSymbolicLink());
        assertEquals(outsideFile.toString(), entries.get("to-file").header().getLinkName());
        assertEquals("", entries.get("to-file").content());
        assertEquals(elsewhere.resolve("dir").toString(), entries.get("to-dir").header().getLinkName());
        assertEquals("../somewhere/else", entries.get("relative").header().getLinkName());
    }

    @Test
    void prunesExcludedDirectoriesAndCountsWhatWasWalkedAndSent() throws IOException {
        write("app/Kernel.php", "<?php");
        write("app/debug.log", "log");
        write("vendor/a/one.php", "1");
        write("vendor/b/two.php", "2");
        write("node_modules/x/index.js", "x");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DockerIgnore ignore = DockerIgnore.parse("vendor\nnode_modules/\n**/*.log");
        BuildContextStats stats = new BuildContext(base, ignore, Map.of()).writeTo(out);

        assertEquals(List.of("app/", "app/Kernel.php"), List.copyOf(readTar(out.toByteArray()).keySet()));
        assertEquals(1, stats.filesSent());
        assertEquals(1, stats.directoriesSent());
        assertEquals(5, stats.bytesSent());
        assertEquals(5, stats.entriesWalked(), "app, its two files, and the two pruned directories");
        assertEquals(1, stats.filesExcluded());
        assertEquals(2, stats.directoriesPruned());
        assertEquals(List.of(), stats.guardedPaths());
    }

    @Test
    void exceptionReIncludesAFileBelowAnExcludedDirectoryWithItsParents() throws IOException {
        write("vendor/keep/a.txt", "a");
        write("vendor/other/b.txt", "b");
        write("vendor/c.txt", "c");
        write("vendor/empty-keep/.gitkeep", "");

        Map<String, Entry> entries = contextEntries("vendor\n!vendor/keep/**");

        assertEquals(List.of("vendor/", "vendor/keep/", "vendor/keep/a.txt"), List.copyOf(entries.keySet()));
    }

    @Test
    void overlaysReplaceBaseFilesBypassTheIgnoreRulesAndGetTheirParentDirectories() throws IOException {
        write("Dockerfile", "FROM old");
        write("docker/notes.txt", "excluded");
        write("app/x.php", "<?php");
        Path dockerfile = Files.writeString(elsewhere.resolve("Dockerfile"), "FROM new");
        Path dockerIgnore = Files.writeString(elsewhere.resolve("dockerignore"), "Dockerfile\ndocker\n.dockerignore\n");
        Path phpIni = Files.writeString(elsewhere.resolve("php.ini"), "memory_limit=256M");
        Map<String, Path> overlays = Map.of(
                "Dockerfile", dockerfile, ".dockerignore", dockerIgnore, "docker/php/php.ini", phpIni);

        BuildContext context = new BuildContext(base, DockerIgnore.read(dockerIgnore), overlays);
        Map<String, Entry> entries = readTar(tarOf(context));

        assertEquals(List.of(".dockerignore", "Dockerfile", "app/", "app/x.php", "docker/", "docker/php/",
                "docker/php/php.ini"), List.copyOf(entries.keySet()));
        assertEquals("FROM new", entries.get("Dockerfile").content());
        assertEquals("memory_limit=256M", entries.get("docker/php/php.ini").content());
        assertEquals(0755, entries.get("docker/php/").header().getMode() & 07777);
    }

    @Test
    void secretGuardKeepsDotenvFilesOutEvenWhenReIncluded() throws IOException {
        write(".env", "APP_KEY=local");
        write(".env.production", "DB_PASSWORD=secret");
        write(".env.example", "APP_KEY=");
        write(".env.production.example", "DB_PASSWORD=");
        write("config/.env.local", "TOKEN=secret");
        write("config/app.php", "<?php");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContextStats stats = new BuildContext(base, DockerIgnore.parse(".env\n!.env.production"), Map.of())
                .writeTo(out);

        assertEquals(List.of(".env.example", ".env.production.example", "config/", "config/app.php"),
                List.copyOf(readTar(out.toByteArray()).keySet()));
        assertEquals(List.of(".env.production", "config/.env.local"), stats.guardedPaths(),
                ".env is reported as excluded by the rules, not as guarded");
        assertEquals(1, stats.filesExcluded());
    }

    @Test
    void secretGuardCoversLetterCaseVariantsAndDotenvDirectoriesWhateverTheRules() throws IOException {
        write(".ENV", "CANARY-UPPER");
        write(".env-production", "CANARY-DASH");
        write("production.env", "CANARY-SUFFIX");
        write("config/.env/production", "CANARY-DIRECTORY");
        write("config/.env/nested/db", "CANARY-NESTED");
        write("config/.env/app.example", "TOKEN=");
        write("config/app.php", "<?php");
        write("environment.php", "<?php");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContextStats stats = new BuildContext(base, DockerIgnore.parse("!**/.env*\n"), Map.of()).writeTo(out);

        assertEquals(List.of("config/", "config/.env/", "config/.env/app.example", "config/app.php", "environment.php"),
                List.copyOf(readTar(out.toByteArray()).keySet()));
        assertEquals(List.of(".ENV", ".env-production", "config/.env/nested/db", "config/.env/production",
                "production.env"), stats.guardedPaths().stream().sorted().toList());
        assertFalse(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("CANARY-"));
    }

    @Test
    void aDotenvDirectoryHoldingOnlyGuardedFilesIsNotSentEvenEmpty() throws IOException {
        write("config/.env/production", "CANARY");
        write("config/app.php", "<?php");

        assertEquals(List.of("config/", "config/app.php"), List.copyOf(contextEntries("").keySet()));
    }

    @Test
    void filesThatUsuallyHoldSecretsFollowTheRulesAndThoseSentAreReported() throws IOException {
        write("auth.json", "{}");
        write("certs/ca.pem", "-----BEGIN CERTIFICATE-----");
        write("storage/oauth-private.key", "-----BEGIN PRIVATE KEY-----");
        write("app/User.php", "<?php");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContextStats stats = new BuildContext(base, DockerIgnore.parse("storage/*.key\n"), Map.of()).writeTo(out);

        assertEquals(List.of("app/", "app/User.php", "auth.json", "certs/", "certs/ca.pem", "storage/"),
                List.copyOf(readTar(out.toByteArray()).keySet()), "the rules decide");
        assertEquals(List.of("auth.json (Composer credentials)", "certs/ca.pem (key or certificate)"), stats.secretsSent());
        assertEquals(List.of(), stats.guardedPaths());
    }

    @Test
    void anOverlayThatIsASymbolicLinkIsRefusedNotFollowed() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("config.json"), "CANARY-OVERLAY-LINK");
        Path link = Files.createSymbolicLink(elsewhere.resolve("php.ini"), secret);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        IOException refusal = assertThrows(IOException.class,
                () -> new BuildContext(base, DockerIgnore.empty(), Map.of("docker/php/php.ini", link)).writeTo(out));

        assertTrue(refusal.getMessage().contains("docker/php/php.ini is not a regular file (a symbolic link, not followed)"),
                refusal.getMessage());
        assertFalse(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("CANARY-OVERLAY-LINK"));
    }

    @Test
    void rejectsOverlaysThatAreSecretsOrNotCleanRelativeNames() {
        Path file = elsewhere.resolve("file");
        DockerIgnore none = DockerIgnore.empty();
        for (String name : List.of(".env.production", "config/.env", ".ENV", "docker/app.env", "config/.env/x", "/Dockerfile", "../Dockerfile", "a//b", "./a",
                "a/", ".", "")) {
            assertThrows(IllegalArgumentException.class, () -> new BuildContext(base, none, Map.of(name, file)), name);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new BuildContext(base, none, Map.of("docker", file, "docker/php.ini", file)));
    }

    @Test
    void unreadableFileFailsWithItsPath() throws IOException {
        Path locked = write("storage/locked.txt", "nope");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: every file is readable");

        BuildContext context = new BuildContext(base, DockerIgnore.empty(), Map.of());
        IOException error = assertThrows(IOException.class, () -> context.writeTo(new ByteArrayOutputStream()));

        assertTrue(error.getMessage().contains(locked.toString()), error.getMessage());
    }

    @Test
    void missingBaseDirectoryFails() {
        BuildContext context = new BuildContext(base.resolve("absent"), DockerIgnore.empty(), Map.of());

        IOException error = assertThrows(IOException.class, () -> context.writeTo(new ByteArrayOutputStream()));
        assertTrue(error.getMessage().contains("absent"), error.getMessage());
    }

    @Test
    void sameTreeGivesByteIdenticalArchives() throws IOException {
        write("composer.json", "{}");
        write("app/Models/User.php", "<?php class User {}");
        write("deep/" + "very-long-directory-name/".repeat(8) + "file.txt", "beyond the 100 bytes of ustar names");
        Path phpIni = Files.writeString(elsewhere.resolve("php.ini"), "opcache.enable=1");
        BuildContext context = new BuildContext(base, DockerIgnore.parse("*.md"), Map.of("docker/php/php.ini", phpIni));

        byte[] first = tarOf(context);
        byte[] second = tarOf(context);

        assertArrayEquals(first, second);
        assertTrue(readTar(first).keySet().stream().anyMatch(name -> name.length() > 200));
    }

    @Test
    void keepsNonAsciiNames() throws IOException {
        String name = "résumé/ünïcode.txt";
        assumeTrue(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).newEncoder().canEncode(name),
                "file names cannot hold non-ASCII characters in this locale");
        write(name, "PAX header");

        assertEquals("PAX header", contextEntries("").get(name).content());
    }

    /**
     * A file swapped for a FIFO or for a link to a secret between the walk's look at it and its open, by a
     * process racing the build (issue 11, item 19): every run ends within bounds (before, one FIFO held the
     * context until the build's deadline), and no run sends the link's target.
     */
    @Test
    void aFileSwappedBetweenStatAndOpenNeitherBlocksNorLeaks() throws Exception {
        assumeTrue(new ProcessBuilder("mkfifo", root.resolve("probe").toString()).start().waitFor() == 0, "mkfifo");
        String content = "the real content, long enough to be read when a link is followed\n";
        Path secret = Files.writeString(elsewhere.resolve("environ"), "CANARY-RACE-" + "x".repeat(64) + "\n");
        write("a.txt", "a");
        Path victim = write("victim.txt", content);
        write("z.txt", "z");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread swapper = new Thread(() -> {
            for (int round = 0; !stop.get(); round++) {
                try {
                    Path next = root.resolve("next-" + round);
                    switch (round % 3) {
                        case 0 -> new ProcessBuilder("mkfifo", next.toString()).start().waitFor();
                        case 1 -> Files.createSymbolicLink(next, secret);
                        default -> Files.writeString(next, content);
                    }
                    Files.move(next, victim, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    // a move racing a read: next round
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "swapper");
        swapper.setDaemon(true);
        swapper.start();
        int completed = 0;
        int refused = 0;
        try {
            // At least 6 runs and 3 s of racing, at most 30 s: a FIFO hit costs the open timeout (1 s, far
            // above a real open even on this busy machine, so that a.txt and z.txt never time out).
            long start = System.nanoTime();
            while (System.nanoTime() - start < java.time.Duration.ofSeconds(30).toNanos()
                    && (completed + refused < 6 || System.nanoTime() - start < java.time.Duration.ofSeconds(3).toNanos())) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                            () -> new BuildContext(base, DockerIgnore.empty(), Map.of(), java.time.Duration.ofSeconds(1))
                                    .writeTo(out));
                    completed++;
                } catch (Exception e) { // an IOException, rethrown as is (undeclared) by assertTimeoutPreemptively
                    assertTrue(e instanceof IOException && e.getMessage().contains("victim.txt"), e.toString());
                    refused++;
                }
                assertFalse(new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("CANARY-RACE"),
                        "the link's target was sent");
            }
        } finally {
            // Not interrupted: an interrupted waitFor leaves mkfifo to create its FIFO after the thread has ended,
            // during @TempDir's clean-up, which then fails.
            stop.set(true);
            swapper.join(10_000);
        }
        assertTrue(completed + refused > 3, completed + " runs completed, " + refused + " refused");
    }
}
