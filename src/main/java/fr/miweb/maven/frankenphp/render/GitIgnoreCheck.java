package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.files.ProjectFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Tells whether a project's .gitignore files keep {@code .env.production} out of version control.
 * A simplified reading of gitignore (enough for the lines people write for it: {@code .env.production},
 * {@code /.env.production}, {@code .env*}, {@code .env.*}, {@code **}{@code /.env.production}); it reads
 * the .gitignore files from the repository root down to the project directory, with git's own wildcard rules
 * (braces are literal, a malformed line matches nothing). Not handled: a parent
 * directory ignored as a whole (the check then warns although git ignores the file).
 */
public final class GitIgnoreCheck {

    private GitIgnoreCheck() {
    }

    /**
     * Whether git would ignore {@code .env.production} in this project. Advisory, so it never fails: a
     * .gitignore that cannot be read is skipped, and a line git could not use (an unclosed bracket, a trailing
     * backslash) matches nothing, as in git.
     */
    public static boolean ignoresProductionEnv(Path projectDirectory) {
        Path envFile = projectDirectory.toAbsolutePath().normalize().resolve(".env.production");
        // From the repository root down to the project: a deeper .gitignore has the last word, as in git.
        Deque<Path> directories = new ArrayDeque<>();
        for (Path directory = envFile.getParent(); directory != null; directory = directory.getParent()) {
            directories.push(directory);
            if (Files.exists(directory.resolve(".git"))) {
                break;
            }
        }
        boolean ignored = false;
        for (Path directory : directories) {
            Path gitignore = directory.resolve(".gitignore");
            try {
                // As git (2.32+): a .gitignore that is a symbolic link is not read; nor is a FIFO, which would block.
                if (ProjectFiles.kind(gitignore) == ProjectFiles.Kind.REGULAR_FILE) {
                    String relativePath = directory.relativize(envFile).toString().replace('\\', '/');
                    // Bytes that are not UTF-8 (a Latin-1 comment) become U+FFFD and match nothing, as in git.
                    String text = new String(ProjectFiles.readRegularFile(gitignore), StandardCharsets.UTF_8);
                    ignored = matches(text.lines().toList(), relativePath, ignored);
                }
            } catch (IOException | RuntimeException unreadable) {
                // git cannot read it either; the check only decides whether to warn.
            }
        }
        return ignored;
    }

    /**
     * Applies one .gitignore's lines to a path relative to its directory. A pattern with a leading or
     * middle slash is anchored to that directory; one without matches the file name at any depth.
     */
    static boolean matches(List<String> lines, String relativePath, boolean ignoredSoFar) {
        boolean ignored = ignoredSoFar;
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (String raw : lines) {
            String line = raw.stripTrailing(); // git keeps leading spaces as part of the pattern
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            String pattern = (negated ? line.substring(1) : line).replaceFirst("^\\*\\*/", "");
            if (pattern.isEmpty() || pattern.endsWith("/")) {
                continue; // a trailing slash matches directories only
            }
            boolean anchored = pattern.contains("/");
            Pattern regex = wildmatch(pattern.replaceFirst("^/", ""));
            if (regex != null && regex.matcher(anchored ? relativePath : name).matches()) {
                ignored = !negated;
            }
        }
        return ignored;
    }

    /**
     * git's wildmatch as a regex: {@code *} and {@code ?} within a path segment, {@code /**}{@code /} for any
     * directories, brackets with {@code !} or {@code ^} negation, ranges and {@code [:class:]}, backslash escapes.
     * Braces are literal (git has no {@code {a,b}}). Null when git would find the pattern malformed.
     */
    static Pattern wildmatch(String pattern) {
        StringBuilder regex = new StringBuilder();
        int length = pattern.length();
        int index = 0;
        while (index < length) {
            char character = pattern.charAt(index);
            if (character == '\\') {
                if (index + 1 == length) {
                    return null;
                }
                literal(regex, pattern.charAt(index + 1));
                index += 2;
            } else if (character == '*') {
                int stars = index;
                while (index < length && pattern.charAt(index) == '*') {
                    index++;
                }
                boolean segmentStart = stars == 0 || pattern.charAt(stars - 1) == '/';
                if (index - stars >= 2 && segmentStart && index < length && pattern.charAt(index) == '/') {
                    regex.append("(?:.*/)?");
                    index++;
                } else if (index - stars >= 2 && segmentStart && index == length) {
                    regex.append(".*");
                } else {
                    regex.append("[^/]*");
                }
            } else if (character == '?') {
                regex.append("[^/]");
                index++;
            } else if (character == '[') {
                index = bracket(pattern, index + 1, regex);
                if (index < 0) {
                    return null;
                }
            } else {
                literal(regex, character);
                index++;
            }
        }
        try {
            return Pattern.compile(regex.toString());
        } catch (PatternSyntaxException e) {
            return null; // e.g. a range written backwards, which matches nothing in git
        }
    }

    /** Translates a bracket expression starting after its '['; returns the index after its ']', or -1. */
    private static int bracket(String pattern, int start, StringBuilder regex) {
        int index = start;
        int length = pattern.length();
        boolean negated = index < length && (pattern.charAt(index) == '!' || pattern.charAt(index) == '^');
        if (negated) {
            index++;
        }
        StringBuilder members = new StringBuilder();
        boolean first = true;
        while (true) {
            if (index >= length) {
                return -1;
            }
            char character = pattern.charAt(index);
            if (character == ']' && !first) {
                break;
            }
            first = false;
            if (character == '[' && index + 1 < length && pattern.charAt(index + 1) == ':') {
                int close = pattern.indexOf(":]", index + 2);
                if (close < 0) {
                    return -1;
                }
                String posix = POSIX_CLASSES.get(pattern.substring(index + 2, close));
                if (posix == null) {
                    return -1;
                }
                members.append(posix);
                index = close + 2;
                continue;
            }
            if (character == '\\') {
                if (++index >= length) {
                    return -1;
                }
                character = pattern.charAt(index);
            }
            hex(members, character);
            index++;
            if (index + 1 < length && pattern.charAt(index) == '-' && pattern.charAt(index + 1) != ']') {
                char high = pattern.charAt(index + 1);
                index += 2;
                if (high == '\\') {
                    if (index >= length) {
                        return -1;
                    }
                    high = pattern.charAt(index++);
                }
                members.append('-');
                hex(members, high);
            }
        }
        // A bracket never matches the '/' between segments.
        regex.append(negated ? "[^/" : "(?!/)[").append(members).append(']');
        return index + 1;
    }

    private static final java.util.Map<String, String> POSIX_CLASSES = java.util.Map.ofEntries(
            java.util.Map.entry("alnum", "\\p{Alnum}"), java.util.Map.entry("alpha", "\\p{Alpha}"),
            java.util.Map.entry("blank", "\\p{Blank}"), java.util.Map.entry("cntrl", "\\p{Cntrl}"),
            java.util.Map.entry("digit", "\\p{Digit}"), java.util.Map.entry("graph", "\\p{Graph}"),
            java.util.Map.entry("lower", "\\p{Lower}"), java.util.Map.entry("print", "\\p{Print}"),
            java.util.Map.entry("punct", "\\p{Punct}"), java.util.Map.entry("space", "\\p{Space}"),
            java.util.Map.entry("upper", "\\p{Upper}"), java.util.Map.entry("xdigit", "\\p{XDigit}"));

    private static void literal(StringBuilder regex, char character) {
        hex(regex, character);
    }

    private static void hex(StringBuilder regex, char character) {
        regex.append("\\x{").append(Integer.toHexString(character)).append('}');
    }
}
