package fr.miweb.maven.frankenphp.context;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as the file system stores them: bytes, whatever the JVM's locale makes of them.
 *
 * <p>{@code docker build} sends each name's bytes unchanged, so a Latin-1 {@code café.jpg} (byte E9) and a UTF-8
 * one (C3 A9) both reach the image. The JVM decodes names with {@code sun.jnu.encoding}: under {@code LANG=C}
 * (common in CI containers) every non-ASCII byte becomes {@code ?}, and under UTF-8 a Latin-1 byte becomes
 * U+FFFD, so a path rebuilt from that text names no file. The bytes are recovered from {@link Path#toUri()},
 * which percent-encodes the path's own bytes.
 *
 * <p>A raw name is held as a string of one ISO-8859-1 character per byte: written with that charset it gives the
 * bytes back, and strings compare in byte order. {@link #toText} gives the name as text (UTF-8, U+FFFD for bytes
 * that are not), for {@code .dockerignore} matching and for messages.
 */
final class RawNames {

    private RawNames() {
    }

    /** The raw file name of a directory entry. */
    static String of(Path entry) {
        String shown = entry.getFileName().toString();
        if (isPlainAscii(shown)) {
            return shown; // the common case, without the cost of a URI
        }
        String rawPath = entry.toUri().getRawPath();
        if (rawPath.endsWith("/") && rawPath.length() > 1) {
            rawPath = rawPath.substring(0, rawPath.length() - 1); // toUri marks directories
        }
        return percentDecoded(rawPath.substring(rawPath.lastIndexOf('/') + 1));
    }

    /** The raw bytes of a symbolic link's target, as read from the link. */
    static String ofLinkTarget(Path target) {
        String shown = target.toString();
        if (isPlainAscii(shown)) {
            return shown;
        }
        if (target.isAbsolute()) {
            return percentDecoded(stripSlash(target.toUri().getRawPath()));
        }
        // toUri makes a relative path absolute against the working directory; take that prefix off again.
        String base = Path.of("").toAbsolutePath().toUri().getRawPath();
        String full = stripSlash(target.toAbsolutePath().toUri().getRawPath());
        return percentDecoded(full.startsWith(base) ? full.substring(base.length()) : full);
    }

    /** Text (a rendered file's name, a context-relative path) as raw UTF-8 bytes. */
    static String ofText(String text) {
        return isAscii(text) ? text : new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A raw name as text: its bytes read as UTF-8, U+FFFD for those that are not. */
    static String toText(String raw) {
        return isAscii(raw) ? raw : new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static boolean isAscii(String text) {
        if (text == null) {
            return true;
        }
        for (int index = 0; index < text.length(); index++) {
            if (text.charAt(index) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** ASCII without '?', which is what an undecodable byte looks like under LANG=C. */
    private static boolean isPlainAscii(String text) {
        return isAscii(text) && text.indexOf('?') < 0;
    }

    private static String stripSlash(String rawPath) {
        return rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    }

    private static String percentDecoded(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int index = 0; index < encoded.length(); index++) {
            char character = encoded.charAt(index);
            if (character == '%' && index + 2 < encoded.length()) {
                bytes.write(Integer.parseInt(encoded.substring(index + 1, index + 3), 16));
                index += 2;
            } else {
                bytes.write(character);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
