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

    /**
     * Reads and checks a record. {@code push} acts on what it says (which tag to push, which image it must be), and
     * the file sits in {@code target/} where anything may have written it: a version that is not a Docker tag, or an
     * image id that is not a content digest, is refused rather than passed on to the registry.
     *
     * @throws IOException when the file cannot be read or is not a valid record (the message names the field)
     */
    public static ImageRecord read(Path file) throws IOException {
        ImageRecord record;
        try {
            record = JSON.readValue(file.toFile(), ImageRecord.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("it is not a build record (" + e.getClass().getSimpleName() + ")", e);
        }
        if (record == null) {
            // A file holding just "null".
            throw new IOException("it is not a build record (null)");
        }
        String problem = record.problem();
        if (problem != null) {
            throw new IOException("it is not a valid build record: " + problem);
        }
        return record;
    }

    private static final java.util.regex.Pattern CONTENT_DIGEST = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    /** What is wrong with this record as {@code build} writes it, or null. Values are quoted for the user to see. */
    private String problem() {
        if (version == null || !fr.miweb.maven.frankenphp.config.DockerReferences.isTag(version)
                || version.equals("latest")) {
            return "\"version\" " + quoted(version) + " is not a Docker tag other than latest";
        }
        if (repository == null || repository.contains("@")
                || !fr.miweb.maven.frankenphp.config.DockerReferences.isImageReference(repository + ":" + version)) {
            return "\"repository\" " + quoted(repository) + " is not an image repository";
        }
        if (imageId == null || !CONTENT_DIGEST.matcher(imageId).matches()) {
            return "\"imageId\" " + quoted(imageId) + " is not an image id (sha256: and 64 hexadecimal digits)";
        }
        if (!tags.equals(List.of(repository + ":" + version, repository + ":latest"))) {
            return "\"tags\" are not " + repository + ":" + version + " and " + repository + ":latest";
        }
        if (builtAt != null) {
            try {
                java.time.Instant.parse(builtAt);
            } catch (java.time.format.DateTimeParseException e) {
                return "\"builtAt\" " + quoted(builtAt) + " is not an ISO-8601 instant";
            }
        }
        for (Map.Entry<String, String> entry : pushed.entrySet()) {
            if (!entry.getKey().equals(version) && !entry.getKey().equals("latest")) {
                return "\"pushed\" names tag " + quoted(entry.getKey()) + ", neither the version nor latest";
            }
            if (entry.getValue() == null || !CONTENT_DIGEST.matcher(entry.getValue()).matches()) {
                return "\"pushed\" digest for " + entry.getKey() + " " + quoted(entry.getValue()) + " is not a digest";
            }
        }
        return null;
    }

    /** Shown with line breaks escaped and cut short, so a hostile value cannot forge log lines. */
    private static String quoted(String value) {
        if (value == null) {
            return "(missing)";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "'" + shown.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    /** Written to a temporary file and renamed, so a reader never sees half a record. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
