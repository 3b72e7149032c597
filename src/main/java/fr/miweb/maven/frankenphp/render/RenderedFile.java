package fr.miweb.maven.frankenphp.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One file produced by a template.
 *
 * @param relativePath '/'-separated path below the output (or project) directory, e.g. {@code docker/php/php.ini}
 * @param content      the file's bytes (UTF-8 text)
 */
public record RenderedFile(String relativePath, byte[] content) {

    public RenderedFile {
        Objects.requireNonNull(relativePath, "relativePath");
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RenderedFile file
                && relativePath.equals(file.relativePath) && Arrays.equals(content, file.content);
    }

    @Override
    public int hashCode() {
        return 31 * relativePath.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return relativePath + " (" + content.length + " bytes)";
    }
}
