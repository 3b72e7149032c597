package fr.miweb.maven.frankenphp.docker;

/** The Docker daemon could not do what was asked; the message says what and how to fix it. */
public class DockerException extends Exception {

    private static final long serialVersionUID = 1L;

    public DockerException(String message) {
        super(message);
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
