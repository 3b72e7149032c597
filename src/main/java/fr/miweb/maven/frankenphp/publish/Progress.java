package fr.miweb.maven.frankenphp.publish;

/** Where the use cases say what they do (Maven's log, in the goals). */
public interface Progress {

    void info(String line);

    void warn(String line);
}
