package fr.miweb.maven.frankenphp.docker;

import fr.miweb.maven.frankenphp.docker.ReleaseRules.Dated;
import fr.miweb.maven.frankenphp.docker.ReleaseRules.LatestDecision;
import fr.miweb.maven.frankenphp.docker.ReleaseRules.TagContent;
import fr.miweb.maven.frankenphp.docker.ReleaseRules.VersionAction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReleaseRulesTest {

    private static final String IMAGE = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);
    private static final String MANIFEST = "sha256:" + "c".repeat(64);

    @Test
    void aVersionTagIsPushedWhenAbsentPushedAgainWhenItNamesThisImageAndOtherwiseRefusedUnlessOverwritten() {
        assertEquals(VersionAction.PUSH, ReleaseRules.versionTag(Optional.empty(), IMAGE, false));
        assertEquals(VersionAction.PUSH_AGAIN, ReleaseRules.versionTag(Optional.of(new TagContent(MANIFEST, Optional.of(IMAGE))), IMAGE, false));
        // The containerd image store's image id is the manifest digest.
        assertEquals(VersionAction.PUSH_AGAIN, ReleaseRules.versionTag(Optional.of(new TagContent(IMAGE, Optional.empty())), IMAGE, false));
        assertEquals(VersionAction.REFUSE, ReleaseRules.versionTag(Optional.of(new TagContent(MANIFEST, Optional.of(OTHER))), IMAGE, false));
        assertEquals(VersionAction.REFUSE, ReleaseRules.versionTag(Optional.of(new TagContent(MANIFEST, Optional.empty())), IMAGE, false));
        assertEquals(VersionAction.REPLACE, ReleaseRules.versionTag(Optional.of(new TagContent(MANIFEST, Optional.of(OTHER))), IMAGE, true));
    }

    @Test
    void theRefusalNamesTheTagBothImagesAndTheOverride() {
        String message = ReleaseRules.refusal("reg/app:1.0.0", new TagContent(MANIFEST, Optional.of(OTHER)), IMAGE);
        assertTrue(message.startsWith("The registry already has reg/app:1.0.0 (image " + OTHER + ", manifest " + MANIFEST
                + "), and it is not this build (" + IMAGE + ")."), message);
        assertTrue(message.contains("nothing was pushed and latest was not moved"), message);
        assertTrue(message.contains("-Dfrankenphp.push.overwrite=true (<pushOverwrite>)"), message);
        assertTrue(message.contains("bump <version>"), message);
    }

    private static Dated dated(String version, String time) {
        return new Dated(version, Optional.ofNullable(time).map(Instant::parse));
    }

    @Test
    void latestStaysAtANewerBuildAndSaysWhy() {
        LatestDecision decision = ReleaseRules.latest(Optional.of(dated("1.0.3", "2026-11-24T10:00:00Z")), false,
                dated("1.0.2", "2026-11-20T09:00:00Z"), false);
        assertFalse(decision.move());
        assertEquals("latest stays at 1.0.3 (built 2026-11-24T10:00:00Z), newer than this build 1.0.2 (built 2026-11-20T09:00:00Z). "
                + "To move latest back to this build (a rollback), push with -Dfrankenphp.push.overwrite=true (<pushOverwrite>).",
                decision.reason());
    }

    @Test
    void theOverrideMovesLatestBack() {
        LatestDecision decision = ReleaseRules.latest(Optional.of(dated("1.0.3", "2026-11-24T10:00:00Z")), false,
                dated("1.0.2", "2026-11-20T09:00:00Z"), true);
        assertTrue(decision.move());
        assertTrue(decision.reason().startsWith("latest moves back from 1.0.3"), decision.reason());
    }

    @Test
    void latestMovesForwardOnATieWhenAbsentWhenAlreadyThisBuildAndWhenADateIsUnknown() {
        Dated build = dated("1.0.2", "2026-11-20T09:00:00Z");
        assertTrue(ReleaseRules.latest(Optional.of(dated("1.0.1", "2026-11-19T09:00:00Z")), false, build, false).move());
        assertTrue(ReleaseRules.latest(Optional.of(dated("1.0.1", "2026-11-20T09:00:00Z")), false, build, false).move());
        assertTrue(ReleaseRules.latest(Optional.empty(), false, build, false).move());
        assertTrue(ReleaseRules.latest(Optional.of(dated("1.0.9", "2030-01-01T00:00:00Z")), true, build, false).move());
        LatestDecision again = ReleaseRules.latest(Optional.empty(), true, build, false);
        assertEquals("latest already names this build 1.0.2 (built 2026-11-20T09:00:00Z).", again.reason());
        LatestDecision undated = ReleaseRules.latest(Optional.of(dated("sha256:x", null)), false, build, false);
        assertTrue(undated.move());
        assertTrue(undated.reason().contains("has no org.opencontainers.image.created label"), undated.reason());
    }

    @Test
    void timesParseWithOffsetsAndGarbageIsUnknown() {
        assertEquals(Optional.of(Instant.parse("2026-11-24T08:00:00Z")), ReleaseRules.parseTime("2026-11-24T10:00:00+02:00"));
        assertEquals(Optional.of(Instant.parse("2026-11-24T10:00:00.123456Z")), ReleaseRules.parseTime("2026-11-24T10:00:00.123456Z"));
        assertEquals(Optional.empty(), ReleaseRules.parseTime("yesterday"));
        assertEquals(Optional.empty(), ReleaseRules.parseTime(null));
    }
}
