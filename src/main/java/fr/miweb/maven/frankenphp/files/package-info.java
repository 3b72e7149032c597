/**
 * Writing files so that a reader never sees half of one: staged next to the target, then renamed; and
 * reading project files without following links or opening special files.
 * No Maven types; used by the renderer and by the image record.
 */
package fr.miweb.maven.frankenphp.files;
