package fr.miweb.maven.frankenphp.release;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProxyRotationTest {

    /** As Caddy 2.6's admin API answers GET /reverse_proxy/upstreams. */
    private static final String UPSTREAMS = "[{\"address\":\"shop-app-blue:80\",\"num_requests\":3,\"fails\":0},"
            + "{\"address\":\"shop-app-green:80\",\"num_requests\":0,\"fails\":1}]";

    @Test
    void readsTheInFlightCountOfOneUpstream() {
        assertEquals(OptionalInt.of(3), ProxyRotation.inFlight(UPSTREAMS, "shop-app-blue:80"));
        assertEquals(OptionalInt.of(0), ProxyRotation.inFlight(UPSTREAMS, "shop-app-green:80"));
    }

    @Test
    void anUpstreamCaddyDoesNotListIsUnknownNotIdle() {
        assertEquals(OptionalInt.empty(), ProxyRotation.inFlight(UPSTREAMS, "other-app-blue:80"));
    }

    @Test
    void anUnreadableAnswerIsUnknownNotZero() {
        assertEquals(OptionalInt.empty(), ProxyRotation.inFlight("<html>404</html>", "shop-app-blue:80"));
        assertEquals(OptionalInt.empty(), ProxyRotation.inFlight("{\"error\":\"x\"}", "shop-app-blue:80"));
    }
}
