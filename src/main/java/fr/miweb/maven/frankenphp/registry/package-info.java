/**
 * Registry access support for pushing images: finding credentials for a registry host
 * ({@link fr.miweb.maven.frankenphp.registry.CredentialResolver}), retrying transient
 * registry failures ({@link fr.miweb.maven.frankenphp.registry.Retrier}), and reading and writing
 * tags through the registry's HTTP API ({@link fr.miweb.maven.frankenphp.registry.RegistryApi}).
 *
 * <p>This package deliberately knows nothing about Maven or about the rest of the plugin: the mojo
 * adapts {@code settings.xml} into a {@link fr.miweb.maven.frankenphp.registry.SettingsServerLookup}
 * and passes the process environment and home directory explicitly, which keeps everything here
 * testable without a real environment.
 */
package fr.miweb.maven.frankenphp.registry;
