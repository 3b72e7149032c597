package fr.miweb.maven.frankenphp.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthChallengeTest {

    @Test
    void basicChallengeOfAnHtpasswdRegistry() {
        List<AuthChallenge> challenges = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
        assertEquals(List.of(new AuthChallenge("basic", Map.of("realm", "Registry Realm"))), challenges);
        assertTrue(challenges.get(0).isBasic());
    }

    @Test
    void bearerChallengeWithCommasInsideTheQuotedScope() {
        List<AuthChallenge> challenges = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:samalba/my-app:pull,push\"");
        assertEquals(1, challenges.size());
        AuthChallenge bearer = challenges.get(0);
        assertTrue(bearer.isBearer());
        assertEquals("https://auth.docker.io/token", bearer.parameter("realm").orElseThrow());
        assertEquals("registry.docker.io", bearer.parameter("service").orElseThrow());
        assertEquals("repository:samalba/my-app:pull,push", bearer.parameter("scope").orElseThrow());
    }

    @Test
    void schemeAndNamesAreCaseInsensitiveSpacesAndUnquotedValuesAreAccepted() {
        AuthChallenge bearer = AuthChallenge.parse("BEARER  Realm = https://gitlab.example/jwt/auth , Service=container_registry").get(0);
        assertEquals("bearer", bearer.scheme());
        assertEquals("https://gitlab.example/jwt/auth", bearer.parameter("realm").orElseThrow());
        assertEquals("container_registry", bearer.parameter("SERVICE").orElseThrow());
    }

    @Test
    void severalChallengesInOneHeader() {
        List<AuthChallenge> challenges = AuthChallenge.parse("Basic realm=\"a, b\", Bearer realm=\"https://x/token\",error=\"invalid_token\"");
        assertEquals(2, challenges.size());
        assertEquals(Map.of("realm", "a, b"), challenges.get(0).parameters());
        assertEquals("bearer", challenges.get(1).scheme());
        assertEquals(Map.of("realm", "https://x/token", "error", "invalid_token"), challenges.get(1).parameters());
    }

    @Test
    void escapedQuotesAndMalformedInput() {
        assertEquals("say \"hi\"", AuthChallenge.parse("Basic realm=\"say \\\"hi\\\"\"").get(0).parameter("realm").orElseThrow());
        assertEquals(List.of(), AuthChallenge.parse(null));
        assertEquals(List.of(), AuthChallenge.parse("  ,, "));
        // An unterminated quote ends at the end of the header; a bare scheme has no parameters.
        assertEquals("https://x", AuthChallenge.parse("Bearer realm=\"https://x").get(0).parameter("realm").orElseThrow());
        assertEquals(List.of(new AuthChallenge("negotiate", Map.of())), AuthChallenge.parse("Negotiate"));
    }
}
