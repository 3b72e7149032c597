package fr.miweb.maven.frankenphp.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A small client of the Registry HTTP API v2 (the OCI distribution API): read a manifest by tag or digest, read a
 * blob (an image config), put a manifest to a tag. The Docker daemon pushes the layers; this client checks what a
 * tag names before and after, and moves a tag to an existing manifest.
 *
 * <p><b>Authentication</b> follows the registry's {@code WWW-Authenticate} challenge: {@code Basic} (htpasswd
 * registries) or {@code Bearer realm=…,service=…,scope=…} (Docker Hub, GitLab, Harbor…), for which a token is asked
 * from the realm with the credentials (a password by HTTP Basic, an identity token as an OAuth2 refresh token).
 * Tokens are kept per repository and access, and asked again once when the registry refuses one.
 *
 * <p><b>TLS</b>: the JVM's trusted CAs, plus {@code <certsDirectory>/<host[:port]>/*.crt} as the Docker engine
 * reads them. Plain HTTP only for a registry the Docker engine itself treats as insecure (a loopback address, as
 * the engine's default {@code 127.0.0.0/8}, or one of its {@code insecure-registries}), and only after HTTPS failed,
 * the way the engine falls back for such registries.
 *
 * <p><b>Failures</b>: each public call is run through the {@link Retrier} (5xx and dropped connections are
 * retried). A request slower than the timeout throws {@link DeadlineExceededException}, never retried; any
 * other failure is a {@link RegistryApiException} carrying the HTTP status. No message, log or exception ever
 * holds the password or a token.
 *
 * <p>Instances are thread-safe.
 */
public final class RegistryApi {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** The manifest media types asked for, in the {@code Accept} header of manifest reads. */
    public static final List<String> MANIFEST_MEDIA_TYPES = List.of(DOCKER_MANIFEST, OCI_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX);
    /** Where the Docker engine looks for registry CA certificates. */
    public static final Path DOCKER_CERTS_DIRECTORY = Path.of("/etc/docker/certs.d");

    /** Manifests and image configs are kilobytes; a larger answer is not what was asked for. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final String CLIENT_ID = "frankenphp-maven-plugin";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A manifest as the registry serves it.
     *
     * @param digest    {@code sha256:…} of {@code content}, as the registry reported it
     * @param mediaType the {@code Content-Type} (one of {@link #MANIFEST_MEDIA_TYPES})
     * @param content   the exact bytes: putting them to another tag gives that tag the same digest
     */
    public record Manifest(String digest, String mediaType, byte[] content) {

        public Manifest {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(mediaType, "mediaType");
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        /** Whether this is a multi-platform index (manifest list), which has no config of its own. */
        public boolean isIndex() {
            return mediaType.equals(DOCKER_MANIFEST_LIST) || mediaType.equals(OCI_INDEX);
        }

        /**
         * The digest of the image config ({@code config.digest}) of an image manifest: for images pushed by the
         * Docker engine with its classic image store, the local image id. Empty for an index.
         */
        public Optional<String> configDigest() {
            if (isIndex()) {
                return Optional.empty();
            }
            try {
                JsonNode digest = JSON.readTree(content).path("config").path("digest");
                return digest.isTextual() ? Optional.of(digest.asText()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Manifest m && digest.equals(m.digest) && mediaType.equals(m.mediaType)
                    && Arrays.equals(content, m.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(digest, mediaType, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Manifest[" + digest + ", " + mediaType + ", " + content.length + " bytes]";
        }
    }

    private final String registryHost;
    /** {@code https://host}, or {@code http://host} once an insecure registry turned out to speak plain HTTP. */
    private volatile URI base;
    private final boolean plainHttpFallback;
    private final RegistryCredentials credentials;
    private final Retrier retrier;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, String> bearerTokens = new ConcurrentHashMap<>();
    private volatile boolean basicAccepted;

    /**
     * @param registryHost   {@code host[:port]} as in image references, e.g. {@code registry.frankenphp.test:5443};
     *                       {@code docker.io} is Docker Hub's {@code registry-1.docker.io}
     * @param credentials    sent only when the registry asks for them
     * @param retrier        retries each call on transient failures
     * @param timeout        deadline of each HTTP request (connection included)
     * @param certsDirectory the Docker engine's {@code certs.d}, normally {@link #DOCKER_CERTS_DIRECTORY}; its
     *                       {@code <registryHost>/*.crt} are trusted in addition to the JVM's CAs
     */
    public RegistryApi(String registryHost, RegistryCredentials credentials, Retrier retrier, Duration timeout, Path certsDirectory) {
        this(registryHost, credentials, retrier, timeout, certsDirectory, isLoopback(registryHost));
    }

    /**
     * As {@link #RegistryApi(String, RegistryCredentials, Retrier, Duration, Path)}.
     *
     * @param insecure the Docker engine treats this registry as insecure (see {@link #isLoopback(String)}, and the
     *                 engine's {@code insecure-registries}): when HTTPS fails, plain HTTP is tried, as the engine does
     */
    public RegistryApi(String registryHost, RegistryCredentials credentials, Retrier retrier, Duration timeout, Path certsDirectory,
                       boolean insecure) {
        this(registryHost, URI.create("https://" + apiHost(registryHost)), insecure, credentials, retrier, timeout,
                RegistryTrust.sslContext(RegistryTrust.extraCertificateFiles(certsDirectory, registryHost)));
    }

    /**
     * A client built on first use: the JVM's trust store and the TLS context cost a cold JVM a few hundred milliseconds
     * of CPU, which a release spends better while it waits. The CA files of {@code certsDirectory} are read now, so
     * that a bad one fails before anything is done.
     *
     * @throws RegistryApiException naming a CA file that is unreadable or holds no certificate
     */
    public static Supplier<RegistryApi> deferred(String registryHost, RegistryCredentials credentials, Retrier retrier, Duration timeout,
                                                 Path certsDirectory) {
        RegistryTrust.checkCertificateFiles(RegistryTrust.extraCertificateFiles(certsDirectory, registryHost));
        return () -> new RegistryApi(registryHost, credentials, retrier, timeout, certsDirectory);
    }

    /** For tests: any base URI ({@code http://127.0.0.1:port} for a fake registry) and TLS context. */
    RegistryApi(String registryHost, URI base, RegistryCredentials credentials, Retrier retrier, Duration timeout, SSLContext tls) {
        this(registryHost, base, false, credentials, retrier, timeout, tls);
    }

    private RegistryApi(String registryHost, URI base, boolean plainHttpFallback, RegistryCredentials credentials, Retrier retrier,
                        Duration timeout, SSLContext tls) {
        this.registryHost = Objects.requireNonNull(registryHost, "registryHost");
        this.base = Objects.requireNonNull(base, "base");
        this.plainHttpFallback = plainHttpFallback;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.retrier = Objects.requireNonNull(retrier, "retrier");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        // Redirects are followed by hand: the Authorization header must not follow a blob to a storage host.
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Whether the Docker engine treats {@code host[:port]} as an insecure registry without being told: {@code localhost}
     * and {@code 127.0.0.0/8}, its default {@code insecure-registries} (a {@code localhost:5000} registry started for
     * tests speaks plain HTTP).
     */
    public static boolean isLoopback(String registryHost) {
        String host = registryHost.replaceFirst(":[0-9]+$", "");
        return host.equals("localhost") || Ipv4Cidr.contains("127.0.0.0/8", host);
    }

    private static String apiHost(String registryHost) {
        return switch (registryHost) {
            case "docker.io", "index.docker.io" -> "registry-1.docker.io";
            default -> registryHost;
        };
    }

    /**
     * The digest of what {@code repository:reference} names ({@code HEAD}), or empty when the registry has no
     * such tag.
     *
     * @param repository the name within the registry, e.g. {@code team/app} (no host)
     * @param reference  a tag or a digest
     */
    public Optional<String> manifestDigest(String repository, String reference) {
        return retrier.call("Manifest lookup of " + reference(repository, reference), () -> {
            Response response = send(repository, false, "HEAD", manifestUri(repository, reference), null, null,
                    "Manifest lookup of " + reference(repository, reference));
            if (response.status() == 404) {
                return Optional.empty();
            }
            return Optional.of(response.header("Docker-Content-Digest").orElseThrow(() -> new RegistryApiException(
                    "Manifest lookup of " + reference(repository, reference) + ": the registry answered no Docker-Content-Digest",
                    OptionalInt.of(response.status()), null)));
        });
    }

    /** The manifest {@code repository:reference} names ({@code GET}), or empty when the registry has no such tag. */
    public Optional<Manifest> manifest(String repository, String reference) {
        String what = "Manifest download of " + reference(repository, reference);
        return retrier.call(what, () -> {
            Response response = send(repository, false, "GET", manifestUri(repository, reference), null, null, what);
            if (response.status() == 404) {
                return Optional.empty();
            }
            String computed = sha256(response.body());
            String digest = response.header("Docker-Content-Digest").orElse(computed);
            if (!digest.equals(computed)) {
                throw new RegistryApiException(what + ": the registry said " + digest + " but sent content of digest " + computed,
                        OptionalInt.of(response.status()), null);
            }
            String mediaType = response.header("Content-Type").map(type -> type.split(";", 2)[0].trim()).orElse(DOCKER_MANIFEST);
            return Optional.of(new Manifest(digest, mediaType, response.body()));
        });
    }

    /**
     * A blob's bytes, checked against its digest; meant for image configs (up to {@value #MAX_BODY_BYTES} bytes).
     * Redirects to a storage host are followed without the registry's credentials.
     */
    public byte[] blob(String repository, String digest) {
        String what = "Blob download of " + repository + "@" + digest;
        return retrier.call(what, () -> {
            Response response = send(repository, false, "GET", base.resolve("/v2/" + repository + "/blobs/" + digest), null, null, what);
            if (response.status() == 404) {
                throw new RegistryApiException(what + ": the registry has no such blob", OptionalInt.of(404), null);
            }
            if (!sha256(response.body()).equals(digest)) {
                throw new RegistryApiException(what + ": the content does not match its digest", OptionalInt.of(response.status()), null);
            }
            return response.body();
        });
    }

    /** The {@code config.Labels} of an image config blob; empty when it has none. */
    public Map<String, String> configLabels(String repository, String configDigest) {
        byte[] config = blob(repository, configDigest);
        try {
            JsonNode labels = JSON.readTree(config).path("config").path("Labels");
            Map<String, String> result = new java.util.LinkedHashMap<>();
            labels.fields().forEachRemaining(entry -> result.put(entry.getKey(), entry.getValue().asText()));
            return result;
        } catch (IOException e) {
            throw new RegistryApiException("The image config " + repository + "@" + configDigest + " is not JSON: " + e.getMessage(),
                    OptionalInt.empty(), e);
        }
    }

    /**
     * Puts a manifest to a tag ({@code PUT /v2/<repository>/manifests/<tag>}): the tag then names exactly these
     * bytes. The blobs (and, for an index, the manifests) it refers to must already be in the repository.
     *
     * @return the digest the registry reports, checked to be that of {@code content}
     */
    public String putManifest(String repository, String tag, String mediaType, byte[] content) {
        String what = "Push of " + reference(repository, tag);
        String expected = sha256(content);
        byte[] body = content.clone();
        return retrier.call(what, () -> {
            Response response = send(repository, true, "PUT", manifestUri(repository, tag), mediaType, body, what);
            if (response.status() != 201 && response.status() != 200) {
                throw failure(what, response);
            }
            String digest = response.header("Docker-Content-Digest").orElse(expected);
            if (!digest.equals(expected)) {
                throw new RegistryApiException(what + ": the registry recorded " + digest + ", not the digest of the manifest sent ("
                        + expected + ")", OptionalInt.of(response.status()), null);
            }
            return digest;
        });
    }

    /** As {@link #putManifest(String, String, String, byte[])}, with a manifest read from the registry. */
    public String putManifest(String repository, String tag, Manifest manifest) {
        return putManifest(repository, tag, manifest.mediaType(), manifest.content());
    }

    /** {@code host/repository:tag}, or {@code host/repository@digest}, for messages. */
    public String reference(String repository, String reference) {
        return registryHost + "/" + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    }

    private URI manifestUri(String repository, String reference) {
        return base.resolve("/v2/" + repository + "/manifests/" + reference);
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /**
     * One request, authenticated as the registry asks: with what was accepted before, then, on a 401, with what
     * the challenge asks for, once. 2xx and 404 are returned; anything else throws.
     */
    private Response send(String repository, boolean push, String method, URI uri, String contentType, byte[] body, String what)
            throws InterruptedException {
        String scopeKey = repository + (push ? ":pull,push" : ":pull");
        Response response = exchange(method, uri, contentType, body, authorization(scopeKey), what);
        if (response.status() == 401) {
            List<AuthChallenge> challenges = response.headers().allValues("WWW-Authenticate").stream()
                    .flatMap(header -> AuthChallenge.parse(header).stream()).toList();
            Optional<String> authorization = answer(challenges, "repository:" + scopeKey, what);
            if (authorization.isPresent()) {
                response = exchange(method, uri, contentType, body, authorization, what);
            }
        }
        if (response.status() / 100 == 2 || response.status() == 404) {
            return response;
        }
        throw failure(what, response);
    }

    private Optional<String> authorization(String scopeKey) {
        String token = bearerTokens.get(scopeKey);
        if (token != null) {
            return Optional.of("Bearer " + token);
        }
        return basicAccepted ? Optional.of(basicAuthorization()) : Optional.empty();
    }

    /** The Authorization header that answers the challenges, or empty when none can be answered. */
    private Optional<String> answer(List<AuthChallenge> challenges, String scope, String what) throws InterruptedException {
        String scopeKey = scope.substring("repository:".length());
        for (AuthChallenge challenge : challenges) {
            if (challenge.isBearer() && challenge.parameter("realm").isPresent()) {
                String token = token(challenge, scope, what);
                bearerTokens.put(scopeKey, token);
                String granted = challenge.parameter("scope").orElse(scope);
                String repository = scopeKey.substring(0, scopeKey.lastIndexOf(':'));
                if (granted.contains("repository:" + repository + ":") && granted.contains("push")) {
                    // A token asked with push access serves the reads too, and the other way round for this one.
                    bearerTokens.put(repository + ":pull,push", token);
                    bearerTokens.put(repository + ":pull", token);
                }
                return Optional.of("Bearer " + token);
            }
        }
        for (AuthChallenge challenge : challenges) {
            if (challenge.isBasic() && credentials.secretKind() == RegistryCredentials.SecretKind.PASSWORD) {
                basicAccepted = true;
                return Optional.of(basicAuthorization());
            }
        }
        return Optional.empty();
    }

    private String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Asks the challenge's realm for a token (the Docker token protocol): {@code GET realm?service=&scope=} with the
     * password by HTTP Basic, or, for an identity token, {@code POST realm} with an OAuth2 refresh-token grant.
     */
    private String token(AuthChallenge challenge, String defaultScope, String what) throws InterruptedException {
        URI realm;
        try {
            realm = URI.create(challenge.parameter("realm").orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new RegistryApiException(what + ": the registry's token realm is not a URL", OptionalInt.of(401), null);
        }
        // Credentials go over TLS only. The one exception is a registry read over plain HTTP (loopback, or insecure for
        // the engine) whose realm is that very host: a plain-HTTP answer must not send the password anywhere else.
        boolean sameInsecureHost = "http".equals(base.getScheme()) && "http".equals(realm.getScheme())
                && Objects.equals(realm.getRawAuthority(), base.getRawAuthority());
        if (!"https".equals(realm.getScheme()) && !sameInsecureHost) {
            throw new RegistryApiException(what + ": the registry's token realm " + realm + " is not https; credentials are not sent there",
                    OptionalInt.of(401), null);
        }
        String service = challenge.parameter("service").orElse("");
        String scope = challenge.parameter("scope").orElse(defaultScope);
        HttpRequest.Builder request;
        if (credentials.secretKind() == RegistryCredentials.SecretKind.IDENTITY_TOKEN) {
            String form = "grant_type=refresh_token&client_id=" + encode(CLIENT_ID) + "&service=" + encode(service)
                    + "&scope=" + encode(scope) + "&refresh_token=" + encode(credentials.secret());
            request = HttpRequest.newBuilder(realm).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            String query = (realm.getRawQuery() == null ? "" : realm.getRawQuery() + "&")
                    + "service=" + encode(service) + "&scope=" + encode(scope) + "&client_id=" + encode(CLIENT_ID);
            URI uri = URI.create(realm.getScheme() + "://" + realm.getRawAuthority() + (realm.getRawPath() == null ? "" : realm.getRawPath())
                    + "?" + query);
            request = HttpRequest.newBuilder(uri).header("Authorization", basicAuthorization()).GET();
        }
        Response response = execute(request.timeout(timeout).build(), what + " (token from " + realm.getHost() + ")");
        if (response.status() != 200) {
            throw failure(what + ": the token service " + realm.getHost() + " refused user '" + credentials.username() + "'", response);
        }
        try {
            JsonNode answer = JSON.readTree(response.body());
            String token = answer.path("token").asText("");
            if (token.isEmpty()) {
                token = answer.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new RegistryApiException(what + ": the token service " + realm.getHost() + " answered no token", OptionalInt.of(200), null);
            }
            return token;
        } catch (IOException e) {
            // Neither the body nor the parser's message: they may hold a token.
            throw new RegistryApiException(what + ": the token service " + realm.getHost() + " answered something that is not JSON",
                    OptionalInt.of(200), null);
        }
    }

    private Response exchange(String method, URI uri, String contentType, byte[] body, Optional<String> authorization, String what)
            throws InterruptedException {
        URI target = uri;
        boolean sameHost = true;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (target.getPath().contains("/manifests/")) {
                request.header("Accept", String.join(", ", MANIFEST_MEDIA_TYPES));
            }
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (sameHost) {
                authorization.ifPresent(value -> request.header("Authorization", value));
            }
            Response response;
            try {
                response = execute(request.build(), what);
            } catch (RegistryApiException e) {
                if (!speaksPlainHttp(e, target)) {
                    throw e;
                }
                // An insecure registry that answered HTTPS with plain HTTP: the engine pushed to it over HTTP too.
                base = URI.create("http://" + base.getRawAuthority());
                target = URI.create("http://" + target.getRawAuthority() + target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
                response = execute(HttpRequest.newBuilder(request.build(), (name, value) -> true).uri(target).build(), what);
            }
            Optional<String> location = response.header("Location");
            if (response.status() / 100 != 3 || location.isEmpty() || !(method.equals("GET") || method.equals("HEAD"))) {
                return response;
            }
            if (redirects >= MAX_REDIRECTS) {
                throw new RegistryApiException(what + ": more than " + MAX_REDIRECTS + " redirects", OptionalInt.of(response.status()), null);
            }
            target = target.resolve(location.get());
            sameHost = Objects.equals(target.getRawAuthority(), base.getRawAuthority()) && Objects.equals(target.getScheme(), base.getScheme());
        }
    }

    private boolean speaksPlainHttp(RegistryApiException failure, URI target) {
        URI current = base;
        // Only "the other end does not speak TLS": a handshake failure (an untrusted or forged certificate) never
        // downgrades to plain HTTP.
        return plainHttpFallback && failure.getCause() instanceof SSLException && !(failure.getCause() instanceof SSLHandshakeException)
                && "https".equals(target.getScheme()) && "https".equals(current.getScheme())
                && Objects.equals(target.getRawAuthority(), current.getRawAuthority());
    }

    private Response execute(HttpRequest request, String what) throws InterruptedException {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new RegistryApiException(what + ": the answer is larger than " + MAX_BODY_BYTES + " bytes",
                        OptionalInt.of(response.statusCode()), null);
            }
            return new Response(response.statusCode(), response.headers(), body);
        } catch (HttpTimeoutException e) {
            throw new DeadlineExceededException(what + " took longer than " + timeout.toSeconds() + " s");
        } catch (SSLHandshakeException e) {
            throw new RegistryApiException(what + ": the TLS handshake with " + request.uri().getAuthority() + " failed (" + e.getMessage()
                    + "). The plugin trusts the JVM's CA certificates and, like the Docker engine, the *.crt files of "
                    + "<certs.d>/" + registryHost + "/ (see <registryCertsDirectory>, frankenphp.registry.certsDirectory).",
                    OptionalInt.empty(), e);
        } catch (SSLException e) {
            // Not a handshake failure proper: the other end does not speak TLS ("Unsupported or unrecognized SSL message").
            throw new RegistryApiException(what + ": " + request.uri().getAuthority() + " does not answer HTTPS (" + e.getMessage()
                    + "). The plugin reads registries over HTTPS, and over plain HTTP only those the Docker engine treats as "
                    + "insecure (localhost, 127.0.0.0/8, or listed in the engine's insecure-registries).", OptionalInt.empty(), e);
        } catch (IOException e) {
            // The request went out and no full answer came back: the connection was refused, reset or closed.
            throw new RegistryApiException(what + " failed: connection closed before the registry answered (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", OptionalInt.empty(), e);
        }
    }

    private static RegistryApiException failure(String what, Response response) {
        return new RegistryApiException(what + " failed: HTTP " + response.status() + reason(response.status()) + errors(response.body()),
                OptionalInt.of(response.status()), null);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 409 -> " Conflict";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    /** The registry's {@code {"errors":[{"code","message"}]}}, as "CODE: message; …"; nothing else of the body. */
    private static String errors(byte[] body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (!errors.isArray() || errors.isEmpty()) {
                return "";
            }
            List<String> parts = new java.util.ArrayList<>();
            errors.forEach(error -> parts.add(error.path("code").asText("") + ": " + error.path("message").asText("")));
            String text = String.join("; ", parts);
            return " (" + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code sha256:<hex>} of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
