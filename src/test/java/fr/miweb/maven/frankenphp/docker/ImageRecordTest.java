package fr.miweb.maven.frankenphp.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageRecordTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

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
        ImageRecord record = ImageRecord.built("r.test/app", "v1", "sha256:id", "t").withPushed("v1", DIGEST);
        record.write(file);
        assertEquals(record, ImageRecord.read(file));
    }
}
