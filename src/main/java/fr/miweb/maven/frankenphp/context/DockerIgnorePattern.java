package fr.miweb.maven.frankenphp.context;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cleaned {@code .dockerignore} pattern, compiled the way moby's {@code patternmatcher} compiles it.
 *
 * <p>moby sorts a pattern into one of four kinds while translating it, and the kind changes what matches:
 * {@code **foo} is tested as a plain suffix, so it matches {@code barfoo}, whereas {@code **foo*} becomes a
 * regular expression in which {@code **} only spans whole directories. The kinds are reproduced here so that
 * those corner cases give the same answer as Docker.
 *
 * <p>Syntax follows Go's {@code filepath.Match} ({@code *}, {@code ?}, {@code [...]} with {@code ^} negation and
 * ranges, {@code \} escapes), which Docker validates every pattern against; an invalid pattern is rejected, as
 * Docker rejects it. Inside brackets and after a backslash every character is literal.
 */
final class DockerIgnorePattern {

    private enum Kind {
        /** No wildcard at all: the pattern is the path. */
        EXACT,
        /** {@code literal**}: any path starting with the literal. */
        PREFIX,
        /** {@code **literal}: any path ending with the literal (or equal to it without its leading slash). */
        SUFFIX,
        /** Anything else, matched by {@link #regex}. */
        REGEX
    }

    private final boolean exception;
    private final Kind kind;
    private final String literal;
    private final Pattern regex;

    private DockerIgnorePattern(boolean exception, Kind kind, String literal, Pattern regex) {
        this.exception = exception;
        this.kind = kind;
        this.literal = literal;
        this.regex = regex;
    }

    /**
     * Compiles a pattern that has already been cleaned and stripped of its {@code !}.
     *
     * @throws IllegalArgumentException when Go's {@code filepath.Match} would reject the pattern
     */
    static DockerIgnorePattern compile(String cleanedPattern, boolean exception) {
        Translation translation = new Translation(cleanedPattern);
        return switch (translation.kind) {
            case EXACT -> new DockerIgnorePattern(exception, Kind.EXACT, cleanedPattern, null);
            case PREFIX -> new DockerIgnorePattern(exception, Kind.PREFIX,
                    cleanedPattern.substring(0, cleanedPattern.length() - 2), null);
            case SUFFIX -> new DockerIgnorePattern(exception, Kind.SUFFIX, cleanedPattern.substring(2), null);
            // UNIX_LINES: like Go's regexp, '.' then excludes only '\n'.
            case REGEX -> new DockerIgnorePattern(exception, Kind.REGEX, null,
                    Pattern.compile(translation.regex.toString(), Pattern.UNIX_LINES));
        };
    }

    /** Whether this pattern started with {@code !}, i.e. re-includes what it matches. */
    boolean isException() {
        return exception;
    }

    /** Whether the pattern matches this exact slash-separated path (no parent-directory logic here). */
    boolean matches(String path) {
        return switch (kind) {
            case EXACT -> path.equals(literal);
            case PREFIX -> path.startsWith(literal);
            case SUFFIX -> path.endsWith(literal) || (literal.startsWith("/") && path.equals(literal.substring(1)));
            case REGEX -> regex.matcher(path).matches();
        };
    }

    /**
     * Whether some path starting with {@code directoryPrefix} (a directory followed by {@code /}) could match.
     * May answer {@code true} when in doubt, never {@code false} wrongly: a walker relies on it to prune.
     */
    boolean couldMatchBelow(String directoryPrefix) {
        return switch (kind) {
            case EXACT -> literal.startsWith(directoryPrefix);
            case PREFIX -> literal.startsWith(directoryPrefix) || directoryPrefix.startsWith(literal);
            // "**" absorbs any directory, so "<dir>/" + the suffix always matches.
            case SUFFIX -> true;
            case REGEX -> {
                Matcher matcher = regex.matcher(directoryPrefix);
                // hitEnd(): the engine ran out of input while still matching, so a longer path could match.
                yield matcher.matches() || matcher.hitEnd();
            }
        };
    }

