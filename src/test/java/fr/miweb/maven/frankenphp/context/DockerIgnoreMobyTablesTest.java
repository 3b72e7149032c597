package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published test tables of moby/patternmatcher (the matcher behind {@code docker build}), re-expressed as data
 * for our matcher, plus the cases where Docker's translation to a Go regular expression gives escapes and brackets
 * the meaning Go's regexp syntax has rather than the one {@code filepath.Match} documents.
 */
class DockerIgnoreMobyTablesTest {

    private static DockerIgnore rules(String... lines) {
        return DockerIgnore.parse(String.join("\n", lines));
    }

    /** patternmatcher_test.go, TestMatches: one pattern, one path, excluded or not. */
    static Stream<Arguments> matchesTable() {
        return Stream.of(
                Arguments.of("**", "file", true), Arguments.of("**", "file/", true),
                Arguments.of("**/", "file", true), Arguments.of("**/", "file/", true),
                Arguments.of("**", "/", true), Arguments.of("**/", "/", true),
                Arguments.of("**", "dir/file", true), Arguments.of("**/", "dir/file", true),
                Arguments.of("**", "dir/file/", true), Arguments.of("**/", "dir/file/", true),
                Arguments.of("**/**", "dir/file", true), Arguments.of("**/**", "dir/file/", true),
                Arguments.of("dir/**", "dir/file", true), Arguments.of("dir/**", "dir/file/", true),
                Arguments.of("dir/**", "dir/dir2/file", true), Arguments.of("dir/**", "dir/dir2/file/", true),
                Arguments.of("**/dir", "dir", true), Arguments.of("**/dir", "dir/file", true),
                Arguments.of("**/dir2/*", "dir/dir2/file", true), Arguments.of("**/dir2/*", "dir/dir2/file/", true),
                Arguments.of("**/dir2/**", "dir/dir2/dir3/file", true),
                Arguments.of("**/dir2/**", "dir/dir2/dir3/file/", true),
                Arguments.of("**file", "file", true), Arguments.of("**file", "dir/file", true),
                Arguments.of("**/file", "dir/file", true), Arguments.of("**file", "dir/dir/file", true),
                Arguments.of("**/file", "dir/dir/file", true), Arguments.of("**/file*", "dir/dir/file", true),
                Arguments.of("**/file*", "dir/dir/file.txt", true),
                Arguments.of("**/file*txt", "dir/dir/file.txt", true),
                Arguments.of("**/file*.txt", "dir/dir/file.txt", true),
                Arguments.of("**/file*.txt*", "dir/dir/file.txt", true),
                Arguments.of("**/**/*.txt", "dir/dir/file.txt", true),
                Arguments.of("**/**/*.txt2", "dir/dir/file.txt", false),
                Arguments.of("**/*.txt", "file.txt", true), Arguments.of("**/**/*.txt", "file.txt", true),
                Arguments.of("a**/*.txt", "a/file.txt", true), Arguments.of("a**/*.txt", "a/dir/file.txt", true),
                Arguments.of("a**/*.txt", "a/dir/dir/file.txt", true),
                Arguments.of("a/*.txt", "a/dir/file.txt", false), Arguments.of("a/*.txt", "a/file.txt", true),
                Arguments.of("a/*.txt**", "a/file.txt", true),
                Arguments.of("a[b-d]e", "ae", false), Arguments.of("a[b-d]e", "ace", true),
                Arguments.of("a[b-d]e", "aae", false), Arguments.of("a[^b-d]e", "aze", true),
                Arguments.of(".*", ".foo", true), Arguments.of(".*", "foo", false),
                Arguments.of("abc.def", "abcdef", false), Arguments.of("abc.def", "abc.def", true),
                Arguments.of("abc.def", "abcZdef", false), Arguments.of("abc?def", "abcZdef", true),
                Arguments.of("abc?def", "abcdef", false), Arguments.of("a\\\\", "a\\", true),
                Arguments.of("**/foo/bar", "foo/bar", true), Arguments.of("**/foo/bar", "dir/foo/bar", true),
                Arguments.of("**/foo/bar", "dir/dir2/foo/bar", true),
                Arguments.of("abc/**", "abc", false), Arguments.of("abc/**", "abc/def", true),
                Arguments.of("abc/**", "abc/def/ghi", true),
                Arguments.of("**/.foo", ".foo", true), Arguments.of("**/.foo", "bar.foo", false),
                Arguments.of("a(b)c/def", "a(b)c/def", true), Arguments.of("a(b)c/def", "a(b)c/xyz", false),
                Arguments.of("a.|)$(}+{bc", "a.|)$(}+{bc", true),
                Arguments.of("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                        "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
                Arguments.of("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
                Arguments.of("a\\*b", "a*b", true));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("matchesTable")
    void matchesTable(String pattern, String path, boolean excluded) {
        assertEquals(excluded, rules(pattern).isExcluded(path));
    }

    /** TestMatches' multi-pattern cases. */
    @Test
    void multiPatternTable() {
        assertFalse(rules("**", "!util/docker/web").isExcluded("util/docker/web/foo"));
        assertTrue(rules("**", "!util/docker/web", "util/docker/web/foo").isExcluded("util/docker/web/foo"));
        assertFalse(rules("**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl")
                .isExcluded("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"));
        assertFalse(rules("**", "!dist/*.whl").isExcluded("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"));
    }

    /** The small named tests at the top of patternmatcher_test.go. */
    @Test
    void namedCases() {
        assertTrue(rules("*").isExcluded("fileutils.go"));
        assertTrue(rules("*.go").isExcluded("fileutils.go"));
        assertTrue(rules("!fileutils.go", "*.go").isExcluded("fileutils.go"));
        assertFalse(rules("docs", "!docs/README.md").isExcluded("docs/README.md"));
        assertFalse(rules("docs/", "!docs/README.md").isExcluded("docs/README.md"));
        assertFalse(rules("docs/*", "!docs/README.md").isExcluded("docs/README.md"));
        assertFalse(rules("*.go", "!fileutils.go").isExcluded("fileutils.go"));
        assertFalse(rules("*.go").isExcluded("."));
        assertFalse(DockerIgnore.empty().isExcluded("any/path/there"));
        assertThrows(IllegalArgumentException.class, () -> rules("!"));
        assertThrows(IllegalArgumentException.class, () -> rules("["));
        assertEquals(List.of("docs", "config"), rules("docs", "config", "").patterns());
        assertEquals(List.of("docs", "!docs/README.md"), rules("docs", "  !docs/README.md  ").patterns());
    }

    /** matchTests, which moby took from Go's filepath tests; null means Docker refuses the pattern. */
    static Stream<Arguments> filepathTable() {
        return Stream.of(
                Arguments.of("abc", "abc", true), Arguments.of("*", "abc", true), Arguments.of("*c", "abc", true),
                Arguments.of("a*", "a", true), Arguments.of("a*", "abc", true), Arguments.of("a*", "ab/c", true),
                Arguments.of("a*/b", "abc/b", true), Arguments.of("a*/b", "a/c/b", false),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/f", true),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
                Arguments.of("a*b?c*x", "abxbbxdbxebxczzx", true), Arguments.of("a*b?c*x", "abxbbxdbxebxczzy", false),
                Arguments.of("ab[c]", "abc", true), Arguments.of("ab[b-d]", "abc", true),
                Arguments.of("ab[e-g]", "abc", false), Arguments.of("ab[^c]", "abc", false),
                Arguments.of("ab[^b-d]", "abc", false), Arguments.of("ab[^e-g]", "abc", true),
                Arguments.of("a\\*b", "a*b", true), Arguments.of("a\\*b", "ab", false),
                Arguments.of("a?b", "a☺b", true), Arguments.of("a[^a]b", "a☺b", true),
                Arguments.of("a???b", "a☺b", false), Arguments.of("a[^a][^a][^a]b", "a☺b", false),
                Arguments.of("[a-ζ]*", "α", true), Arguments.of("*[a-ζ]", "A", false),
                Arguments.of("a?b", "a/b", false), Arguments.of("a*b", "a/b", false),
                Arguments.of("[\\]a]", "]", true), Arguments.of("[\\-]", "-", true),
                Arguments.of("[x\\-]", "x", true), Arguments.of("[x\\-]", "-", true),
                Arguments.of("[x\\-]", "z", false), Arguments.of("[\\-x]", "x", true),
                Arguments.of("[\\-x]", "-", true), Arguments.of("[\\-x]", "a", false),
                Arguments.of("[]a]", "]", null), Arguments.of("[-]", "-", null), Arguments.of("[x-]", "x", null),
                Arguments.of("[x-]", "-", null), Arguments.of("[x-]", "z", null), Arguments.of("[-x]", "x", null),
                Arguments.of("[-x]", "-", null), Arguments.of("[-x]", "a", null), Arguments.of("\\", "a", null),
                Arguments.of("[a-b-c]", "a", null), Arguments.of("[", "a", null), Arguments.of("[^", "a", null),
                Arguments.of("[^bc", "a", null), Arguments.of("a[", "a", null), Arguments.of("a[", "ab", null),
                Arguments.of("*x", "xxx", true));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("filepathTable")
    void filepathTable(String pattern, String path, Boolean excluded) {
        if (excluded == null) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> rules(pattern));
            assertTrue(error.getMessage().contains(".dockerignore pattern"), error.getMessage());
        } else {
            assertEquals(excluded, rules(pattern).isExcluded(path));
        }
    }

    /** compileTests: the kind moby picks and, for regexp, the exact Go source it builds. */
    static Stream<Arguments> compileTable() {
        return Stream.of(
                Arguments.of("*", "regexp", "^[^/]*$"), Arguments.of("file*", "regexp", "^file[^/]*$"),
                Arguments.of("*file", "regexp", "^[^/]*file$"), Arguments.of("a*/b", "regexp", "^a[^/]*/b$"),
                Arguments.of("**", "suffix", null), Arguments.of("**/**", "regexp", "^(.*/)?.*$"),
                Arguments.of("dir/**", "prefix", null), Arguments.of("**/dir", "suffix", null),
                Arguments.of("**/dir2/*", "regexp", "^(.*/)?dir2/[^/]*$"),
                Arguments.of("**/dir2/**", "regexp", "^(.*/)?dir2/.*$"), Arguments.of("**file", "suffix", null),
                Arguments.of("**/file*txt", "regexp", "^(.*/)?file[^/]*txt$"),
                Arguments.of("**/**/*.txt", "regexp", "^(.*/)?(.*/)?[^/]*\\.txt$"),
                Arguments.of("a[b-d]e", "regexp", "^a[b-d]e$"), Arguments.of(".*", "regexp", "^\\.[^/]*$"),
                Arguments.of("abc.def", "exact", null), Arguments.of("abc?def", "regexp", "^abc[^/]def$"),
                Arguments.of("**/foo/bar", "suffix", null), Arguments.of("a(b)c/def", "exact", null),
                Arguments.of("a.|)$(}+{bc", "exact", null),
                Arguments.of("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact", null));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("compileTable")
    void compileTable(String pattern, String kind, String goRegex) {
        DockerIgnorePattern compiled = DockerIgnorePattern.compile(DockerIgnore.cleanPath(pattern), false);
        assertEquals(kind, compiled.kindName());
        if (goRegex == null) {
            assertNull(compiled.goRegex());
        } else {
            assertEquals(goRegex, compiled.goRegex());
        }
    }

    /** Regression test for moby#52203: accepted when read, refused (every time) when first evaluated. */
    @Test
    void patternRefusedByGoRegexpFailsWhenEvaluatedAndKeepsFailing() {
        DockerIgnore ignore = rules("[Local-Only]/");
        for (int attempt = 0; attempt < 2; attempt++) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ignore.isExcluded("x"));
            assertTrue(error.getMessage().contains("[Local-Only]"), error.getMessage());
            assertTrue(error.getMessage().contains("invalid character class range"), error.getMessage());
        }
    }

    /** Escapes and brackets reach Go's regexp parser: they mean what Go gives them, not what filepath.Match says. */
    static Stream<Arguments> goRegexpMeanings() {
        return Stream.of(
                // \d \w \s and their negations are Perl classes (ASCII only in Go)
                Arguments.of("file\\d.txt", "file7.txt", true), Arguments.of("file\\d.txt", "filed.txt", false),
                Arguments.of("a\\wb", "a_b", true), Arguments.of("a\\wb", "a-b", false),
                Arguments.of("a\\wb", "aéb", false), Arguments.of("a\\Wb", "a-b", true),
                Arguments.of("a\\sb", "a b", true), Arguments.of("a\\sb", "asb", false),
                Arguments.of("a\\Db", "a1b", false), Arguments.of("a\\Sb", "a b", false),
                // C escapes: \t is a tab, not a 't'
                Arguments.of("a\\tb", "a\tb", true), Arguments.of("a\\tb", "atb", false),
                Arguments.of("a\\x41", "aA", true), Arguments.of("a\\101", "aA", true),
                // \b is an ASCII word boundary, \B its opposite
                Arguments.of("foo\\b", "foo", true), Arguments.of("x\\b-y", "x-y", true),
                Arguments.of("foo\\bbar", "foobar", false), Arguments.of("foo\\Bbar", "foobar", true),
                Arguments.of("é\\bx", "éx", true),
                // brackets: moby copies them, so "*" and "?" inside become [^/]* and [^/]
                Arguments.of("[*]", "]", true), Arguments.of("[*]", "[^]", true), Arguments.of("[*]", "*", false),
                Arguments.of("[?]", "^]", true), Arguments.of("[?]", "?", false),
                Arguments.of("[\\d]", "5", true), Arguments.of("[\\d]", "d", false),
                // a POSIX class, as in Go (filepath.Match would read "[[:alph" plus a literal "]")
                Arguments.of("[[:alpha:]]", "a", true), Arguments.of("[[:alpha:]]", "a]", false),
                Arguments.of("[[:alpha:]]", "1", false), Arguments.of("[[:digit:][:upper:]]x", "Qx", true),
                Arguments.of("[[:^digit:]]", "1", false), Arguments.of("[[:^digit:]]", "x", true),
                Arguments.of("[^[:alpha:]]*", "1x]", true), Arguments.of("[^[:alpha:]]*", "a1", false),
                Arguments.of("\\pL", "é", true), Arguments.of("\\pL", "1", false),
                Arguments.of("\\PL", "1", true), Arguments.of("[\\pN]", "٣", true),
                // ^ stays a Go anchor once the pattern is a regexp; on its own the pattern is an exact name
                Arguments.of("a^b", "a^b", true), Arguments.of("a^*", "a^x", false), Arguments.of("^*", "x", true),
                // \Q quotes the rest, moby's own [^/]*$ included, so the end is no longer anchored
                Arguments.of("\\Q*", "[^/]*$", true), Arguments.of("\\Q*", "[^/]*$and-more", true),
                Arguments.of("\\Q*", "x", false),
                Arguments.of("a\\z", "a", true), Arguments.of("\\Aa", "a", true));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("goRegexpMeanings")
    void escapesAndBracketsMeanWhatGoRegexpGivesThem(String pattern, String path, boolean excluded) {
        assertEquals(excluded, rules(pattern).isExcluded(path));
    }

    /** Valid for filepath.Match, so read without complaint, but refused by Go's regexp when evaluated. */
    @ParameterizedTest
    @ValueSource(strings = {"[z-a]", "\\C", "a\\1", "\\é", "\\E", "\\p{Greek}", "\\x{41}", "\\xZZ", "[[:foo:]]",
            "[[:alpha:]", "a\\8", "\\pQ", "[\\b]", "[\\Q]", "**/[Local-Only]"})
    void refusedByGoRegexpWhenEvaluated(String pattern) {
        DockerIgnore ignore = rules(pattern);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ignore.isExcluded("f"));
        assertTrue(error.getMessage().contains("Docker's matcher refuses it"), error.getMessage());
    }

    /** Docker evaluates an exception only once something is excluded: a bad one that is never reached is harmless. */
    @Test
    void refusedExceptionThatIsNeverEvaluatedDoesNotFail() {
        DockerIgnore ignore = rules("vendor", "!vendor/[z-a]");
        assertFalse(ignore.isExcluded("app.php"));
        assertThrows(IllegalArgumentException.class, () -> ignore.isExcluded("vendor/x"));
    }

    /** Pruning stays safe with Go's meanings: nothing below a skippable directory may be included. */
    @Test
    void skippingStaysSafeWithGoRegexpPatterns() {
        List<List<String>> ruleSets = List.of(
                List.of("vendor", "!vendor/\\d*"), List.of("*", "![[:alpha:]]/k*"), List.of("a", "!a\\b/b"),
                List.of("**", "!\\Qa/"), List.of("a", "!a/[*]"), List.of("a", "!\\pL/b"));
        List<String> names = List.of("a", "b", "1", "]", "a]", "k1", "a/");
        int skipped = 0;
        for (List<String> ruleSet : ruleSets) {
            DockerIgnore ignore = DockerIgnore.parse(String.join("\n", ruleSet));
            for (String first : names) {
                for (String second : names) {
                    String path = first + "/" + second;
                    if (ignore.canSkipDirectory(first)) {
                        skipped++;
                        assertTrue(ignore.isExcluded(path), ruleSet + ": " + path + " lost by skipping " + first);
                    }
                }
            }
        }
        assertTrue(skipped > 0, "some directories should be skippable");
    }
}
