package fr.miweb.maven.frankenphp.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DefaultsTest {

    @Test
    void theDatabaseHostIsUniquePerImageAndAlwaysAValidHostName() {
        assertEquals("mdb-copilot-api-mysql", Defaults.databaseHost("mdb-copilot-api"));
        assertEquals("team-shop-api-mysql", Defaults.databaseHost("team/shop-api"));
        // An invalid image name is reported as itself; it must not make DB_HOST a second error.
        assertEquals("mdb-copilot-api-mysql", Defaults.databaseHost("MDB Copilot API"));
        assertEquals("app-mysql", Defaults.databaseHost("///"));
        assertEquals(Defaults.databaseHost("mdb-copilot-api"), Defaults.environment("mdb-copilot-api").get("DB_HOST"));
    }
}
