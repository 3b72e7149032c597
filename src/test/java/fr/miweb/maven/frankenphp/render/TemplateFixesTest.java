package fr.miweb.maven.frankenphp.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.miweb.maven.frankenphp.config.ComposeSettings;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Template defects found by the end-to-end test (src/test/e2e/run.sh, issue 5), pinned so they stay fixed.
 * The e2e test also reads its commands from the generated DEPLOY.md; {@link #deployDocKeepsTheLinesTheEndToEndTestRuns()}
 * keeps that contract visible here, where a template change would break it.
 */
class TemplateFixesTest {

    private static final String COMPOSE = "docker compose -p mdb-copilot-api --env-file .env.production -f docker-compose.prod.yml";
    private static final String MIGRATE = COMPOSE + " exec -T app php artisan migrate --force";

    @TempDir
    Path directory;

    private String deployDoc() throws Exception {
        return deployDoc(TestConfigs.defaults(directory));
    }

    private static String deployDoc(DeploymentConfig config) throws Exception {
        for (RenderedFile file : DeploymentFiles.render(config, null, "1.2.3")) {
            if (file.relativePath().equals("DEPLOY.md")) {
                return file.text();
            }
        }
        throw new AssertionError("DEPLOY.md is not rendered");
    }

    /** The command lines of DEPLOY.md's fenced code blocks, one list per block. */
    private static List<List<String>> codeBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (current == null) {
                    current = new ArrayList<>();
                } else {
                    blocks.add(current);
                    current = null;
                }
            } else if (current != null) {
                current.add(line.strip());
            }
        }
        assertTrue(current == null, "unterminated code block in DEPLOY.md");
        return blocks;
    }

    private static List<String> blockContaining(String markdown, String line) {
        return codeBlocks(markdown).stream().filter(block -> block.contains(line)).findFirst()
                .orElseThrow(() -> new AssertionError("no code block of DEPLOY.md has the line: " + line));
    }

    /**
     * Defect: DEPLOY.md never ran the migrations. With the default QUEUE_CONNECTION=database and CACHE_STORE=database,
     * the stack it described came up with no `jobs` table: the queue worker stopped on "Table 'jobs' doesn't exist"
     * and restarted forever, and every scheduled task failed. The first install now migrates, right after `up -d`.
     */
    @Test
    void firstInstallRunsTheMigrationsAfterStartingTheStack() throws Exception {
        String deploy = deployDoc();
        List<String> install = blockContaining(deploy, COMPOSE + " up -d");
        int up = install.indexOf(COMPOSE + " up -d");
        assertEquals(MIGRATE, install.get(up + 1), "the first install migrates right after up -d");
        assertTrue(deploy.contains("Nothing else runs the migrations"), "DEPLOY.md says why the command is there");
    }

    /** Same defect on updates: neither Watchtower nor `up -d` migrates, so the update by hand does, and the text says so. */
    @Test
    void updateByHandRunsTheMigrationsAndWatchtowerIsSaidNotTo() throws Exception {
        String deploy = deployDoc();
        List<String> update = blockContaining(deploy, COMPOSE + " up -d app queue scheduler");
        assertEquals(List.of(
                COMPOSE + " pull app queue scheduler",
                COMPOSE + " up -d app queue scheduler",
                MIGRATE), update);
        assertTrue(deploy.contains("Neither Watchtower nor `up -d` runs migrations"));
        assertTrue(deploy.contains("A rollback does not undo migrations"));
    }

    /**
     * `docker-compose exec` (1.29) without -T fails with "the input device is not a TTY" when stdin is not a terminal
     * (a deploy script, CI, ssh without -t); `docker compose exec -T` works in both. The migrate command is meant to be
     * scripted, so it must carry -T.
     */
    @Test
    void migrateCommandsNeedNoTerminal() throws Exception {
        List<String> migrations = codeBlocks(deployDoc()).stream().flatMap(List::stream)
                .filter(line -> line.contains("artisan migrate")).toList();
        assertEquals(List.of(MIGRATE, MIGRATE), migrations, "first install and update");
    }

    /** Every compose command of DEPLOY.md supplies the interpolation variables, or compose stops on ${DB_*:?...}. */
    @Test
    void everyComposeCommandReadsTheEnvFile() throws Exception {
        for (List<String> block : codeBlocks(deployDoc())) {
            for (String line : block) {
                if (line.startsWith("docker compose ")) {
                    assertTrue(line.startsWith(COMPOSE + " "), "compose command without --env-file: " + line);
                }
            }
        }
    }

    /**
     * Defect: DEPLOY.md said to raise Watchtower's stop timeout to the queue's grace period, but its command did not,
     * so a copy-pasted Watchtower killed any job running longer than 10 s at every automatic update.
     */
    @Test
    void watchtowerCommandWaitsForTheQueuesGracePeriod() throws Exception {
        assertTrue(codeBlocks(deployDoc()).stream().flatMap(List::stream)
                        .anyMatch(l -> l.equals("nickfedor/watchtower --label-enable --interval 300 --stop-timeout 90s")),
                "the default grace period, 90 s");

        DeploymentConfig defaults = TestConfigs.defaults(directory);
        ComposeSettings compose = defaults.compose();
        DeploymentConfig longJobs = new DeploymentConfig(defaults.project(), defaults.image(), defaults.php(), defaults.octane(),
                new ComposeSettings(compose.network(), compose.publishedPort(), compose.mysqlImage(), compose.mysqlVolume(),
                        compose.queueSleep(), compose.queueTries(), compose.queueMaxTime(), Duration.ofMinutes(5),
                        compose.schedulerMode(), compose.watchtowerLabels(), compose.proxyImage()),
                defaults.environment(), defaults.release());
        assertTrue(codeBlocks(deployDoc(longJobs)).stream().flatMap(List::stream)
                        .anyMatch(l -> l.endsWith("--label-enable --interval 300 --stop-timeout 300s")),
                "a configured grace period of 5 minutes");
    }

    /** The lines src/test/e2e/run.sh finds in DEPLOY.md and runs (with docker-compose 1.29 for `docker compose`). */
    @Test
    void deployDocKeepsTheLinesTheEndToEndTestRuns() throws Exception {
        List<String> lines = codeBlocks(deployDoc()).stream().flatMap(List::stream).toList();
        for (String regex : List.of(
                "^docker compose .* up -d$",
                "^docker compose .* artisan migrate",
                "^docker compose .* pull app queue scheduler$",
                "^docker compose .* up -d app queue scheduler$",
                "^docker network create ",
                "^docker login ",
                "key:generate --show",
                "^curl -fsS http://localhost:",
                "^cp \\.env\\.production\\.example ",
                "^chmod 600 ")) {
            Pattern pattern = Pattern.compile(regex);
            String first = lines.stream().filter(l -> pattern.matcher(l).find()).findFirst().orElse(null);
            assertFalse(first == null, "run.sh looks for a DEPLOY.md command line matching /" + regex + "/");
        }
        // run.sh takes the first `up -d` line as the stack's command: it must be the full one, not a partial update.
        String up = lines.stream().filter(l -> l.matches("^docker compose .* up -d$")).findFirst().orElseThrow();
        assertEquals(COMPOSE + " up -d", up);
    }
}
