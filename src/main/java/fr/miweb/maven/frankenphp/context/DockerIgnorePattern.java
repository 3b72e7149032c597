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
 * <p>Two checks, as in Docker: the pattern must first be valid for Go's {@code filepath.Match} (checked when the
 * file is read); then moby copies it into a Go regular expression, escaping only {@code .+()|{}$}. Everything
 * else reaches Go's regexp parser as written, so {@code \d} is a digit, {@code [[:alpha:]]} a letter,
 * {@code [*]} the class {@code [[^/]*]}, and a pattern such as {@code [z-a]} or {@code \C} that Go's regexp
 * refuses fails the first time it is evaluated, as Docker fails the build then ({@link GoRegexp}).
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
    private final String goRegex;
    /** Compiled on first use, as moby does; an invalid regex is remembered and reported at each use. */
    private Pattern regex;
    private IllegalArgumentException regexError;
    /** Whether the regex holds assertions ({@code \b}, {@code ^} inside) or quoting: pruning then stays off. */
    private final boolean exotic;

    private DockerIgnorePattern(boolean exception, Kind kind, String literal, String goRegex, boolean exotic) {
        this.exception = exception;
        this.kind = kind;
        this.literal = literal;
        this.goRegex = goRegex;
        this.exotic = exotic;
    }

    /**
     * Compiles a pattern that has already been cleaned and stripped of its {@code !}.
     *
     * @throws IllegalArgumentException when Go's {@code filepath.Match} would reject the pattern
     */
    static DockerIgnorePattern compile(String cleanedPattern, boolean exception) {
        FilepathSyntax.check(cleanedPattern);
        Translation translation = new Translation(cleanedPattern);
        return switch (translation.kind) {
            case EXACT -> new DockerIgnorePattern(exception, Kind.EXACT, cleanedPattern, null, false);
            case PREFIX -> new DockerIgnorePattern(exception, Kind.PREFIX,
                    cleanedPattern.substring(0, cleanedPattern.length() - 2), null, false);
            case SUFFIX -> new DockerIgnorePattern(exception, Kind.SUFFIX, cleanedPattern.substring(2), null, false);
            case REGEX -> new DockerIgnorePattern(exception, Kind.REGEX, cleanedPattern,
                    translation.regex.append('$').toString(), translation.exotic);
        };
    }

    /** moby's match type for this pattern: exact, prefix, suffix or regexp; for tests. */
    String kindName() {
        return kind == Kind.REGEX ? "regexp" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The Go regular expression moby builds for this pattern, or null when it needs none. */
    String goRegex() {
        return goRegex;
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
            case REGEX -> regex().matcher(path).find(); // Go's MatchString searches; the regex anchors itself
        };
    }

    private synchronized Pattern regex() {
        if (regex == null && regexError == null) {
            try {
                regex = GoRegexp.compile(goRegex);
            } catch (IllegalArgumentException e) {
                regexError = e;
            }
        }
        if (regexError != null) {
            throw new IllegalArgumentException("Invalid .dockerignore pattern \"" + (exception ? "!" : "") + literal
                    + "\": Docker's matcher refuses it (" + regexError.getMessage() + ")", regexError);
        }
        return regex;
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
                Matcher matcher = regex().matcher(directoryPrefix);
                // hitEnd(): the engine ran out of input while still matching, so a longer path could match.
                yield exotic || matcher.find() || matcher.hitEnd();
            }
        };
    }

    /**
     * Builds moby's Go regex source and decides the kind, following its compile loop: {@code *} and {@code ?}
     * become {@code [^/]*} and {@code [^/]}, {@code **} becomes an optional run of whole directories (or {@code .*} at the end),
     * {@code .+()|{}$} are escaped, a backslash and the character after it are copied as they are, and every
     * other character, brackets included, is copied unchanged.
     */
    private static final class Translation {

        private static final String ESCAPED = ".+()|{}$";

        private final int[] characters;
        private int position;
        private final StringBuilder regex = new StringBuilder("^");
        private Kind kind = Kind.EXACT;
        private boolean exotic;

        Translation(String pattern) {
            this.characters = pattern.codePoints().toArray();
            for (int step = 0; position < characters.length; step++) {
                int character = characters[position++];
                if (character == '*') {
                    translateStar(step == 0);
                } else if (character == '?') {
                    regex.append("[^/]");
                    kind = Kind.REGEX;
                } else if (character < 0x80 && ESCAPED.indexOf(character) >= 0) {
                    regex.append('\\').append((char) character);
                } else if (character == '\\') {
                    if (position < characters.length) {
                        int escaped = characters[position++];
                        regex.append('\\').appendCodePoint(escaped);
                        exotic |= "AzbBQEpP".indexOf(escaped) >= 0;
                        kind = Kind.REGEX;
                    } else {
                        regex.append('\\'); // unreachable: filepath.Match refuses a trailing backslash
                    }
                } else if (character == '[' || character == ']') {
                    regex.appendCodePoint(character);
                    kind = Kind.REGEX;
                } else {
                    exotic |= character == '^';
                    regex.appendCodePoint(character);
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
                regex.append("(.*/)?");
                kind = Kind.REGEX;
            }
            if (firstToken) {
                kind = Kind.SUFFIX;
            }
        }

        private boolean nextIs(int character) {
            return position < characters.length && characters[position] == character;
        }
    }

    /**
     * The syntax check Go's {@code filepath.Match} applies (moby calls it on every pattern before use): brackets
     * closed and holding at least one character or range, no bare {@code -} or {@code ]} where a range should
     * start, no trailing backslash. Only syntax: what the pattern then matches is the regex's business.
     */
    private static final class FilepathSyntax {

        private final String pattern;
        private final int[] characters;
        private int position;

        private FilepathSyntax(String pattern) {
            this.pattern = pattern;
            this.characters = pattern.codePoints().toArray();
        }

        static void check(String pattern) {
            new FilepathSyntax(pattern).run();
        }

        private void run() {
            while (position < characters.length) {
                int character = characters[position++];
                if (character == '\\') {
                    if (position == characters.length) {
                        throw invalid("it ends with a backslash");
                    }
                    position++;
                } else if (character == '[') {
                    characterClass();
                }
            }
        }

        private void characterClass() {
            if (nextIs('^')) {
                position++;
            }
            for (int ranges = 0; ; ranges++) {
                if (nextIs(']') && ranges > 0) {
                    position++;
                    return;
                }
                classCharacter();
                if (nextIs('-')) {
                    position++;
                    classCharacter();
                }
            }
        }

        private void classCharacter() {
            if (position == characters.length || nextIs('-') || nextIs(']')) {
                throw invalid("malformed character class");
            }
            if (nextIs('\\')) {
                position++;
                if (position == characters.length) {
                    throw invalid("malformed character class");
                }
            }
            position++;
            if (position == characters.length) {
                throw invalid("unterminated character class");
            }
        }

        private boolean nextIs(int character) {
            return position < characters.length && characters[position] == character;
        }

        private IllegalArgumentException invalid(String reason) {
            return new IllegalArgumentException("Invalid .dockerignore pattern \"" + pattern + "\": " + reason);
        }
    }
}
