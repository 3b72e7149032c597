package fr.miweb.maven.frankenphp.render;

/**
 * A template could not be rendered: a syntax error, an unknown variable, a forbidden construct.
 * The message names the template and the line; nothing was written.
 */
public class TemplateFailureException extends Exception {

    private static final long serialVersionUID = 1L;

    public TemplateFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public TemplateFailureException(String message) {
        super(message);
    }
}
