package fr.miweb.maven.frankenphp.docker;

/** Short, single-line descriptions of failures from docker-java, for user-facing messages. */
final class DockerErrors {

    private DockerErrors() {
    }

    /** The most specific message in the cause chain, without class names or stack traces. */
    static String summary(Throwable failure) {
        Throwable deepest = failure;
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            deepest = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            message = deepest.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s+", " ");
    }
}
