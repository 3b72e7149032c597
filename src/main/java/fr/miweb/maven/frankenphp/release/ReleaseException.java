package fr.miweb.maven.frankenphp.release;

/**
 * A release or rollback that could not finish. The message says what happened, what state the
 * server was left in and what to do next.
 */
public class ReleaseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whether the user can fix it (configuration, a failing migration, an app that never gets healthy). */
    private final boolean userFixable;

    public ReleaseException(String message, boolean userFixable) {
        super(message);
        this.userFixable = userFixable;
    }

    public ReleaseException(String message, boolean userFixable, Throwable cause) {
        super(message, cause);
        this.userFixable = userFixable;
    }

    public boolean userFixable() {
        return userFixable;
    }
}
