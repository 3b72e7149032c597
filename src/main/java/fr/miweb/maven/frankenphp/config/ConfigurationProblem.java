package fr.miweb.maven.frankenphp.config;

/**
 * One invalid value in the pom configuration.
 *
 * @param element the pom element, e.g. {@code <image><registry>}
 * @param value   the rejected value, shown to the user as given
 * @param fix     what to write instead
 */
public record ConfigurationProblem(String element, String value, String fix) {

    /**
     * "{@code <image><registry>} = 'bad value': fix". Control characters are shown escaped, in the element too
     * (it may hold a user's map key), so a message is always one line of the build log.
     */
    public String describe() {
        return visible(element) + " = '" + visible(value) + "': " + fix;
    }

    static String visible(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(cp -> {
            if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
