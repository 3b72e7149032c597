package fr.miweb.maven.frankenphp.publish;

import fr.miweb.maven.frankenphp.docker.ImageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What push starts from, checked without an engine. */
class PushImageTest {

    private static final String REGISTRY = "registry.example.test:5443";

    @TempDir
    Path directory;

    @Test
    void aRecordOfAnotherImageIsNotPushed() throws Exception {
        Path recordFile = directory.resolve("image.json");
        ImageRecord.built(REGISTRY + "/someone/else", "1.0.0", "sha256:" + "0".repeat(64), Instant.now().toString())
                .write(recordFile);

        PublishException failure = assertThrows(PublishException.class,
                () -> PushImage.recorded(recordFile, REGISTRY + "/team/app", "push", "build first", "mvn package"));

        assertTrue(failure.userFixable());
        assertTrue(failure.getMessage().contains("is not the one configured now (" + REGISTRY + "/team/app)"), failure.getMessage());
    }
}
