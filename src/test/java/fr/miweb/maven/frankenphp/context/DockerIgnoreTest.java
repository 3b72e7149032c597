package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerIgnoreTest {

    private static DockerIgnore rules(String... lines) {
        return DockerIgnore.parse(String.join("\n", lines));
    }

    @Test
    void readsPatternsLikeTheDockerCli() {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFFtest1\n/test2\n/a/file/here\n\nlastfile\n"
                + "# this is a comment\n! /inverted/abs/path\n  #indented is a pattern\r\n"
                + "foo/../bar/\n./baz//qux/.\n\t \n");

        assertEquals(List.of("test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path",
                "#indented is a pattern", "bar", "baz/qux"), ignore.patterns());
    }

    @Test
    void readsAFileAndTreatsAMissingOneAsEmpty(@TempDir Path directory) throws IOException {
        Path file = directory.resolve(".dockerignore");
        Files.writeString(file, "vendor\n", StandardCharsets.UTF_8);

        assertTrue(DockerIgnore.read(file).isExcluded("vendor"));
        assertFalse(DockerIgnore.read(directory.resolve("absent")).isExcluded("vendor"));
    }

    @Test
    void commentsOnlyStartInTheFirstColumn() {
        assertFalse(rules("# vendor").isExcluded("# vendor"));
        assertFalse(rules("#vendor").isExcluded("vendor"));
        assertTrue(rules("  # vendor").isExcluded("# vendor"));
    }

    @Test
    void docsExampleWildcardInImmediateSubdirectories() {
        DockerIgnore ignore = rules("# comment", "*/temp*");

        assertTrue(ignore.isExcluded("somedir/temporary.txt"));
        assertTrue(ignore.isExcluded("somedir/temp"));
        assertTrue(ignore.isExcluded("somedir/temp/inside.txt"));
        assertFalse(ignore.isExcluded("temporary.txt"));
        assertFalse(ignore.isExcluded("somedir/subdir/temporary.txt"));
    }

    @Test
    void docsExampleWildcardTwoLevelsDown() {
        DockerIgnore ignore = rules("*/*/temp*");

        assertTrue(ignore.isExcluded("somedir/subdir/temporary.txt"));
        assertFalse(ignore.isExcluded("somedir/temporary.txt"));
        assertFalse(ignore.isExcluded("temporary.txt"));
    }

    @Test
    void docsExampleSingleCharacterWildcard() {
        DockerIgnore ignore = rules("temp?");

        assertTrue(ignore.isExcluded("tempa"));
        assertTrue(ignore.isExcluded("tempb"));
        assertFalse(ignore.isExcluded("temp"));
        assertFalse(ignore.isExcluded("tempab"));
        assertFalse(ignore.isExcluded("dir/tempa"));
    }

    @Test
    void docsExampleDoubleStarMatchesAnyNumberOfDirectoriesIncludingNone() {
        DockerIgnore ignore = rules("**/*.go");

        assertTrue(ignore.isExcluded("main.go"));
        assertTrue(ignore.isExcluded("cmd/main.go"));
        assertTrue(ignore.isExcluded("a/b/c/main.go"));
        assertFalse(ignore.isExcluded("main.gox"));
    }

    @Test
    void docsExampleExceptionReIncludesAFile() {
        DockerIgnore ignore = rules("*.md", "!README.md");

        assertTrue(ignore.isExcluded("CHANGES.md"));
        assertFalse(ignore.isExcluded("README.md"));
        assertFalse(ignore.isExcluded("docs/guide.md"), "*.md only matches at the root");
    }

    @Test
    void docsExampleLastMatchingLineWins() {
        DockerIgnore secretExcluded = rules("*.md", "!README*.md", "README-secret.md");
        assertTrue(secretExcluded.isExcluded("CHANGES.md"));
        assertFalse(secretExcluded.isExcluded("README.md"));
        assertTrue(secretExcluded.isExcluded("README-secret.md"));

        DockerIgnore secretIncluded = rules("*.md", "README-secret.md", "!README*.md");
        assertFalse(secretIncluded.isExcluded("README-secret.md"));
        assertTrue(secretIncluded.isExcluded("CHANGES.md"));

        assertTrue(rules("!fileutils.go", "*.go").isExcluded("fileutils.go"));
    }

    @Test
    void leadingSlashIsTheContextRoot() {
        DockerIgnore ignore = rules("/foo/bar");

        assertEquals(rules("foo/bar").patterns(), ignore.patterns());
        assertTrue(ignore.isExcluded("foo/bar"));
        assertTrue(ignore.isExcluded("foo/bar/baz.txt"));
        assertFalse(ignore.isExcluded("foo"));
        assertFalse(ignore.isExcluded("bar"));
        assertFalse(ignore.isExcluded("x/foo/bar"));
    }

    @Test
    void exceptionReIncludesAFileInsideAnExcludedDirectory() {
        for (String directoryPattern : List.of("docs", "docs/", "/docs", "docs/*")) {
            DockerIgnore ignore = rules(directoryPattern, "!docs/README.md");

            assertFalse(ignore.isExcluded("docs/README.md"), directoryPattern);
            assertTrue(ignore.isExcluded("docs/other.md"), directoryPattern);
        }
    }

    @Test
    void excludingADirectoryExcludesEverythingBelowIt() {
        assertTrue(rules("vendor").isExcluded("vendor/laravel/framework/src/x.php"));
        assertTrue(rules("**/cache").isExcluded("storage/framework/cache/data/ab/cd"));
        assertTrue(rules("*").isExcluded("dir/file"));
        assertFalse(rules("vendor/*").isExcluded("vendor"));
        assertTrue(rules("vendor/*").isExcluded("vendor/a/b"));
        assertFalse(rules("vendor").isExcluded("app/vendor"));
    }

    @Test
    void nothingIsExcludedWithoutRulesAndTheRootNeverIs() {
        assertFalse(DockerIgnore.empty().isExcluded("anything"));
        assertFalse(rules("**").isExcluded("."));
        assertFalse(rules("**").isExcluded(""));
        assertTrue(rules("**").isExcluded("anything"));
    }

    /** Cases from moby's patternmatcher tests, plus the quirks of its suffix and prefix shortcuts. */
    static Stream<Arguments> singlePatterns() {
        return Stream.of(
                Arguments.of("**", "file", true),
                Arguments.of("**", "dir/file", true),
                Arguments.of("**/", "dir/file", true),
                Arguments.of("**/**", "dir/file", true),
                Arguments.of("dir/**", "dir/file", true),
                Arguments.of("dir/**", "dir/dir2/file", true),
                Arguments.of("**/dir", "dir", true),
                Arguments.of("**/dir", "dir/file", true),
                Arguments.of("**/dir2/*", "dir/dir2/file", true),
                Arguments.of("**/dir2/**", "dir/dir2/dir3/file", true),
                Arguments.of("**file", "file", true),
                Arguments.of("**file", "dir/dir/file", true),
                Arguments.of("**file", "dir/barfile", true),
                Arguments.of("**/file", "dir/barfile", false),
                Arguments.of("**/file*", "dir/dir/file.txt", true),
                Arguments.of("**/file*txt", "dir/dir/file.txt", true),
                Arguments.of("**/file*.txt*", "dir/dir/file.txt", true),
                Arguments.of("**/**/*.txt", "file.txt", true),
                Arguments.of("**/**/*.txt2", "dir/dir/file.txt", false),
                Arguments.of("a**/*.txt", "a/file.txt", true),
                Arguments.of("a**/*.txt", "a/dir/dir/file.txt", true),
                Arguments.of("a**b", "ab", true),
                Arguments.of("a**b", "a/x/b", true),
                Arguments.of("a**b", "axb", false),
                Arguments.of("a/*.txt", "a/dir/file.txt", false),
                Arguments.of("a/*.txt", "a/file.txt", true),
                Arguments.of("a/*.txt**", "a/file.txt", true),
                Arguments.of("a[b-d]e", "ae", false),
                Arguments.of("a[b-d]e", "ace", true),
                Arguments.of("a[b-d]e", "aae", false),
                Arguments.of("a[^b-d]e", "aze", true),
                Arguments.of("a[^b-d]e", "ace", false),
                Arguments.of("[\\]a]", "]", true),
                Arguments.of("[\\-x]", "-", true),
                Arguments.of("[x\\-]", "z", false),
                Arguments.of("[a-ζ]*", "α", true),
                Arguments.of(".*", ".foo", true),
                Arguments.of(".*", "foo", false),
                Arguments.of("abc.def", "abcdef", false),
                Arguments.of("abc.def", "abc.def", true),
                Arguments.of("abc?def", "abcZdef", true),
                Arguments.of("abc?def", "abcdef", false),
                Arguments.of("a?b", "a☺b", true),
                Arguments.of("a?b", "a/b", false),
                Arguments.of("a*b", "a/b", false),
                Arguments.of("a*/b", "abc/b", true),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
                Arguments.of("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
                Arguments.of("**/foo/bar", "foo/bar", true),
                Arguments.of("**/foo/bar", "dir/dir2/foo/bar", true),
                Arguments.of("abc/**", "abc", false),
                Arguments.of("abc/**", "abc/def/ghi", true),
                Arguments.of("**/.foo", ".foo", true),
                Arguments.of("**/.foo", "bar.foo", false),
                Arguments.of("a(b)c/def", "a(b)c/def", true),
                Arguments.of("a.|)$(}+{bc", "a.|)$(}+{bc", true),
                Arguments.of("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
                Arguments.of("a\\*b", "a*b", true),
                Arguments.of("a\\*b", "ab", false),
                Arguments.of("a\\\\", "a\\", true),
                Arguments.of("*x", "xxx", true));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @MethodSource("singlePatterns")
    void matchesLikeMobyPatternMatcher(String pattern, String path, boolean excluded) {
        assertEquals(excluded, rules(pattern).isExcluded(path));
    }

    @Test
    void exceptionAfterEverythingReIncludesADirectoryTree() {
        assertFalse(rules("**", "!util/docker/web").isExcluded("util/docker/web/foo"));
        assertTrue(rules("**", "!util/docker/web", "util/docker/web/foo").isExcluded("util/docker/web/foo"));
        assertFalse(rules("**", "!dist/*.whl").isExcluded("dist/proxy.py-2.4.0rc3-py3-none-any.whl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[^", "[^bc", "a[", "[]a]", "[-]", "[x-]", "[-x]", "[a-b-c]", "\\", "a\\",
            "!", "! ", "!/"})
    void rejectsPatternsDockerRejects(String pattern) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> rules("ok", pattern));
        assertTrue(error.getMessage().contains(".dockerignore pattern"), error.getMessage());
    }

    @Test
    void excludedDirectoryWithoutExceptionsCanBeSkipped() {
        DockerIgnore ignore = rules("vendor", "node_modules/", "**/__pycache__");

        assertTrue(ignore.canSkipDirectory("vendor"));
        assertTrue(ignore.canSkipDirectory("node_modules"));
        assertTrue(ignore.canSkipDirectory("lib/tools/__pycache__"));
        assertFalse(ignore.canSkipDirectory("app"), "not excluded");
    }

    @Test
    void directoryCannotBeSkippedWhenAnExceptionReachesBelowIt() {
        DockerIgnore ignore = rules("vendor", "!vendor/keep/**");

        assertFalse(ignore.canSkipDirectory("vendor"));
        assertFalse(ignore.canSkipDirectory("vendor/keep"));
        assertTrue(ignore.canSkipDirectory("vendor/other"));
        assertFalse(ignore.isExcluded("vendor/keep/a.php"));
        assertTrue(ignore.isExcluded("vendor/other/a.php"));

        assertFalse(rules("vendor", "!vendor/keep").canSkipDirectory("vendor"));
        assertFalse(rules("vendor", "!**/keep.txt").canSkipDirectory("vendor"));
        assertFalse(rules("vendor", "!vendor/*/keep").canSkipDirectory("vendor/foo"));
        assertTrue(rules("vendor", "!vendor/*/keep").canSkipDirectory("vendor/foo/bar"));
        assertFalse(rules("vendor", "!vendor/*/keep").isExcluded("vendor/foo/keep"));
    }

    @Test
    void exceptionThatCannotReachBelowDoesNotPreventSkipping() {
        assertTrue(rules("vendor", "!*.php").canSkipDirectory("vendor"));
        assertTrue(rules("vendor", "!README.md").canSkipDirectory("vendor"));
        assertTrue(rules("*", "!src", "!composer.json").canSkipDirectory("tests"));
        assertFalse(rules("*", "!src", "!composer.json").canSkipDirectory("src"));
        assertTrue(rules("vendor", "!vendorized/**").canSkipDirectory("vendor"));
        assertFalse(rules("vendor", "!vendor**").canSkipDirectory("vendor"));
    }

    /** Whatever the rules, nothing below a skippable directory may be included. */
    @Test
    void skippingADirectoryNeverLosesAnIncludedPath() {
        List<List<String>> ruleSets = List.of(
                List.of("vendor", "!vendor/keep/**"),
                List.of("vendor", "!vendor/*/keep"),
                List.of("*", "!a", "!b/keep"),
                List.of("**/x.php", "!a/**/x.php"),
                List.of("**", "!**/keep", "a/b"),
                List.of("a", "!a/b*", "a/b/vendor"),
                List.of("*/*", "![ab]/k*"),
                List.of("a/**", "!**/README.md"),
                List.of("vendor", "!*.php", "!vendor?"));
        List<String> paths = pathsUpToDepth(3, List.of("a", "b", "keep", "vendor", "x.php", "README.md"));

        int skippableDirectories = 0;
        for (List<String> ruleSet : ruleSets) {
            DockerIgnore ignore = DockerIgnore.parse(String.join("\n", ruleSet));
            for (String directory : paths) {
                if (!ignore.canSkipDirectory(directory)) {
                    continue;
                }
                skippableDirectories++;
                for (String path : paths) {
                    if (path.startsWith(directory + "/")) {
                        assertTrue(ignore.isExcluded(path), ruleSet + ": " + path + " lost by skipping " + directory);
                    }
                }
            }
        }
        assertTrue(skippableDirectories > 50, "the rule sets should let some directories be skipped");
    }

    private static List<String> pathsUpToDepth(int depth, List<String> names) {
        List<String> paths = new ArrayList<>();
        List<String> level = List.of("");
        for (int current = 1; current <= depth; current++) {
            List<String> next = new ArrayList<>();
            for (String parent : level) {
                for (String name : names) {
                    next.add(parent.isEmpty() ? name : parent + "/" + name);
                }
            }
            paths.addAll(next);
            level = next;
        }
        return paths;
    }
}
