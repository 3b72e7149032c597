package fr.miweb.maven.frankenphp.registry;

/**
 * A registry operation exceeded the deadline it was given. Never retried: the deadline bounds the whole goal,
 * and a registry too slow for one attempt is too slow for the next.
 */
public class DeadlineExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(String message) {
        super(message);
    }
}
