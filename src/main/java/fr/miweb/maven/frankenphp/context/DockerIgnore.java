package fr.miweb.maven.frankenphp.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The rules of a {@code .dockerignore} file, with Docker's semantics (moby {@code patternmatcher} and
 * {@code ignorefile.ReadAll}, as used by the Docker CLI and BuildKit).
 *
 * <p>Reading: a UTF-8 byte order mark is dropped; a line whose first column is {@code #} is a comment (an
 * indented {@code #} is a pattern, as in Docker); the rest is trimmed, blank lines are ignored, a leading
 * {@code !} marks an exception, and each pattern is cleaned like Go's {@code filepath.Clean} with a leading
 * {@code /} removed, so {@code /vendor/} and {@code vendor} are the same rule.
 *
 * <p>Matching: patterns use {@code *}, {@code ?}, {@code [...]} and {@code \} escapes within one path segment,
 * plus {@code **} for any number of directories, including none. The last pattern that matches a path decides,
 * and a pattern also matches everything below a directory it matches.
 *
 * <p>Paths are context-relative and {@code /}-separated, without a leading slash. Instances are immutable and
 * thread-safe.
 */
public final class DockerIgnore {

    private static final DockerIgnore EMPTY = new DockerIgnore(List.of(), List.of());
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final List<String> patterns;
    private final List<DockerIgnorePattern> compiledPatterns;

    private DockerIgnore(List<String> patterns, List<DockerIgnorePattern> compiledPatterns) {
        this.patterns = patterns;
        this.compiledPatterns = compiledPatterns;
    }

    /** Rules that exclude nothing. */
    public static DockerIgnore empty() {
        return EMPTY;
    }

    /**
     * Reads a {@code .dockerignore} file; a missing file excludes nothing, as with {@code docker build}.
     *
     * @throws IllegalArgumentException when a pattern is invalid (Docker refuses to build with it too)
     */
    public static DockerIgnore read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    /**
     * Parses the content of a {@code .dockerignore} file.
     *
     * @throws IllegalArgumentException when a pattern is invalid (Docker refuses to build with it too)
     */
    public static DockerIgnore parse(String content) {
        List<String> patterns = readPatterns(content);
        List<DockerIgnorePattern> compiled = new ArrayList<>(patterns.size());
        for (String pattern : patterns) {
            // moby's matcher trims and cleans once more, '!' included: "!/" becomes a bare "!".
            String cleaned = cleanPath(trimSpace(pattern));
            boolean exception = cleaned.startsWith("!");
            if (exception && cleaned.length() == 1) {
                throw new IllegalArgumentException("Invalid .dockerignore pattern \"" + pattern
                        + "\": \"!\" alone is not a valid exception");
            }
            compiled.add(DockerIgnorePattern.compile(exception ? cleaned.substring(1) : cleaned, exception));
        }
        return new DockerIgnore(List.copyOf(patterns), List.copyOf(compiled));
    }

    /** The patterns as Docker reads them: cleaned, without comments, exceptions prefixed with {@code !}. */
    public List<String> patterns() {
        return patterns;
    }

    /** Whether the file or directory at this context-relative path is left out of the build context. */
    public boolean isExcluded(String relativePath) {
        String path = cleanPath(relativePath);
        if (path.equals(".")) {
            return false; // the context root itself is never excluded
        }
        boolean excluded = false;
        for (DockerIgnorePattern pattern : compiledPatterns) {
            // A pattern that cannot change the verdict is not evaluated (moby does the same); the result is
            // the polarity of the last matching pattern either way.
            if (pattern.isException() != excluded) {
                continue;
            }
            if (pattern.matches(path) || matchesAParentDirectory(pattern, path)) {
                excluded = !pattern.isException();
            }
        }
        return excluded;
    }

    /**
     * Whether a walker may skip this directory without looking inside: it is excluded and no exception pattern
     * could re-include anything below it. {@code vendor} alone makes {@code vendor} skippable, but not when
     * {@code !vendor/keep/**} follows.
     *
     * <p>Skipping therefore never changes which files are sent: exactly those for which {@link #isExcluded} is
     * false, as with BuildKit. (Docker's legacy builder walker only compares exception patterns as literal
     * prefixes, so it drops e.g. {@code vendor/lib1/keep} under {@code vendor} + {@code !vendor/lib?/keep}.)
     */
    public boolean canSkipDirectory(String relativeDirectory) {
        String directory = cleanPath(relativeDirectory);
        if (!isExcluded(directory)) {
            return false;
        }
        String directoryPrefix = directory + "/";
        for (DockerIgnorePattern pattern : compiledPatterns) {
            if (pattern.isException() && pattern.couldMatchBelow(directoryPrefix)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAParentDirectory(DockerIgnorePattern pattern, String path) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (pattern.matches(path.substring(0, slash))) {
                return true;
            }
        }
        return false;
    }

    /** The pattern list of moby's {@code ignorefile.ReadAll}. */
    private static List<String> readPatterns(String content) {
        List<String> patterns = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (index == 0 && line.startsWith(BYTE_ORDER_MARK)) {
                line = line.substring(BYTE_ORDER_MARK.length());
            }
            if (line.startsWith("#")) {
                continue; // checked before trimming: only column 1 starts a comment
            }
            String pattern = trimSpace(line);
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.charAt(0) == '!';
            if (exception) {
                pattern = trimSpace(pattern.substring(1));
            }
            if (!pattern.isEmpty()) {
                pattern = cleanPath(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            }
            patterns.add(exception ? "!" + pattern : pattern);
        }
        return patterns;
    }

    /**
     * Go's {@code path.Clean}: collapses slashes, drops {@code .} segments and resolves {@code ..} lexically;
     * an empty result is {@code "."}.
     */
    static String cleanPath(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (!segment.equals("..")) {
                segments.addLast(segment);
            } else if (!segments.isEmpty() && !segments.peekLast().equals("..")) {
                segments.removeLast();
            } else if (!rooted) {
                segments.addLast(".."); // ".." above the root of a rooted path is dropped
            }
        }
        String joined = String.join("/", segments);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Go's {@code strings.TrimSpace}, whose notion of white space differs from {@link String#strip()}. */
    private static String trimSpace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isGoSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** Go's {@code unicode.IsSpace} (all such characters are in the Basic Multilingual Plane). */
    private static boolean isGoSpace(char character) {
        return switch (character) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
                    '\u205F', '\u3000' -> true;
            default -> character >= '\u2000' && character <= '\u200A';
        };
    }
}