    /** Translates a pattern to a Java regex and decides its kind, following moby's compile loop. */
    private static final class Translation {

        private final String pattern;
        private final int[] characters;
        private int position;
        private final StringBuilder regex = new StringBuilder();
        private Kind kind = Kind.EXACT;

        Translation(String pattern) {
            this.pattern = pattern;
            this.characters = pattern.codePoints().toArray();
            for (int step = 0; position < characters.length; step++) {
                int character = characters[position++];
                switch (character) {
                    case '*' -> translateStar(step == 0);
                    case '?' -> {
                        regex.append("[^/]");
                        kind = Kind.REGEX;
                    }
                    case '\\' -> {
                        appendLiteral(regex, escapedCharacter());
                        kind = Kind.REGEX;
                    }
                    case '[' -> {
                        translateCharacterClass();
                        kind = Kind.REGEX;
                    }
                    case ']' -> {
                        appendLiteral(regex, character);
                        kind = Kind.REGEX;
                    }
                    default -> appendLiteral(regex, character);
                }
            }
        }

        private void translateStar(boolean firstToken) {
            if (!nextIs('*')) {
                regex.append("[^/]*");
                kind = Kind.REGEX;
                return;
            }
            position++;
            if (nextIs('/')) {
                position++; // "**/" behaves as "**"
            }
            if (position == characters.length) {
                // A trailing "**" matches everything below, like .gitignore.
                if (kind == Kind.EXACT) {
                    kind = Kind.PREFIX;
                } else {
                    regex.append(".*");
                    kind = Kind.REGEX;
                }
            } else {
                // Any number of whole directories, including none.
                regex.append("(?:.*/)?");
                kind = Kind.REGEX;
            }
            if (firstToken) {
                kind = Kind.SUFFIX;
            }
        }

        private int escapedCharacter() {
            if (position == characters.length) {
                throw invalid("it ends with a backslash");
            }
            return characters[position++];
        }

        /** Parses {@code [...]} with Go's {@code filepath.Match} grammar; the opening bracket is consumed. */
        private void translateCharacterClass() {
            regex.append('[');
            if (nextIs('^')) {
                position++;
                regex.append('^');
            }
            for (int ranges = 0; ; ranges++) {
                if (nextIs(']') && ranges > 0) {
                    position++;
                    break;
                }
                int low = classCharacter();
                int high = low;
                if (nextIs('-')) {
                    position++;
                    high = classCharacter();
                }
                if (high < low) {
                    // Go's filepath.Match accepts it, but moby's regexp compilation then fails the build.
                    throw invalid("character range is out of order");
                }
                appendHexEscape(regex, low);
                if (high != low) {
                    regex.append('-');
                    appendHexEscape(regex, high);
                }
            }
            regex.append(']');
        }

        private int classCharacter() {
            if (position == characters.length || nextIs('-') || nextIs(']')) {
                throw invalid("malformed character class");
            }
            if (nextIs('\\')) {
                position++;
                if (position == characters.length) {
                    throw invalid("malformed character class");
                }
            }
            int character = characters[position++];
            if (position == characters.length) {
                throw invalid("unterminated character class");
            }
            return character;
        }

        private boolean nextIs(int character) {
            return position < characters.length && characters[position] == character;
        }

        private IllegalArgumentException invalid(String reason) {
            return new IllegalArgumentException("Invalid .dockerignore pattern \"" + pattern + "\": " + reason);
        }

        private static void appendLiteral(StringBuilder regex, int character) {
            if (character < 128 && Character.isLetterOrDigit(character)) {
                regex.append((char) character);
            } else {
                appendHexEscape(regex, character);
            }
        }

        /** {@code \x{...}} is literal everywhere in a Java regex, including inside brackets. */
        private static void appendHexEscape(StringBuilder regex, int character) {
            regex.append("\\x{").append(Integer.toHexString(character)).append('}');
        }
    }
}
