/**
 * The Docker build context: {@code .dockerignore} rules with Docker's semantics
 * ({@link fr.miweb.maven.frankenphp.context.DockerIgnore}) and a streaming, reproducible tar of the context
 * ({@link fr.miweb.maven.frankenphp.context.BuildContext},
 * {@link fr.miweb.maven.frankenphp.context.BuildContextStream}) for the Docker Engine API.
 * Plain Java, independent of Maven and of the plugin's other packages.
 */
package fr.miweb.maven.frankenphp.context;
