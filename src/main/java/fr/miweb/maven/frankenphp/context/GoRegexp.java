package fr.miweb.maven.frankenphp.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Compiles a Go ({@code regexp}, RE2 syntax with Go's Perl flags) regular expression into an equivalent Java
 * {@link Pattern}, to be used with {@link java.util.regex.Matcher#find()} as Go's {@code MatchString} is used.
 *
 * <p>Docker turns each {@code .dockerignore} pattern into Go regexp source, so an escape such as {@code \d} or a
 * bracket such as {@code [[:alpha:]]} means what Go gives it. Java's syntax differs in the details (its {@code \b}
 * and POSIX classes, nested brackets, {@code $} before a final newline, which escapes are errors), so the source is
 * parsed here with Go's grammar and every character class is emitted as explicit code point ranges.
 *
 * <p>Covered: literals, {@code ^ $ .}, groups, {@code | * + ?} (and lazy forms), bracket classes with ranges,
 * negation, POSIX names, {@code \d \s \w} and their negations, {@code \p}/{@code \P} Unicode categories and
 * scripts (from the JDK's Unicode tables, which may be a version apart from Go's), {@code \A \z \b \B}, {@code \Q..\E},
 * octal, {@code \x} and C escapes. Repetition counts ({@code {n,m}}) and flag groups ({@code (?i)}) cannot appear in
 * what Docker generates and are refused. Errors carry Go's wording, as Docker would print it.
 */
final class GoRegexp {

    private static final int MAX_RUNE = 0x10FFFF;
    private static final String WORD = "[0-9A-Za-z_]";
    private static final Map<String, int[]> UNICODE_TABLES = new ConcurrentHashMap<>();
    private static final Map<String, Byte> CATEGORIES = categories();

    private final String source;
    private final int[] characters;
    private int position;
    private int openGroups;
    private final StringBuilder java = new StringBuilder();

    private GoRegexp(String source) {
        this.source = source;
        this.characters = source.codePoints().toArray();
    }

    /**
     * @throws IllegalArgumentException when Go's {@code regexp.Compile} refuses the source
     */
    static Pattern compile(String goSource) {
        GoRegexp parser = new GoRegexp(goSource);
        parser.parse();
        return Pattern.compile(parser.java.toString());
    }

    private void parse() {
        while (position < characters.length) {
            int character = characters[position];
            switch (character) {
                case '^' -> {
                    java.append("\\A"); // no multi-line flag: beginning of text
                    position++;
                }
                case '$' -> {
                    java.append("\\z"); // Go's $ is the end of text, never before a final newline
                    position++;
                }
                case '.' -> {
                    java.append("[^\\n]");
                    position++;
                }
                case '(' -> {
                    position++;
                    if (nextIs('?')) {
                        throw error("missing argument to repetition operator", "(?");
                    }
                    openGroups++;
                    java.append("(?:");
                }
                case ')' -> {
                    if (openGroups == 0) {
                        throw error("unexpected )", source);
                    }
                    openGroups--;
                    java.append(')');
                    position++;
                }
                case '|' -> {
                    java.append('|');
                    position++;
                }
                case '*', '+', '?' -> repetition(character);
                case '[' -> {
                    position++;
                    appendSet(parseClass());
                }
                case '\\' -> parseTopLevelEscape();
                default -> {
                    appendLiteral(java, character);
                    position++;
                }
            }
        }
        if (openGroups > 0) {
            throw error("missing closing )", source);
        }
    }

    private void repetition(int operator) {
        int start = position;
        position++;
        char last = java.length() == 0 ? 0 : java.charAt(java.length() - 1);
        if (java.length() == 0 || last == '(' || last == '|' || java.toString().endsWith("(?:")) {
            throw error("missing argument to repetition operator", new String(characters, start, 1));
        }
        java.appendCodePoint(operator);
        if (nextIs('?')) { // non-greedy
            java.append('?');
            position++;
        }
        if (nextIs('*') || nextIs('+') || nextIs('?')) {
            throw error("invalid nested repetition operator", new String(characters, start, position + 1 - start));
        }
    }

    private void parseTopLevelEscape() {
        if (position + 1 >= characters.length) {
            throw error("trailing backslash at end of expression", "");
        }
        int escaped = characters[position + 1];
        switch (escaped) {
            case 'A' -> {
                java.append("\\A");
                position += 2;
                return;
            }
            case 'z' -> {
                java.append("\\z");
                position += 2;
                return;
            }
            case 'b' -> {
                // Go's word boundary is ASCII-only; Java's \b counts é as a word character.
                java.append("(?:(?<=").append(WORD).append(")(?!").append(WORD).append(")|(?<!").append(WORD)
                        .append(")(?=").append(WORD).append("))");
                position += 2;
                return;
            }
            case 'B' -> {
                java.append("(?:(?<=").append(WORD).append(")(?=").append(WORD).append(")|(?<!").append(WORD)
                        .append(")(?!").append(WORD).append("))");
                position += 2;
                return;
            }
            case 'C' -> throw error("invalid escape sequence", "\\C");
            case 'Q' -> {
                position += 2;
                int end = indexOf('\\', 'E', position);
                int stop = end < 0 ? characters.length : end;
                for (; position < stop; position++) {
                    appendLiteral(java, characters[position]);
                }
                position = end < 0 ? characters.length : end + 2;
                return;
            }
            default -> {
                // handled below
            }
        }
        int[] set = new int[0];
        if (escaped == 'p' || escaped == 'P') {
            appendSet(union(set, parseUnicodeClass()));
            return;
        }
        int[] perl = perlClass(escaped);
        if (perl != null) {
            position += 2;
            appendSet(perl);
            return;
        }
        appendLiteral(java, parseEscape());
    }

    /** Go's {@code parseClass}; the opening bracket is consumed. Returns sorted, merged [lo, hi] pairs. */
    private int[] parseClass() {
        int start = position - 1;
        boolean negated = false;
        if (nextIs('^')) {
            negated = true;
            position++;
        }
        int[] set = new int[0];
        boolean first = true;
        while (true) {
            if (position >= characters.length) {
                throw error("missing closing ]", new String(characters, start, characters.length - start));
            }
            int character = characters[position];
            if (character == ']' && !first) {
                position++;
                break;
            }
            first = false;
            if (character == '[' && position + 2 < characters.length && characters[position + 1] == ':') {
                int close = indexOf(':', ']', position + 2);
                if (close >= 0) {
                    String name = new String(characters, position, close + 2 - position);
                    set = union(set, posixClass(name));
                    position = close + 2;
                    continue;
                }
            }
            if (character == '\\' && position + 1 < characters.length) {
                int escaped = characters[position + 1];
                if (escaped == 'p' || escaped == 'P') {
                    set = union(set, parseUnicodeClass());
                    continue;
                }
                int[] perl = perlClass(escaped);
                if (perl != null) {
                    position += 2;
                    set = union(set, perl);
                    continue;
                }
            }
            int rangeStart = position;
            int low = classCharacter(start);
            int high = low;
            if (position + 1 < characters.length && characters[position] == '-' && characters[position + 1] != ']') {
                position++;
                high = classCharacter(start);
                if (high < low) {
                    throw error("invalid character class range",
                            new String(characters, rangeStart, position - rangeStart));
                }
            }
            set = union(set, new int[] {low, high});
        }
        return negated ? negate(set) : set;
    }

    private int classCharacter(int classStart) {
        if (position >= characters.length) {
            throw error("missing closing ]", new String(characters, classStart, characters.length - classStart));
        }
        if (characters[position] == '\\') {
            return parseEscape();
        }
        return characters[position++];
    }

    /** Go's {@code parseEscape}: a single character after a backslash. */
    private int parseEscape() {
        int start = position;
        position++; // the backslash
        if (position >= characters.length) {
            throw error("trailing backslash at end of expression", "");
        }
        int escaped = characters[position++];
        if (escaped < 0x80 && !isAsciiAlphanumeric(escaped)) {
            return escaped; // escaped punctuation is always itself
        }
        switch (escaped) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (!nextIsOctal()) {
                    break; // a backreference, which RE2 does not support
                }
                return octal(escaped);
            }
            case '0' -> {
                return octal(escaped);
            }
            case 'x' -> {
                Integer value = hexEscape();
                if (value != null) {
                    return value;
                }
            }
            case 'a' -> {
                return 7;
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'v' -> {
                return 0x0B;
            }
            default -> {
                // invalid
            }
        }
        throw error("invalid escape sequence", new String(characters, start, Math.min(position, characters.length) - start));
    }

    private int octal(int firstDigit) {
        int value = firstDigit - '0';
        for (int digits = 1; digits < 3 && nextIsOctal(); digits++) {
            value = value * 8 + characters[position++] - '0';
        }
        return value;
    }

    private Integer hexEscape() {
        if (position >= characters.length) {
            return null;
        }
        int character = characters[position++];
        if (character == '{') {
            int value = 0;
            int digits = 0;
            while (true) {
                if (position >= characters.length) {
                    return null;
                }
                character = characters[position++];
                if (character == '}') {
                    break;
                }
                int digit = Character.digit(character, 16);
                if (digit < 0 || character > 0x7F) {
                    return null;
                }
                value = value * 16 + digit;
                if (value > MAX_RUNE) {
                    return null;
                }
                digits++;
            }
            return digits == 0 ? null : value;
        }
        int high = character > 0x7F ? -1 : Character.digit(character, 16);
        if (position >= characters.length) {
            return null;
        }
        character = characters[position++];
        int low = character > 0x7F ? -1 : Character.digit(character, 16);
        return high < 0 || low < 0 ? null : high * 16 + low;
    }

    /** {@code \pL}, {@code \p{Greek}}, {@code \P{^Lu}}; the position is at the backslash. */
    private int[] parseUnicodeClass() {
        int start = position;
        boolean negated = characters[position + 1] == 'P';
        position += 2;
        String name;
        if (position < characters.length && characters[position] != '{') {
            name = new String(characters, position, 1);
            position++;
        } else if (position < characters.length) {
            int close = -1;
            for (int index = position; index < characters.length; index++) {
                if (characters[index] == '}') {
                    close = index;
                    break;
                }
            }
            if (close < 0) {
                throw error("invalid character class range", new String(characters, start, characters.length - start));
            }
            name = new String(characters, position + 1, close - position - 1);
            position = close + 1;
        } else {
            name = "";
        }
        String sequence = new String(characters, start, position - start);
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        int[] table = unicodeTable(name);
        if (table == null) {
            throw error("invalid character class range", sequence);
        }
        return negated ? negate(table) : table;
    }

    private static int[] perlClass(int letter) {
        return switch (letter) {
            case 'd' -> new int[] {'0', '9'};
            case 'D' -> negate(new int[] {'0', '9'});
            case 's' -> new int[] {'\t', '\n', '\f', '\r', ' ', ' '};
            case 'S' -> negate(new int[] {'\t', '\n', '\f', '\r', ' ', ' '});
            case 'w' -> new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
            case 'W' -> negate(new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'});
            default -> null;
        };
    }

    /** Go's POSIX classes, which are ASCII-only; {@code [:^name:]} negates. */
    private int[] posixClass(String bracketed) {
        String name = bracketed.substring(2, bracketed.length() - 2);
        boolean negated = name.startsWith("^");
        if (negated) {
            name = name.substring(1);
        }
        int[] set = switch (name) {
            case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
            case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
            case "ascii" -> new int[] {0, 0x7F};
            case "blank" -> new int[] {'\t', '\t', ' ', ' '};
            case "cntrl" -> new int[] {0, 0x1F, 0x7F, 0x7F};
            case "digit" -> new int[] {'0', '9'};
            case "graph" -> new int[] {'!', '~'};
            case "lower" -> new int[] {'a', 'z'};
            case "print" -> new int[] {' ', '~'};
            case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
            case "space" -> new int[] {'\t', '\r', ' ', ' '};
            case "upper" -> new int[] {'A', 'Z'};
            case "word" -> new int[] {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
            case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
            default -> throw error("invalid character class range", bracketed);
        };
        return negated ? negate(set) : set;
    }

    /** Go's {@code unicodeTable}: "Any", a general category or a script, by Go's (case-sensitive) name. */
    private static int[] unicodeTable(String name) {
        if (name.isEmpty()) {
            return null;
        }
        if (name.equals("Any")) {
            return new int[] {0, MAX_RUNE};
        }
        int[] cached = UNICODE_TABLES.get(name);
        if (cached != null) {
            return cached;
        }
        IntPredicate member = null;
        if (CATEGORIES.containsKey(name)) {
            byte type = CATEGORIES.get(name);
            member = codePoint -> Character.getType(codePoint) == type;
        } else if (name.length() == 1 && "CLMNPSZ".contains(name)) {
            List<Byte> types = new ArrayList<>();
            CATEGORIES.forEach((category, type) -> {
                if (category.startsWith(name)) {
                    types.add(type);
                }
            });
            member = codePoint -> types.contains((byte) Character.getType(codePoint));
        } else if (Character.isUpperCase(name.charAt(0))) {
            try {
                Character.UnicodeScript script = Character.UnicodeScript.forName(name);
                // Go knows scripts by full name only, not by the four-letter aliases the JDK also accepts.
                if (script != Character.UnicodeScript.UNKNOWN && script.name().equalsIgnoreCase(name)) {
                    member = codePoint -> Character.UnicodeScript.of(codePoint) == script;
                }
            } catch (IllegalArgumentException unknown) {
                member = null;
            }
        }
        if (member == null) {
            return null;
        }
        int[] table = tableOf(member);
        UNICODE_TABLES.put(name, table);
        return table;
    }

    private static int[] tableOf(IntPredicate member) {
        List<Integer> ranges = new ArrayList<>();
        int start = -1;
        for (int codePoint = 0; codePoint <= MAX_RUNE + 1; codePoint++) {
            boolean in = codePoint <= MAX_RUNE && member.test(codePoint);
            if (in && start < 0) {
                start = codePoint;
            } else if (!in && start >= 0) {
                ranges.add(start);
                ranges.add(codePoint - 1);
                start = -1;
            }
        }
        return ranges.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, Byte> categories() {
        return Map.ofEntries(
                Map.entry("Cc", Character.CONTROL), Map.entry("Cf", Character.FORMAT),
                Map.entry("Co", Character.PRIVATE_USE), Map.entry("Cs", Character.SURROGATE),
                Map.entry("Ll", Character.LOWERCASE_LETTER), Map.entry("Lm", Character.MODIFIER_LETTER),
                Map.entry("Lo", Character.OTHER_LETTER), Map.entry("Lt", Character.TITLECASE_LETTER),
                Map.entry("Lu", Character.UPPERCASE_LETTER), Map.entry("Mc", Character.COMBINING_SPACING_MARK),
                Map.entry("Me", Character.ENCLOSING_MARK), Map.entry("Mn", Character.NON_SPACING_MARK),
                Map.entry("Nd", Character.DECIMAL_DIGIT_NUMBER), Map.entry("Nl", Character.LETTER_NUMBER),
                Map.entry("No", Character.OTHER_NUMBER), Map.entry("Pc", Character.CONNECTOR_PUNCTUATION),
                Map.entry("Pd", Character.DASH_PUNCTUATION), Map.entry("Pe", Character.END_PUNCTUATION),
                Map.entry("Pf", Character.FINAL_QUOTE_PUNCTUATION),
                Map.entry("Pi", Character.INITIAL_QUOTE_PUNCTUATION),
                Map.entry("Po", Character.OTHER_PUNCTUATION), Map.entry("Ps", Character.START_PUNCTUATION),
                Map.entry("Sc", Character.CURRENCY_SYMBOL), Map.entry("Sk", Character.MODIFIER_SYMBOL),
                Map.entry("Sm", Character.MATH_SYMBOL), Map.entry("So", Character.OTHER_SYMBOL),
                Map.entry("Zl", Character.LINE_SEPARATOR), Map.entry("Zp", Character.PARAGRAPH_SEPARATOR),
                Map.entry("Zs", Character.SPACE_SEPARATOR));
    }

    /** Union of two range lists, sorted and merged. */
    private static int[] union(int[] left, int[] right) {
        int[] all = Arrays.copyOf(left, left.length + right.length);
        System.arraycopy(right, 0, all, left.length, right.length);
        int count = all.length / 2;
        Integer[] order = new Integer[count];
        for (int index = 0; index < count; index++) {
            order[index] = index;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(all[2 * a], all[2 * b]));
        List<Integer> merged = new ArrayList<>();
        for (int index : order) {
            int low = all[2 * index];
            int high = all[2 * index + 1];
            int last = merged.size() - 1;
            if (last > 0 && low <= merged.get(last) + 1) {
                merged.set(last, Math.max(merged.get(last), high));
            } else {
                merged.add(low);
                merged.add(high);
            }
        }
        return merged.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] negate(int[] set) {
        int[] sorted = union(set, new int[0]);
        List<Integer> result = new ArrayList<>();
        int next = 0;
        for (int index = 0; index < sorted.length; index += 2) {
            if (sorted[index] > next) {
                result.add(next);
                result.add(sorted[index] - 1);
            }
            next = sorted[index + 1] + 1;
        }
        if (next <= MAX_RUNE) {
            result.add(next);
            result.add(MAX_RUNE);
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    private void appendSet(int[] set) {
        if (set.length == 0) {
            java.append("(?!)"); // matches nothing, like Go's empty class
            return;
        }
        java.append('[');
        for (int index = 0; index < set.length; index += 2) {
            appendHex(java, set[index]);
            if (set[index + 1] != set[index]) {
                java.append('-');
                appendHex(java, set[index + 1]);
            }
        }
        java.append(']');
    }

    private static void appendLiteral(StringBuilder regex, int character) {
        if (character < 0x80 && isAsciiAlphanumeric(character)) {
            regex.append((char) character);
        } else {
            appendHex(regex, character);
        }
    }

    /** {@code \x{...}} is a literal everywhere in a Java regex, inside brackets too. */
    private static void appendHex(StringBuilder regex, int character) {
        regex.append("\\x{").append(Integer.toHexString(character)).append('}');
    }

    private int indexOf(int first, int second, int from) {
        for (int index = from; index + 1 < characters.length; index++) {
            if (characters[index] == first && characters[index + 1] == second) {
                return index;
            }
        }
        return -1;
    }

    private boolean nextIs(int character) {
        return position < characters.length && characters[position] == character;
    }

    private boolean nextIsOctal() {
        return position < characters.length && characters[position] >= '0' && characters[position] <= '7';
    }

    private static boolean isAsciiAlphanumeric(int character) {
        return (character >= '0' && character <= '9') || (character >= 'A' && character <= 'Z')
                || (character >= 'a' && character <= 'z');
    }

    private IllegalArgumentException error(String code, String expression) {
        // Go's format: "error parsing regexp: <code>: `<expr>`"
        return new IllegalArgumentException("error parsing regexp: " + code + ": `" + expression + "`");
    }
}
