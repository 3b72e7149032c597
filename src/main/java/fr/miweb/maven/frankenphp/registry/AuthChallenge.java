package fr.miweb.maven.frankenphp.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235), as registries send them:
 * {@code Basic realm="Registry Realm"} or
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"}.
 *
 * @param scheme     the scheme, lower case ({@code basic}, {@code bearer})
 * @param parameters the auth-params, names in lower case, values unquoted
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    /**
     * Parses the challenges of one header value; several may share it ({@code Basic realm="x", Bearer realm="y"}).
     * A quoted value may hold commas ({@code scope="repository:a:pull,push"}) and backslash escapes.
     * Malformed parts are skipped: a challenge is only ever a hint of what to send.
     */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Cursor in = new Cursor(header);
        String scheme = null;
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            in.skip(" \t,");
            if (in.atEnd()) {
                break;
            }
            String token = in.token();
            if (token.isEmpty()) {
                in.position++; // a stray character ('=', '"'): skip it
                continue;
            }
            in.skip(" \t");
            if (in.peek() == '=' && scheme != null) {
                in.position++;
                in.skip(" \t");
                String value = in.peek() == '"' ? in.quoted() : in.token();
                parameters.putIfAbsent(token.toLowerCase(Locale.ROOT), value);
                continue;
            }
            // A token not followed by '=' starts the next challenge.
            if (scheme != null) {
                challenges.add(new AuthChallenge(scheme, parameters));
            }
            scheme = token;
            parameters = new LinkedHashMap<>();
        }
        if (scheme != null) {
            challenges.add(new AuthChallenge(scheme, parameters));
        }
        return challenges;
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return position >= text.length();
        }

        char peek() {
            return atEnd() ? 0 : text.charAt(position);
        }

        void skip(String characters) {
            while (!atEnd() && characters.indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        String token() {
            int start = position;
            while (!atEnd() && " \t,=\"".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            return text.substring(start, position);
        }

        String quoted() {
            StringBuilder value = new StringBuilder();
            position++; // opening quote
            while (!atEnd()) {
                char c = text.charAt(position++);
                if (c == '\\' && !atEnd()) {
                    value.append(text.charAt(position++));
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                }
            }
            return value.toString();
        }
    }
}
