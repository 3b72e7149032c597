package fr.miweb.maven.frankenphp.faults;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTPS proxy in front of the test registry, for the reliability tests.
 *
 * <p>It listens on {@code 127.0.0.1:<port>} (5444 by default) with its own certificate for
 * {@code registry.frankenphp.test}, issued at start-up by the test CA of {@code src/test/infra/setup.sh}
 * ({@code /var/lib/frankenphp-it/ca.crt} and {@code ca.key}, with openssl), and forwards each request over a
 * new TLS connection to the real registry ({@code registry.frankenphp.test:5443}). The registry writes absolute
 * upload URLs with its own port in {@code Location}; the proxy rewrites them so the whole push goes through it.
 *
 * <p>Faults are rules matched on the request method and path, each for a number of requests:
 * <ul>
 *   <li>{@link #fail}: answer an HTTP error (502, 503...) instead of forwarding;</li>
 *   <li>{@link #cutBody}: forward, but close both connections after K bytes of the request body;</li>
 *   <li>{@link #delay}: hold the request that long before forwarding it.</li>
 * </ul>
 * {@link #heal()} removes every rule. The proxy never logs headers (they carry the registry credentials):
 * {@link #events()} lists "METHOD path -> outcome" lines only.
 *
 * <p>Plain JDK code with no test-framework types, so the invoker ITs' Groovy hooks can load it from
 * {@code target/test-classes} and run it in the invoker's JVM.
 */
public final class FaultProxy implements AutoCloseable {

    public static final int DEFAULT_PORT = 5444;
    public static final String REGISTRY_HOST = "registry.frankenphp.test";
    public static final int REGISTRY_PORT = 5443;
    public static final Path STATE_DIRECTORY = Path.of("/var/lib/frankenphp-it");
    /** Where the Docker engine looks for the CA of a registry (read per connection: no restart needed). */
    public static final Path ENGINE_CERTS = Path.of("/etc/docker/certs.d");

    /** Blob requests: HEAD/GET of a blob, upload start (POST), chunks (PATCH) and completion (PUT). */
    public static final String BLOBS = "/v2/.+/blobs/.*";
    /** Blob uploads: start (POST, also cross-repository mounts), chunks (PATCH), completion (PUT). */
    public static final String BLOB_UPLOADS = "/v2/.+/blobs/uploads/.*";
    /** Manifest requests (HEAD, GET, PUT). */
    public static final String MANIFESTS = "/v2/.+/manifests/.*";

    private static final int MAX_HEAD = 64 * 1024;
    private static final String KEYSTORE_PASSWORD = "frankenphp-it-proxy";

    private final int port;
    private final SSLContext serverContext;
    private final SSLContext upstreamContext;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile ServerSocket server;
    private volatile boolean closed;

    private FaultProxy(int port, SSLContext serverContext, SSLContext upstreamContext) {
        this.port = port;
        this.serverContext = serverContext;
        this.upstreamContext = upstreamContext;
    }

    /** Starts a proxy on {@value #DEFAULT_PORT}; see {@link #start(int)}. */
    public static FaultProxy start() throws IOException {
        return start(DEFAULT_PORT);
    }

    /**
     * Issues the proxy's certificate, makes sure the engine trusts the proxy's address
     * ({@code /etc/docker/certs.d/registry.frankenphp.test:<port>/ca.crt}), and starts listening.
     */
    public static FaultProxy start(int port) throws IOException {
        Path caCert = STATE_DIRECTORY.resolve("ca.crt");
        Path caKey = STATE_DIRECTORY.resolve("ca.key");
        trustInEngine(caCert, port);
        try {
            SSLContext server = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(issueKeyStore(caCert, caKey), KEYSTORE_PASSWORD.toCharArray());
            server.init(keys.getKeyManagers(), null, null);
            SSLContext upstream = SSLContext.getInstance("TLS");
            upstream.init(null, trustManagers(caCert), null);
            FaultProxy proxy = new FaultProxy(port, server, upstream);
            proxy.listen();
            return proxy;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot start the fault proxy: " + e, e);
        }
    }

    /** The registry address to push to through this proxy, e.g. {@code registry.frankenphp.test:5444}. */
    public String registry() {
        return REGISTRY_HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Answers {@code status} to the next {@code count} requests matching, without forwarding them, with a
     * plain-text body such as a reverse proxy writes ("503 Service Unavailable ...").
     */
    public FaultProxy fail(String method, String pathRegex, int count, int status) {
        return fail(method, pathRegex, count, status, status + " " + reason(status) + " (fault injected by the test proxy)\n");
    }

    /** As {@link #fail(String, String, int, int)}, with this body (empty: no body at all). */
    public FaultProxy fail(String method, String pathRegex, int count, int status, String body) {
        rules.add(new Rule(Kind.FAIL, method, Pattern.compile(pathRegex), count, status, 0, Duration.ZERO, body));
        return this;
    }

    /** Closes the client and registry connections after {@code afterBytes} of the body of the next {@code count} requests matching. */
    public FaultProxy cutBody(String method, String pathRegex, long afterBytes, int count) {
        rules.add(new Rule(Kind.CUT, method, Pattern.compile(pathRegex), count, 0, afterBytes, Duration.ZERO, ""));
        return this;
    }

    /** Holds the next {@code count} requests matching for {@code delay} before forwarding them. */
    public FaultProxy delay(String method, String pathRegex, Duration delay, int count) {
        rules.add(new Rule(Kind.DELAY, method, Pattern.compile(pathRegex), count, 0, 0, delay, ""));
        return this;
    }

    /** Removes every fault: from now on requests are forwarded untouched. */
    public FaultProxy heal() {
        rules.clear();
        return this;
    }

    /** What the proxy saw, in order: {@code "PUT /v2/x/manifests/1 -> 503 (injected)"}. No headers, no bodies. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** How many injected faults of each rule were used, e.g. to check that a fault really happened. */
    public int faultsInjected() {
        return (int) events.stream().filter(e -> e.contains("(injected")).count();
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // Closing anyway.
        }
        for (Socket socket : openSockets) {
            closeQuietly(socket);
        }
    }

    // ------------------------------------------------------------------------------------------- serving

    private void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server = socket;
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket raw;
            try {
                raw = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            openSockets.add(raw);
            Thread handler = new Thread(() -> serve(raw), "fault-proxy-" + port + "-" + connections.incrementAndGet());
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(Socket rawClient) {
        Socket upstream = null;
        Socket rawUpstream = null;
        Socket client = rawClient;
        try {
            rawClient.setSoTimeout((int) TimeUnit.MINUTES.toMillis(10));
            SSLSocket tls = (SSLSocket) serverContext.getSocketFactory().createSocket(rawClient,
                    rawClient.getInetAddress().getHostAddress(), rawClient.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            client = tls;
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            while (!closed) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return;
                }
                String[] line = request.startLine.split(" ", 3);
                if (line.length < 3) {
                    return;
                }
                String method = line[0];
                String path = line[1].replaceFirst("\\?.*", "");
                String what = method + " " + path;
                Rule rule = claim(method, path);

                boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("Expect"));
                request.remove("Expect");
                if (expectContinue) {
                    toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    toClient.flush();
                }

                if (rule != null && rule.kind == Kind.FAIL) {
                    Body.copy(request, fromClient, OutputStream.nullOutputStream(), Long.MAX_VALUE);
                    String reason = reason(rule.status);
                    byte[] body = rule.body.getBytes(StandardCharsets.UTF_8);
                    String response = "HTTP/1.1 " + rule.status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                            + body.length + "\r\nConnection: close\r\n\r\n";
                    toClient.write(response.getBytes(StandardCharsets.US_ASCII));
                    toClient.write(body);
                    toClient.flush();
                    events.add(what + " -> " + rule.status + " (injected)");
                    return;
                }
                if (rule != null && rule.kind == Kind.DELAY) {
                    events.add(what + " -> delayed " + rule.delay.toMillis() + " ms (injected)");
                    sleep(rule.delay);
                }

                if (upstream == null || upstream.isClosed()) {
                    rawUpstream = new Socket();
                    openSockets.add(rawUpstream);
                    upstream = connectUpstream(rawUpstream);
                }
                InputStream fromUpstream = upstream.getInputStream();
                OutputStream toUpstream = upstream.getOutputStream();
                request.set("Host", REGISTRY_HOST + ":" + REGISTRY_PORT);
                toUpstream.write(request.bytes());
                long limit = rule != null && rule.kind == Kind.CUT ? rule.afterBytes : Long.MAX_VALUE;
                long sent = Body.copy(request, fromClient, toUpstream, limit);
                toUpstream.flush();
                if (sent >= limit && limit != Long.MAX_VALUE) {
                    events.add(what + " -> connection closed after " + sent + " body bytes (injected)");
                    abort(rawClient);
                    abort(rawUpstream);
                    return;
                }

                Head response;
                do {
                    response = Head.read(fromUpstream);
                    if (response == null) {
                        throw new EOFException("the registry closed the connection");
                    }
                } while (response.startLine.matches("HTTP/1\\.[01] 1\\d\\d .*"));
                String location = response.header("Location");
                if (location != null) {
                    response.set("Location", location.replace("//" + REGISTRY_HOST + ":" + REGISTRY_PORT + "/",
                            "//" + REGISTRY_HOST + ":" + port + "/"));
                }
                toClient.write(response.bytes());
                String status = response.startLine.split(" ", 3)[1];
                boolean noBody = method.equals("HEAD") || status.startsWith("1") || status.equals("204") || status.equals("304");
                if (!noBody) {
                    Body.copy(response, fromUpstream, toClient, Long.MAX_VALUE);
                }
                toClient.flush();
                events.add(what + " -> " + status);
                if ("close".equalsIgnoreCase(response.header("Connection"))
                        || "close".equalsIgnoreCase(request.header("Connection"))
                        || (!noBody && response.header("Content-Length") == null && !response.isChunked())) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away, or the registry did: end this connection.
        } finally {
            closeQuietly(client);
            closeQuietly(rawClient);
            if (upstream != null) {
                closeQuietly(upstream);
                closeQuietly(rawUpstream);
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    private synchronized Rule claim(String method, String path) {
        for (Rule rule : rules) {
            if ((rule.method.equals("*") || rule.method.equalsIgnoreCase(method)) && rule.path.matcher(path).matches()
                    && rule.remaining.get() > 0) {
                rule.remaining.decrementAndGet();
                return rule;
            }
        }
        return null;
    }

    private Socket connectUpstream(Socket raw) throws IOException {
        raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), REGISTRY_PORT), 10_000);
        SSLSocket socket = (SSLSocket) upstreamContext.getSocketFactory().createSocket(raw, REGISTRY_HOST, REGISTRY_PORT, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(REGISTRY_HOST)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout((int) TimeUnit.MINUTES.toMillis(10));
        socket.startHandshake();
        return socket;
    }

    /**
     * An abrupt close, as a registry that goes away: the TCP connection is reset under the TLS session, with no
     * TLS alert and no orderly shutdown.
     */
    private void abort(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // Closed already.
        }
        closeQuietly(socket);
    }

    private void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        openSockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    private void sleep(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (!closed && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ TLS set-up

    /** Writes the engine's trust for {@code registry.frankenphp.test:<port>} when it is not there yet. */
    private static void trustInEngine(Path caCert, int port) throws IOException {
        Path target = ENGINE_CERTS.resolve(REGISTRY_HOST + ":" + port).resolve("ca.crt");
        byte[] ca = Files.readAllBytes(caCert);
        if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), ca)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("ca.crt.tmp");
        Files.write(temp, ca);
        Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A PKCS#12 key store with a fresh key and a certificate for the registry host, signed by the test CA. */
    private static KeyStore issueKeyStore(Path caCert, Path caKey) throws Exception {
        Path work = Files.createTempDirectory("fault-proxy-tls", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(work.resolve("ext.cnf"), "basicConstraints = critical, CA:FALSE\n"
                    + "keyUsage = critical, digitalSignature, keyEncipherment\n"
                    + "extendedKeyUsage = serverAuth\n"
                    + "subjectAltName = DNS:" + REGISTRY_HOST + ", DNS:localhost, IP:127.0.0.1\n");
            openssl(work, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=" + REGISTRY_HOST,
                    "-keyout", "proxy.key", "-out", "proxy.csr");
            openssl(work, "x509", "-req", "-in", "proxy.csr", "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                    "-set_serial", "0x" + Long.toHexString(System.nanoTime() & Long.MAX_VALUE), "-days", "2", "-sha256",
                    "-extfile", "ext.cnf", "-out", "proxy.crt");
            openssl(work, "pkcs12", "-export", "-inkey", "proxy.key", "-in", "proxy.crt", "-certfile", caCert.toString(),
                    "-name", "proxy", "-out", "proxy.p12", "-passout", "pass:" + KEYSTORE_PASSWORD);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(work.resolve("proxy.p12"))) {
                store.load(in, KEYSTORE_PASSWORD.toCharArray());
            }
            return store;
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void openssl(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Path log = directory.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + arguments[0] + " failed: " + Files.readString(log));
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path caCert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("frankenphp-it-ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    // ------------------------------------------------------------------------------------------ HTTP/1.1

    private enum Kind { FAIL, CUT, DELAY }

    private static final class Rule {
        final Kind kind;
        final String method;
        final Pattern path;
        final AtomicInteger remaining;
        final int status;
        final long afterBytes;
        final Duration delay;
        final String body;

        Rule(Kind kind, String method, Pattern path, int count, int status, long afterBytes, Duration delay, String body) {
            this.body = body;
            this.kind = kind;
            this.method = method;
            this.path = path;
            this.remaining = new AtomicInteger(count);
            this.status = status;
            this.afterBytes = afterBytes;
            this.delay = delay;
        }
    }

    /** A request or response head: the start line and the header lines, in order. */
    private static final class Head {
        final String startLine;
        final List<String[]> headers;

        private Head(String startLine, List<String[]> headers) {
            this.startLine = startLine;
            this.headers = headers;
        }

        /** Null at a clean end of stream before any byte. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int last = 0;
            while (bytes.size() < 4 || last != 0x0D0A0D0A) {
                int b = in.read();
                if (b < 0) {
                    if (bytes.size() == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed inside an HTTP head");
                }
                bytes.write(b);
                if (bytes.size() > MAX_HEAD) {
                    throw new IOException("HTTP head too long");
                }
                last = (last << 8) | b;
            }
            String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
                }
            }
            return new Head(lines[0], headers);
        }

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        void set(String name, String value) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    header[1] = value;
                    return;
                }
            }
            headers.add(new String[] {name, value});
        }

        void remove(String name) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        }

        boolean isChunked() {
            String encoding = header("Transfer-Encoding");
            return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        byte[] bytes() {
            StringBuilder out = new StringBuilder(startLine).append("\r\n");
            headers.forEach(h -> out.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Copies a message body as it is framed (Content-Length or chunked), stopping after {@code limit} bytes. */
    private static final class Body {

        static long copy(Head head, InputStream in, OutputStream out, long limit) throws IOException {
            if (head.isChunked()) {
                return copyChunked(in, out, limit);
            }
            String length = head.header("Content-Length");
            if (length != null) {
                return copyExactly(in, out, Long.parseLong(length.trim()), limit);
            }
            if (head.startLine.startsWith("HTTP/")) {
                // A response without framing ends when the connection does.
                return copyExactly(in, out, Long.MAX_VALUE, limit);
            }
            return 0;
        }

        private static long copyExactly(InputStream in, OutputStream out, long length, long limit) throws IOException {
            byte[] buffer = new byte[16 * 1024];
            long copied = 0;
            while (copied < length && copied < limit) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(length - copied, limit - copied)));
                if (read < 0) {
                    if (length == Long.MAX_VALUE) {
                        break;
                    }
                    throw new EOFException("body ended early");
                }
                out.write(buffer, 0, read);
                copied += read;
            }
            return copied;
        }

        private static long copyChunked(InputStream in, OutputStream out, long limit) throws IOException {
            long copied = 0;
            while (true) {
                String sizeLine = line(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                long size = Long.parseLong(sizeLine.split(";", 2)[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = line(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return copied;
                }
                long chunk = copyExactly(in, out, size, limit - copied);
                copied += chunk;
                if (copied >= limit) {
                    return copied;
                }
                out.write((line(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed inside a chunked body");
                }
                if (previous == '\r' && b == '\n') {
                    byte[] raw = bytes.toByteArray();
                    return new String(raw, 0, raw.length - 1, StandardCharsets.ISO_8859_1);
                }
                bytes.write(b);
                previous = b;
            }
        }
    }
}
