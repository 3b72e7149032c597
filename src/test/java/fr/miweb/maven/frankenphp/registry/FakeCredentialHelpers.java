package fr.miweb.maven.frankenphp.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small POSIX shell scripts that behave like docker-credential-helpers, for tests. */
final class FakeCredentialHelpers {

    private FakeCredentialHelpers() {
    }

    /** A helper answering every server URL with these credentials, appending each URL it gets to {@code calls}. */
    static Path answering(Path directory, String name, String username, String secret, Path calls) throws IOException {
        return write(directory, name, """
                url=$(cat)
                echo "$url" >> '%s'
                printf '{"ServerURL":"%%s","Username":"%s","Secret":"%s"}\\n' "$url"
                """.formatted(calls, username, secret));
    }

    /** A helper that knows only {@code knownUrl}, answering "credentials not found" for any other URL. */
    static Path knowingOnly(Path directory, String name, String knownUrl, String username, String secret, Path calls)
            throws IOException {
        return write(directory, name, """
                url=$(cat)
                echo "$url" >> '%s'
                if [ "$url" != '%s' ]; then
                  echo 'credentials not found in native keychain'
                  exit 1
                fi
                printf '{"ServerURL":"%%s","Username":"%s","Secret":"%s"}\\n' "$url"
                """.formatted(calls, knownUrl, username, secret));
    }

    /** A helper holding nothing, which fails the way docker-credential-helpers do. */
    static Path notFound(Path directory, String name) throws IOException {
        return write(directory, name, """
                cat > /dev/null
                echo 'credentials not found in native keychain'
                exit 1
                """);
    }

    /** A helper failing with the given output on stdout and exit code 2. */
    static Path failing(Path directory, String name, String output) throws IOException {
        return write(directory, name, """
                cat > /dev/null
                echo '%s'
                exit 2
                """.formatted(output));
    }

    /**
     * A helper that never answers in time: like real helpers waiting on GPG, it waits on a child process,
     * whose pid it writes to {@code childPidFile}.
     */
    static Path hanging(Path directory, String name, Path childPidFile) throws IOException {
        return write(directory, name, """
                cat > /dev/null
                sleep 30 &
                echo $! > '%s'
                wait
                echo '{"Username":"late","Secret":"late"}'
                """.formatted(childPidFile));
    }

    private static Path write(Path directory, String name, String body) throws IOException {
        Path script = directory.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
