package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.config.ConfigValidator;

import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Quoting for every file format the templates write. Each function is total: whatever the string,
 * the file parses back to exactly that string (or, for ini, to what PHP means by a bare word).
 * Templates call them as {@code [=quoteYaml(x)]}, {@code [=quoteCompose(x)]}, {@code [=quoteIni(x)]},
 * {@code [=quoteShell(x)]}, {@code [=quoteJson(x)]}, {@code [=quoteEnv(x)]}.
 */
public final class Quoting {

    /**
     * ini values written bare: PHP reads them as the same string, except the words PHP itself
     * gives a meaning to (On, Off, true, none...) and constant expressions such as
     * {@code E_ALL & ~E_DEPRECATED}, which are exactly what php.ini authors write them for.
     */
    private static final Pattern INI_BARE = Pattern.compile("[A-Za-z0-9_./:+-]+|[A-Z0-9_]+(?: *[|&^] *~?[A-Z0-9_]+)*");

    private Quoting() {
    }

    /** A YAML double-quoted scalar. Escapes quotes, backslashes and every non-printable character. */
    public static String yaml(String value) {
        // YAML forbids C0/C1 controls, and treats NEL, LS, PS and BOM as line breaks or marks.
        return doubleQuoted(value, cp -> cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029
                || cp == 0xfeff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff);
    }

    /**
     * A value in a compose file: YAML-quoted, with {@code $} doubled so compose does not
     * interpolate it.
     */
    public static String compose(String value) {
        return yaml(value.replace("$", "$$"));
    }

    /**
     * A php.ini value. Inside double quotes PHP's ini scanner unescapes {@code \\}, {@code \"} and
     * {@code \$} (the last stops {@code ${VAR}} environment expansion); newlines survive.
     */
    public static String ini(String value) {
        if (INI_BARE.matcher(value).matches()) {
            return value;
        }
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$");
        // PHP reads \" before a line break as a backslash closing the string (for "C:\path\"):
        // close the string after the quote and open the next one; PHP joins adjacent strings.
        escaped = escaped.replace("\\\"\n", "\\\"\"\"\n").replace("\\\"\r", "\\\"\"\"\r");
        return '"' + escaped + '"';
    }

    /** Values a dotenv file holds bare: every reader (phpdotenv, compose's env_file and --env-file) reads them as is. */
    private static final Pattern ENV_BARE = Pattern.compile("[A-Za-z0-9_./:@,+=-]*");

    /**
     * A dotenv value ({@code .env.production.example}): bare when plain, else in single quotes, inside which Laravel's
     * phpdotenv and compose read every character literally, spaces and {@code # "} included. The configuration
     * validator refuses what no quoting makes both read alike: {@code '}, {@code $} (compose expands {@code ${X}}
     * even in single quotes), {@code \} (compose unescapes {@code \\}) and control characters.
     *
     * @throws IllegalArgumentException for such a value
     */
    public static String env(String value) {
        if (ENV_BARE.matcher(value).matches()) {
            return value;
        }
        if (!ConfigValidator.isPortableEnvValue(value)) {
            throw new IllegalArgumentException("no dotenv quoting keeps this value the same for Laravel and compose: " + value);
        }
        return "'" + value + "'";
    }

    /** A POSIX shell word: single quotes, with each embedded quote closed, escaped and reopened. */
    public static String sh(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A JSON string, for Dockerfile exec-form arrays ({@code CMD ["php", ...]}). */
    public static String json(String value) {
        // LS and PS are valid JSON but break JavaScript and some line-oriented readers.
        return doubleQuoted(value, cp -> cp < 0x20 || cp == 0x2028 || cp == 0x2029);
    }

    /**
     * The escaping YAML and JSON double-quoted strings share: quote, backslash and the usual
     * control escapes, and a Unicode escape for whatever the format cannot hold as is.
     */
    private static String doubleQuoted(String value, IntPredicate needsUnicodeEscape) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsUnicodeEscape.test(cp)) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
