package fr.miweb.maven.frankenphp.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names are bytes: a Latin-1 {@code café.jpg} and a UTF-8 one must both be sent, byte for byte, as
 * {@code docker build} sends them, whether the JVM runs under {@code LANG=C} (common in CI containers) or a UTF-8
 * locale. The names are made by the shell, byte by byte, and the context is built in a child JVM per locale.
 */
class FileNameBytesTest {

    @TempDir
    Path root;

    @Test
    void latin1AndUtf8NamesAreSentAsTheirBytesUnderEveryLocale() throws Exception {
        Path project = Files.createDirectory(root.resolve("project"));
        // \351 is é in Latin-1; \303\251 is é in UTF-8. A long name checks the extended header too.
        String longName = "x".repeat(120) + "\\351.txt";
        FaultSupport.Result made = FaultSupport.run(List.of("sh", "-c", String.join(" && ",
                "cd " + project,
                "printf latin1 > \"$(printf 'caf\\351.jpg')\"",
                "printf utf8 > \"$(printf 'caf\\303\\251.txt')\"",
                "mkdir \"$(printf 'd\\351p')\"",
                "printf inside > \"$(printf 'd\\351p/\\303\\274.txt')\"",
                "printf long > \"$(printf '" + longName + "')\"",
                "ln -s \"$(printf 'caf\\351.jpg')\" lien",
                "printf skipped > \"$(printf 'caf\\351.ignored')\"")), Duration.ofSeconds(30));
        assumeTrue(made.exitCode() == 0, made.output());

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("caf\u00c3\u00a9.txt", "utf8"); // raw bytes, one ISO-8859-1 character each
        expected.put("caf\u00e9.jpg", "latin1");
        expected.put("d\u00e9p/", "");
        expected.put("d\u00e9p/\u00c3\u00bc.txt", "inside");
        expected.put("lien", "-> caf\u00e9.jpg");
        expected.put("x".repeat(120) + "\u00e9.txt", "long");

        byte[] previous = null;
        List<String> encodings = new ArrayList<>();
        for (String locale : List.of("C", "C.UTF-8")) {
            Path tar = root.resolve("context-" + locale + ".tar");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            FaultSupport.Result result = FaultSupport.run(List.of("env", "LANG=" + locale, "LC_ALL=" + locale,
                    javaExecutable(), "-cp", classpath, ContextProbes.class.getName(), "tar", project.toString(),
                    tar.toString()), Duration.ofMinutes(2));
            assertEquals(0, result.exitCode(), result::output);
            assertTrue(result.output().contains("RESULT sent 5 files"), locale + ": " + result.output());
            encodings.add(result.output().replaceAll("(?s).*sun\\.jnu\\.encoding=(\\S+).*", "$1"));

            byte[] bytes = Files.readAllBytes(tar);
            assertEquals(expected, entries(bytes), locale + ": " + result.output());
            if (previous != null) {
                assertArrayEquals(previous, bytes, "the same bytes under every locale");
            }
            previous = bytes;
        }
        // Two locales that decode names alike would prove nothing.
        assertEquals(2, encodings.stream().distinct().count(), "file name encodings of the two JVMs: " + encodings);
    }

    /** Names as raw bytes (ISO-8859-1 maps each byte to one character), with contents or link targets. */
    private static Map<String, String> entries(byte[] tar) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar),
                StandardCharsets.ISO_8859_1.name())) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                order.add(entry.getName());
                entries.put(entry.getName(), entry.isSymbolicLink() ? "-> " + entry.getLinkName()
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(order.stream().sorted().toList(), order, "siblings in byte order");
        return entries;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
