package fr.miweb.maven.frankenphp.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Docker Engine reached over {@code ssh://user@host[:port]} the way the Docker CLI reaches it:
 * every connection runs {@code ssh … host -- docker system dial-stdio} and speaks HTTP over that
 * process's standard input and output. docker-java has no SSH transport, so the tunnel offers a
 * private Unix socket that docker-java connects to, and bridges each connection to its own
 * {@code ssh} process.
 *
 * <p>{@code ssh} is the user's own OpenSSH client: their {@code ~/.ssh/config}, agent, keys and
 * {@code known_hosts} apply. Two options are forced: {@code BatchMode=yes} (never a password or
 * passphrase prompt, which would hang a build) and {@code StrictHostKeyChecking=yes} (an unknown or
 * changed host key fails; it is never accepted silently).
 */
public final class SshTunnel implements AutoCloseable {

    private static final int STDERR_LINES_KEPT = 20;
    private static final Path SHORT_TEMP_DIRECTORY = Path.of("/tmp");

    private final SshTarget target;
    private final Duration connectTimeout;
    private final Path directory;
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread acceptor;

    private SshTunnel(SshTarget target, Duration connectTimeout, Path directory, Path socket, ServerSocketChannel server) {
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.directory = directory;
        this.socket = socket;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "frankenphp-ssh-tunnel");
        this.acceptor.setDaemon(true);
    }

    /**
     * Checks that {@code ssh} reaches the host and that the remote user may use Docker, then
     * opens the tunnel. Fails within about {@code connectTimeout} with ssh's own reason.
     *
     * @param configuredIn where the address comes from ({@code DOCKER_HOST}, a pom element), named in the fix of an
     *                     unreachable host
     */
    static SshTunnel open(URI sshUri, Duration connectTimeout, String configuredIn) throws DockerException {
        SshTarget parsed;
        try {
            parsed = SshTarget.parse(sshUri);
        } catch (DockerException e) {
            throw new DockerException(configuredIn + ": " + e.getMessage(), e);
        }
        Path directory;
        try {
            // Owner-only directory: the socket gives full control of the remote engine. Under /tmp when there is one:
            // ssh's control socket path must stay under the Unix socket limit (104 bytes on macOS, whose per-user
            // temporary directory is long).
            Path parent = Files.isDirectory(SHORT_TEMP_DIRECTORY) && Files.isWritable(SHORT_TEMP_DIRECTORY)
                    ? SHORT_TEMP_DIRECTORY : Path.of(System.getProperty("java.io.tmpdir"));
            directory = Files.createTempDirectory(parent, "frankenphp-ssh-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            throw new DockerException("An ssh:// Docker host (" + parsed + ", from " + configuredIn + ") needs a POSIX system such as "
                    + "Linux or macOS: the tunnel is a private Unix socket. On Windows, use tcp:// with TLS, or a named pipe.", e);
        } catch (IOException e) {
            throw new DockerException("Could not create a private directory for the SSH tunnel to " + parsed + ": " + e.getMessage(), e);
        }
        // Every connection after the first rides the first one's SSH session (no new handshake).
        SshTarget target = parsed.multiplexedThrough(directory.resolve("master"));
        try {
            preflight(target, connectTimeout, configuredIn);
        } catch (DockerException e) {
            deleteQuietly(directory);
            throw e;
        }
        Path socket = directory.resolve("docker.sock");
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            if (server != null) {
                closeQuietly(server);
            }
            stopMaster(target);
            deleteQuietly(directory);
            throw new DockerException("Could not open a local socket for the SSH tunnel to " + target + ": " + e.getMessage(), e);
        }
        SshTunnel tunnel = new SshTunnel(target, connectTimeout, directory, socket, server);
        tunnel.acceptor.start();
        return tunnel;
    }

    /** The private directory that holds the local socket and ssh's control socket; removed on close. */
    Path directory() {
        return directory;
    }

    /** The local endpoint docker-java connects to. */
    public URI localEndpoint() {
        return URI.create("unix://" + socket);
    }

    /** The last lines ssh printed on standard error, to explain a broken connection. */
    public String recentErrors() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /**
     * Runs {@code docker version} over ssh: the one call that tells apart an unreachable host, an
     * unknown host key, a refused key and a remote user without access to Docker, in ssh's words.
     */
    private static void preflight(SshTarget target, Duration connectTimeout, String configuredIn) throws DockerException {
        List<String> command = target.command(connectTimeout, List.of("docker", "version", "--format", "{{.Server.Version}}"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DockerException("Cannot run ssh to reach the Docker engine at " + target + ": " + e.getMessage()
                    + ". Install an OpenSSH client (the ssh command), as the Docker CLI needs for ssh:// hosts.", e);
        }
        String output;
        try {
            // Bounded: BatchMode and ConnectTimeout make ssh fail fast, this is the backstop.
            long deadline = connectTimeout.toMillis() * 3 + 10_000;
            byte[] bytes = readWithDeadline(process, deadline);
            output = new String(bytes, StandardCharsets.UTF_8).strip();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DockerException("ssh to " + target + " did not answer within " + deadline / 1000 + " s. Check the host and port.");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DockerException("Interrupted while connecting to " + target, e);
        }
        if (process.exitValue() != 0) {
            throw new DockerException(describeFailure(target, process.exitValue(), output, configuredIn));
        }
    }

    private static byte[] readWithDeadline(Process process, long deadlineMillis) throws InterruptedException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // The process was killed: what was read is what there is.
            }
        }, "frankenphp-ssh-preflight");
        reader.setDaemon(true);
        reader.start();
        reader.join(deadlineMillis);
        if (reader.isAlive()) {
            process.destroyForcibly();
            reader.join(1000);
        }
        synchronized (out) {
            return out.toByteArray();
        }
    }

    /** ssh's reason, with the fix for the cases a user meets. */
    static String describeFailure(SshTarget target, int exitCode, String output, String configuredIn) {
        String said = output.isBlank() ? "(no output)" : lastLines(output, 5);
        String prefix = "Cannot reach the Docker engine at " + target + " over ssh: ";
        if (output.contains("Host key verification failed") || output.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || output.contains("No ED25519 host key is known") || output.contains("host key is known")) {
            return prefix + "the server's host key is not in known_hosts, or it changed. ssh said: " + said
                    + "\nThe plugin never accepts an unknown host key. Check the key's fingerprint with the server's "
                    + "administrator, then add it: ssh-keyscan " + target.portOption() + target.host() + " >> ~/.ssh/known_hosts "
                    + "(or connect once with ssh " + target.sshDestination() + " and answer yes).";
        }
        if (output.contains("Permission denied")) {
            return prefix + "the server refused the key. ssh said: " + said
                    + "\nThe plugin runs ssh in batch mode (no password prompt): load the key into ssh-agent, or name it with "
                    + "IdentityFile for this host in ~/.ssh/config, and check the user's authorized_keys on the server.";
        }
        if (output.contains("Connection refused") || output.contains("timed out") || output.contains("Could not resolve")
                || output.contains("No route to host") || output.contains("Name or service not known")) {
            return prefix + "the host is unreachable. ssh said: " + said
                    + "\nCheck " + configuredIn + ": the host name and the SSH port.";
        }
        if (output.contains("permission denied") && output.contains("docker")) {
            return prefix + "the remote user may not use the Docker engine. The server said: " + said
                    + "\nAdd the user to the docker group on the server (for a production server, DEPLOY.md explains it under \"SSH access\").";
        }
        if (output.contains("command not found") || output.contains("not found")) {
            return prefix + "the docker command is missing on the server. The server said: " + said
                    + "\nThe remote side runs `docker system dial-stdio`, as the Docker CLI does: install the Docker CLI there.";
        }
        if (exitCode == 255) {
            return prefix + "ssh failed (exit 255). ssh said: " + said;
        }
        return prefix + "`docker version` on the server failed (exit " + exitCode + "). It said: " + said;
    }

    private static String lastLines(String text, int count) {
        String[] lines = text.strip().split("\\R");
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - count), lines.length));
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                bridge(client);
            } catch (IOException e) {
                remember("could not start ssh: " + e.getMessage());
                closeQuietly(client);
            }
        }
    }

    /** One docker-java connection: one ssh process, bytes copied both ways until either side ends. */
    private void bridge(SocketChannel client) throws IOException {
        Process process = new ProcessBuilder(target.command(connectTimeout, List.of("docker", "system", "dial-stdio"))).start();
        processes.add(process);
        // The channel is read and written directly: Channels' streams share one lock on a blocking
        // channel, so a pending read would block every write.
        Thread upstream = daemon("ssh-in", () -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try (OutputStream toSsh = process.getOutputStream()) {
                while (client.read(buffer) >= 0) {
                    toSsh.write(buffer.array(), 0, buffer.position());
                    toSsh.flush();
                    buffer.clear();
                }
            } catch (IOException e) {
                // One side closed: closing ssh's input ends the other.
            }
        });
        Thread downstream = daemon("ssh-out", () -> {
            byte[] bytes = new byte[64 * 1024];
            try (InputStream fromSsh = process.getInputStream()) {
                int n;
                while ((n = fromSsh.read(bytes)) >= 0) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                }
                client.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(client);
            }
        });
        Thread errors = new Thread(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    remember(line);
                }
            } catch (IOException e) {
                // Process gone.
            }
        }, "frankenphp-ssh-err");
        errors.setDaemon(true);
        errors.start();
        Thread reaper = new Thread(() -> {
            try {
                downstream.join();
                upstream.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(client);
            process.destroy();
            processes.remove(process);
        }, "frankenphp-ssh-reaper");
        reaper.setDaemon(true);
        // The copiers first: joining a thread that has not started returns at once.
        upstream.start();
        downstream.start();
        reaper.start();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, "frankenphp-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private void remember(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            while (stderrTail.size() > STDERR_LINES_KEPT) {
                stderrTail.removeFirst();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        for (Process process : new ArrayList<>(processes)) {
            process.destroy();
        }
        stopMaster(target);
        deleteQuietly(directory);
    }

    /** Ends the shared SSH session now rather than when its idle time runs out. */
    private static void stopMaster(SshTarget target) {
        try {
            Process exit = new ProcessBuilder(target.controlCommand("exit")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!exit.waitFor(5, TimeUnit.SECONDS)) {
                exit.destroyForcibly();
            }
        } catch (IOException e) {
            // No master left: nothing to stop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // A temporary directory left behind; nothing listens on it any more.
        }
    }

    /**
     * {@code ssh://[user@]host[:port]}, as the Docker CLI accepts it: no path, no password.
     */
    public record SshTarget(Optional<String> user, String host, Optional<Integer> port, Optional<Path> controlPath) {

        public SshTarget(Optional<String> user, String host, Optional<Integer> port) {
            this(user, host, port, Optional.empty());
        }

        /** The same target, its connections multiplexed over one master session at {@code path}. */
        SshTarget multiplexedThrough(Path path) {
            return new SshTarget(user, host, port, Optional.of(path));
        }

        public static SshTarget parse(URI uri) throws DockerException {
            if (!"ssh".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new DockerException("'" + uri + "' is not an ssh://[user@]host[:port] address.");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new DockerException("'" + uri + "' must be ssh://[user@]host[:port], without a path or query.");
            }
            String userInfo = uri.getUserInfo();
            if (userInfo != null && userInfo.contains(":")) {
                throw new DockerException("'" + uri.getScheme() + "://" + userInfo.substring(0, userInfo.indexOf(':')) + ":…@" + uri.getHost()
                        + "' contains a password. SSH access uses keys: remove the password from the address.");
            }
            if (userInfo != null && (userInfo.isEmpty() || userInfo.startsWith("-"))) {
                throw new DockerException("'" + uri + "' has an invalid user name.");
            }
            if (uri.getHost().startsWith("-")) {
                throw new DockerException("'" + uri + "' has an invalid host name.");
            }
            return new SshTarget(Optional.ofNullable(userInfo), uri.getHost(), uri.getPort() < 0 ? Optional.empty() : Optional.of(uri.getPort()));
        }

        /** The ssh command line; ssh's own config decides everything not given here. */
        List<String> command(Duration connectTimeout, List<String> remote) {
            List<String> command = new ArrayList<>(List.of("ssh",
                    "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes",
                    "-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds()),
                    // A dead link fails the release in about 30 s instead of hanging it (and its lock) forever.
                    "-o", "ServerAliveInterval=10",
                    "-o", "ServerAliveCountMax=3",
                    "-T"));
            controlPath.ifPresent(path -> command.addAll(List.of(
                    "-o", "ControlMaster=auto",
                    "-o", "ControlPath=" + path,
                    "-o", "ControlPersist=60")));
            user.ifPresent(u -> command.addAll(List.of("-l", u)));
            port.ifPresent(p -> command.addAll(List.of("-p", String.valueOf(p))));
            command.add("--");
            command.add(host);
            command.addAll(remote);
            return command;
        }

        /** {@code ssh -O <operation>} on the shared session. */
        List<String> controlCommand(String operation) {
            List<String> command = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes",
                    "-o", "ControlPath=" + controlPath.orElseThrow(), "-O", operation));
            user.ifPresent(u -> command.addAll(List.of("-l", u)));
            port.ifPresent(p -> command.addAll(List.of("-p", String.valueOf(p))));
            command.add("--");
            command.add(host);
            return command;
        }

        String sshDestination() {
            return user.map(u -> u + "@").orElse("") + host + port.map(p -> " -p " + p).orElse("");
        }

        String portOption() {
            return port.map(p -> "-p " + p + " ").orElse("");
        }

        @Override
        public String toString() {
            return "ssh://" + user.map(u -> u + "@").orElse("") + host + port.map(p -> ":" + p).orElse("");
        }
    }
}
