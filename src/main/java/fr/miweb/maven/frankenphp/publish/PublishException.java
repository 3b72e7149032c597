package fr.miweb.maven.frankenphp.publish;

/** A build or push that could not finish; the message says what happened and what to do next. */
public class PublishException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whether the user can fix it (the Dockerfile, the credentials, a released tag), rather than the infrastructure. */
    private final boolean userFixable;

    public PublishException(String message, boolean userFixable, Throwable cause) {
        super(message, cause);
        this.userFixable = userFixable;
    }

    public boolean userFixable() {
        return userFixable;
    }
}
