/**
 * Putting a pushed image live on the production server: the engine connection (ssh or TLS), the
 * health-gated swap of the compose stack's app container behind its proxy, migrations, the release
 * lock and rollback. Plain classes: no Maven type.
 */
package fr.miweb.maven.frankenphp.release;
