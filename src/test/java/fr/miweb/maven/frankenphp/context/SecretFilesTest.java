package fr.miweb.maven.frankenphp.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {".env", ".env.production", ".env.local.backup", "config/.env.production",
            // Letter case: .ENV is .env on macOS and Windows checkouts.
            ".ENV", ".Env.Production", "config/.ENV.LOCAL",
            // Variants.
            ".env-production", ".env_production", "production.env", "docker/app.env", "PRODUCTION.ENV",
            // Anything inside a dotenv directory, example-looking directories too.
            "config/.env/production", "config/.env/nested/db", ".ENV/x", ".env.d/database", "secrets.env/x",
            ".env.example/real"})
    void dotenvFilesAreGuarded(String path) {
        assertTrue(SecretFiles.isDotenv(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {".env.example", ".env.production.example", "config/.env.example", ".ENV.EXAMPLE",
            "config/.env/app.example", "environment.php", "config/env.php", ".envrc", ".environment", "env",
            "app/Environment.php", "public/app.env.txt", "resources/views/env.blade.php", "venv/x", "composer.json",
            ".envoy.blade.php.bak", "envoy.blade.php"})
    void otherFilesAreNotDotenv(String path) {
        assertFalse(SecretFiles.isDotenv(path), path);
    }

    @ParameterizedTest
    @CsvSource({
            "auth.json, Composer credentials",
            "packages/private/auth.json, Composer credentials",
            ".npmrc, npm credentials",
            "resources/js/.npmrc, npm credentials",
            ".envrc, direnv environment",
            "storage/oauth-private.key, private key",
            "storage/oauth-public.key, private key",
            "certs/server.pem, key or certificate",
            "ca.PEM, key or certificate",
            "certs/client.p12, key store",
            "certs/client.pfx, key store",
            "deploy/id_rsa, SSH private key",
            "id_ed25519, SSH private key",
            ".netrc, credentials",
            ".git-credentials, credentials",
            "Homestead.yaml, Homestead configuration",
            "Homestead.json, Homestead configuration"})
    void filesThatUsuallyHoldSecretsAreNamedWithTheirKind(String path, String kind) {
        assertEquals(Optional.of(kind), SecretFiles.secretKind(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"composer.json", "composer.lock", "package.json", "public/app.pem.txt", "deploy/id_rsa.pub",
            "storage/keys.txt", "config/auth.php", "auth.json.example", "Homestead", "app/Keys.php", ".env",
            ".env.production", "README.md"})
    void otherFilesHaveNoSecretKind(String path) {
        assertEquals(Optional.empty(), SecretFiles.secretKind(path), path);
    }
}
