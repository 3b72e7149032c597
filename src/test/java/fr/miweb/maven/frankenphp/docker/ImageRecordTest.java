package fr.miweb.maven.frankenphp.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageRecordTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String IMAGE_ID = "sha256:" + "b".repeat(64);

    @Test
    void saysWhatReachedTheRegistry() {
        ImageRecord built = ImageRecord.built("r.test/app", "20261124-101500", "sha256:id", "2026-11-24T10:15:00Z");
        assertEquals("Nothing was pushed; not pushed: r.test/app:20261124-101500, r.test/app:latest"
                + " (latest in the registry was not moved).", built.pushProgress());
        ImageRecord half = built.withPushed("20261124-101500", DIGEST);
        assertEquals("Pushed: r.test/app:20261124-101500 (" + DIGEST + "); not pushed: r.test/app:latest"
                + " (latest in the registry was not moved).", half.pushProgress());
        assertEquals("Pushed: r.test/app:20261124-101500 (" + DIGEST + "), r.test/app:latest (" + DIGEST + ").",
                half.withPushed("latest", DIGEST).pushProgress());
    }

    @Test
    void survivesAWriteAndARead(@TempDir Path directory) throws Exception {
        Path file = directory.resolve(ImageRecord.FILE_NAME);
        ImageRecord record = ImageRecord.built("r.test/app", "v1", IMAGE_ID, "2026-11-24T10:15:00Z")
                .withPushed("v1", DIGEST);
        record.write(file);
        assertEquals(record, ImageRecord.read(file));
    }

    /** push acts on image.json: a record edited (or planted) in target/ must not steer it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "version|\"v1 --all\"|version",
            "version|\"latest\"|version",
            "version|\"v1\\nForged log line\"|version",
            "version|null|version",
            "imageId|\"sha256:id\"|imageId",
            "imageId|\"busybox:latest\"|imageId",
            "imageId|\"sha256:ABCDEF\"|imageId",
            "repository|\"r.test/App\"|repository",
            "builtAt|\"yesterday\"|builtAt"})
    void readRefusesARecordWithAnInvalidField(String field, String json, String named, @TempDir Path directory)
            throws Exception {
        Path file = directory.resolve(ImageRecord.FILE_NAME);
        ImageRecord.built("r.test/app", "v1", IMAGE_ID, "2026-11-24T10:15:00Z").write(file);
        String text = java.nio.file.Files.readString(file);
        String edited = text.replaceFirst("\"" + field + "\" : (\"[^\"]*\"|null)", "\"" + field + "\" : "
                + java.util.regex.Matcher.quoteReplacement(json));
        org.junit.jupiter.api.Assertions.assertNotEquals(text, edited);
        java.nio.file.Files.writeString(file, edited);

        java.io.IOException error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ImageRecord.read(file));
        org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().contains("\"" + named + "\""), error.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }

    @Test
    void readRefusesTagsThatAreNotTheVersionAndLatestAndUnknownPushedTags(@TempDir Path directory) throws Exception {
        Path file = directory.resolve(ImageRecord.FILE_NAME);
        ImageRecord record = ImageRecord.built("r.test/app", "v1", IMAGE_ID, "2026-11-24T10:15:00Z");
        new ImageRecord(record.repository(), "v1", java.util.List.of("r.test/app:v1", "evil.test/app:latest"),
                IMAGE_ID, record.builtAt(), java.util.Map.of()).write(file);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ImageRecord.read(file));
        record.withPushed("other", DIGEST).write(file);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ImageRecord.read(file));
        record.withPushed("latest", "sha256:short").write(file);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ImageRecord.read(file));
    }

    /** A file holding JSON's null is no record either: refused like the others, not a NullPointerException. */
    @Test
    void readRefusesAFileHoldingNull(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("image.json");
        java.nio.file.Files.writeString(file, "null");
        java.io.IOException error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> ImageRecord.read(file));
        org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().contains("not a build record"), error.getMessage());
    }
}
