package fr.miweb.maven.frankenphp.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.miweb.maven.frankenphp.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code target/frankenphp/image.json}: what {@code build} produced and what {@code push} has
 * published so far. It is how a {@code push} in a later Maven invocation pushes exactly the
 * version that was built, and how an interrupted push is resumed.
 *
 * @param repository {@code registry/name}
 * @param version    the version tag of this build
 * @param tags       the full references built, version first, then latest
 * @param imageId    the image id ({@code sha256:...}) the tags point to
 * @param builtAt    ISO-8601 build time
 * @param pushed     for each tag pushed, the manifest digest the registry answered
 */
@JsonPropertyOrder({"repository", "version", "tags", "imageId", "builtAt", "pushed"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageRecord(String repository, String version, List<String> tags, String imageId, String builtAt,
                          Map<String, String> pushed) {

    public static final String FILE_NAME = "image.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ImageRecord {
        tags = List.copyOf(tags);
        pushed = pushed == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pushed));
    }

    public static ImageRecord built(String repository, String version, String imageId, String builtAt) {
        return new ImageRecord(repository, version, List.of(repository + ":" + version, repository + ":latest"),
                imageId, builtAt, Map.of());
    }

    /** This record, with one more tag pushed. */
    public ImageRecord withPushed(String tag, String digest) {
        Map<String, String> now = new LinkedHashMap<>(pushed);
        now.put(tag, digest);
        return new ImageRecord(repository, version, tags, imageId, builtAt, now);
    }

    public boolean isPushed(String tag) {
        return pushed.containsKey(tag);
    }

    /** "Pushed: repo:v (sha256:…); not pushed: repo:latest (latest in the registry was not moved)." */
    public String pushProgress() {
        List<String> done = new java.util.ArrayList<>();
        List<String> missing = new java.util.ArrayList<>();
        for (String tag : List.of(version, "latest")) {
            if (isPushed(tag)) {
                done.add(repository + ":" + tag + " (" + pushed.get(tag) + ")");
            } else {
                missing.add(repository + ":" + tag);
            }
        }
        return (done.isEmpty() ? "Nothing was pushed" : "Pushed: " + String.join(", ", done))
                + (missing.isEmpty() ? "" : "; not pushed: " + String.join(", ", missing))
                + (isPushed("latest") ? "" : " (latest in the registry was not moved)") + ".";
    }

    public static ImageRecord read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), ImageRecord.class);
    }

    /** Written to a temporary file and renamed, so a reader never sees half a record. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
