package fr.miweb.maven.frankenphp.publish;

/** Where the use cases say what they do (Maven's log, in the goals). */
public interface Progress {

    /** Details for -X: counts, decisions; never a secret. */
    default void debug(String line) {
    }

    void info(String line);

    void warn(String line);
}
