/**
 * Running an external command (git, a Docker credential helper) with a deadline, without ever blocking on a child
 * that keeps its output open. No other package of the plugin is used here.
 */
package fr.miweb.maven.frankenphp.process;
