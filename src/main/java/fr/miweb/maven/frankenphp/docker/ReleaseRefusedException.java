package fr.miweb.maven.frankenphp.docker;

/**
 * {@code push} refused to replace what the registry already holds under a version tag; the message names the tag,
 * both images and the override ({@code -Dfrankenphp.push.overwrite=true}). Nothing was pushed.
 */
public class ReleaseRefusedException extends DockerException {

    private static final long serialVersionUID = 1L;

    public ReleaseRefusedException(String message) {
        super(message);
    }
}
