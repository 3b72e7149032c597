/**
 * What {@code mvn deploy} does before the release: build the image from the rendered files and record it, then check
 * the registry login and push the version tag and {@code latest}. Use cases over the Docker client and the registry,
 * with one failure type ({@link fr.miweb.maven.frankenphp.publish.PublishException}). Plain classes: no Maven type.
 */
package fr.miweb.maven.frankenphp.publish;
