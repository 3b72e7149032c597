package fr.miweb.maven.frankenphp.release;

import fr.miweb.maven.frankenphp.config.ReleaseSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release of one version through the server's Watchtower ({@code <release><target>watchtower</target>}):
 * {@code POST /v1/update} on its HTTP API with the bearer token, then {@code <release><url>} polled until it
 * answers 200 <em>and</em> reports the new version, all within {@code <release><healthTimeout>}.
 *
 * <p>Watchtower pulls {@code latest} and recreates the labelled containers, stop then start: there is no health
 * gate and no migrations, and the old container is gone before the new one answers. This class only triggers it
 * and proves the outcome. How the URL reports its version: an {@value #VERSION_HEADER} header, which decides when
 * present; otherwise the version anywhere in the body, as a whole word (not as part of a longer version).
 *
 * <p>The token is sent in the {@code Authorization} header and nowhere else: no message or log line of this
 * class contains it.
 */
public final class WatchtowerRelease {

    /** The response header that names the version the app runs (the image's {@code APP_VERSION}). */
    public static final String VERSION_HEADER = "X-App-Version";
    static final String UPDATE_PATH = "/v1/update";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 64 * 1024;
    private static final int EXCERPT = 200;
    /** Characters a version tag is made of: a version is found in a body only when none of them surround it. */
    private static final String TAG_CHARACTER = "[A-Za-z0-9_.-]";
    private static final Pattern JSON_VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"\\\\]{1,128})\"");
    private static final Pattern SUMMARY_COUNT = Pattern.compile("\"(scanned|updated|failed|restarted)\"\\s*:\\s*(\\d+)");

    private final ReleaseSettings settings;
    private final String token;
    private final String tokenSource;
    private final ComposeRelease.Log log;
    private final HttpClient http;

    /**
     * @param settings       {@code watchtowerUrl}, {@code url} and {@code healthTimeout} are used
     * @param token          Watchtower's {@code --http-api-token}
     * @param tokenSource    where the token was found, for messages ("settings.xml &lt;server&gt; 'watchtower'")
     * @param connectTimeout how long Watchtower and the app have to accept a connection
     * @param log            receives what happens, one line at a time
     */
    public WatchtowerRelease(ReleaseSettings settings, String token, String tokenSource, Duration connectTimeout,
                             ComposeRelease.Log log) throws ReleaseException {
        this.settings = settings;
        this.tokenSource = tokenSource;
        this.log = log;
        if (settings.watchtowerUrl().isEmpty() || settings.url().isEmpty()) {
            throw new ReleaseException("<release><target>watchtower</target> needs <release><watchtowerUrl> and <release><url>.", true);
        }
        if (token == null || token.isBlank()) {
            throw new ReleaseException("The Watchtower API token in " + tokenSource + " is empty. Set its <password> to the "
                    + "--http-api-token Watchtower runs with.", true);
        }
        if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            // Never shown: a header value with spaces or control characters would be refused or split.
            throw new ReleaseException("The Watchtower API token in " + tokenSource + " contains spaces or control characters "
                    + "(not shown). Set its <password> to the --http-api-token Watchtower runs with, on one line.", true);
        }
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build(); // the token must never follow a redirect
    }

    /**
     * @param version         the version now serving
     * @param previousVersion the version the URL reported before the update, if it reported one
     * @param watchtower      Watchtower's summary of the update ("scanned 3, updated 3, failed 0"), if it gave one
     * @param took            from the trigger to the URL reporting the version
     */
    public record Result(String version, Optional<String> previousVersion, Optional<String> watchtower, Duration took) {
    }

    /**
     * What one request to {@code <release><url>} showed.
     *
     * @param status   the HTTP status, or -1 when no answer came
     * @param reported the version the response names (the header, or a JSON {@code "version"} field)
     * @param serves   whether it answered 200 on the wanted version
     * @param describe what was seen, for the log and messages
     */
    record Observation(int status, Optional<String> reported, boolean serves, String describe) {
    }

    /** Releases {@code version}, already pushed as {@code latest}: triggers Watchtower and waits for the URL to report it. */
    public Result release(String repository, String version) throws ReleaseException {
        long start = System.nanoTime();
        long deadline = start + settings.healthTimeout().toNanos();
        Observation before = observe(version, deadline);
        log.info("Serving now at " + appUrl() + ": " + before.describe());
        Optional<String> summary = trigger(repository, deadline);
        Observation last = waitForVersion(version, deadline, summary);
        log.info(appUrl() + " answers 200 on " + version + " (" + last.describe() + ")");
        return new Result(version, before.reported().filter(v -> !v.equals(version)), summary,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Goes back to {@code version}: moves {@code latest} in the registry to it (Watchtower follows {@code latest}),
     * then releases it like a new version.
     */
    public Result rollback(String repository, String version, RegistryLatestTag latest) throws ReleaseException {
        String digest = latest.pointAt(version);
        log.info("latest in the registry now names " + version + " (" + digest + ")");
        try {
            return release(repository, version);
        } catch (ReleaseException e) {
            throw new ReleaseException(e.getMessage() + "\nlatest in the registry already names " + version
                    + ": Watchtower's next periodic poll (--http-api-periodic-polls) installs it, or run this rollback again.",
                    e.userFixable(), e);
        }
    }

    /** {@code POST /v1/update}, limited to this image when Watchtower can match its name. */
    private Optional<String> trigger(String repository, long deadline) throws ReleaseException {
        URI endpoint = updateEndpoint(settings.watchtowerUrl().orElseThrow(), repository);
        log.info("Triggering Watchtower: POST " + endpoint + " (token from " + tokenSource + ")");
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(remaining(deadline))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new ReleaseException("Could not connect to Watchtower at " + endpoint + " within "
                    + http.connectTimeout().orElseThrow().toSeconds() + " s (<connectTimeout>). " + reachFix(), true, e);
        } catch (ConnectException e) {
            throw new ReleaseException("Could not connect to Watchtower at " + endpoint + ": " + describe(e) + ". " + reachFix(), true, e);
        } catch (HttpTimeoutException e) {
            throw new ReleaseException("Watchtower at " + endpoint + " did not finish the update within "
                    + settings.healthTimeout().toSeconds() + " s (<release><healthTimeout>); it may still be pulling, or stopping "
                    + "containers with its --stop-timeout. Check its log (docker logs watchtower), then " + appUrl()
                    + ". Raise <release><healthTimeout> if updates legitimately take longer.", true, e);
        } catch (IOException e) {
            throw new ReleaseException("The request to Watchtower at " + endpoint + " failed: " + describe(e)
                    + ". Nothing is known to be updated; run the release again.", false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted while Watchtower updated; it may finish the update on its own.", false, e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ReleaseException("Watchtower at " + endpoint + " refused the API token from " + tokenSource + " (HTTP " + status
                    + "). Set that <password> to the --http-api-token Watchtower runs with (<release><watchtowerServerId> names the "
                    + "<server>). Nothing was updated.", true);
        }
        if (status == 404 || status == 405) {
            throw new ReleaseException("Watchtower at " + endpoint + " has no update API (HTTP " + status + "). Run it with "
                    + "--http-api-update (DEPLOY.md), and check <release><watchtowerUrl>. Nothing was updated.", true);
        }
        if (status == 429) {
            throw new ReleaseException("Watchtower at " + endpoint + " is already running an update (HTTP 429). Run the release "
                    + "again once it is done: latest already names the new version.", false);
        }
        if (status != 200) {
            throw new ReleaseException("Watchtower at " + endpoint + " answered HTTP " + status + ": " + excerpt(response.body())
                    + ". Check its log (docker logs watchtower).", false);
        }
        Optional<String> summary = summary(response.body());
        log.info("Watchtower answered" + summary.map(s -> ": " + s).orElse(" (no summary)"));
        return summary;
    }

    private Observation waitForVersion(String version, long deadline, Optional<String> summary) throws ReleaseException {
        log.info("Waiting for " + appUrl() + " to answer 200 on " + version + " (at most "
                + settings.healthTimeout().toSeconds() + " s from the trigger, <release><healthTimeout>)");
        Observation last;
        while (true) {
            last = observe(version, deadline);
            if (last.serves()) {
                return last;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            sleep(POLL);
        }
        throw new ReleaseException(appUrl() + " (<release><url>) did not answer 200 on " + version + " within "
                + settings.healthTimeout().toSeconds() + " s (<release><healthTimeout>). Last seen: " + last.describe() + "."
                + summary.map(s -> " Watchtower reported: " + s + ".").orElse("")
                + " The app must report the version it runs (the image's APP_VERSION) in an " + VERSION_HEADER
                + " header or in the body of that URL (docs/deploy.md). Watchtower stops the old container before it starts "
                + "the new one: check the app (docker logs) and Watchtower's log.", true);
    }

    /** One GET of {@code <release><url>}. */
    Observation observe(String version, long deadline) throws ReleaseException {
        URI url = appUrl();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(shorter(PROBE_TIMEOUT, remaining(deadline)))
                .header("Cache-Control", "no-cache").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            }
            return observation(response.statusCode(), response.headers().firstValue(VERSION_HEADER), body, version);
        } catch (IOException e) {
            return new Observation(-1, Optional.empty(), false, "no answer (" + describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted while waiting for " + url + "; Watchtower may finish the update on its own.", false, e);
        }
    }

    /** What a response shows: whether it serves {@code version}, and which version it names. */
    static Observation observation(int status, Optional<String> header, String body, String version) {
        Optional<String> headerVersion = header.map(String::strip).filter(h -> !h.isEmpty());
        boolean named;
        Optional<String> reported;
        String how;
        if (headerVersion.isPresent()) {
            named = headerVersion.get().equals(version);
            reported = headerVersion;
            how = VERSION_HEADER + ": " + headerVersion.get();
        } else {
            named = containsVersion(body, version);
            Matcher json = JSON_VERSION.matcher(body);
            reported = named ? Optional.of(version) : json.find() ? Optional.of(json.group(1)) : Optional.empty();
            how = named ? version + " in the body" : reported.map(r -> "version " + r + " in the body")
                    .orElse("no " + VERSION_HEADER + " header and no version in the body: " + excerpt(body));
        }
        return new Observation(status, reported, status == 200 && named, "HTTP " + status + ", " + how);
    }

    /** The version as a whole word: {@code 1.0.0} is not found in {@code 1.0.0-rc1} nor in {@code 11.0.0}. */
    static boolean containsVersion(String body, String version) {
        return Pattern.compile("(?<!" + TAG_CHARACTER + ")" + Pattern.quote(version) + "(?!" + TAG_CHARACTER + ")").matcher(body).find();
    }

    /**
     * {@code <watchtowerUrl>/v1/update}, with {@code ?image=<repository>} when the registry has no port: Watchtower
     * compares the filter with the part of a container's image name before its first ':', so a registry port would
     * match nothing. Without the filter, Watchtower updates every container it watches.
     */
    static URI updateEndpoint(URI base, String repository) {
        String path = Optional.ofNullable(base.getRawPath()).orElse("").replaceAll("/+$", "") + UPDATE_PATH;
        String registry = repository.substring(0, Math.max(0, repository.indexOf('/')));
        String query = registry.contains(":") ? "" : "?image=" + URLEncoder.encode(repository, StandardCharsets.UTF_8);
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + query);
    }

    /** Watchtower's JSON answer, as "scanned 3, updated 3, failed 0". */
    static Optional<String> summary(String body) {
        Map<String, String> counts = new LinkedHashMap<>();
        Matcher matcher = SUMMARY_COUNT.matcher(body == null ? "" : body);
        while (matcher.find()) {
            counts.putIfAbsent(matcher.group(1), matcher.group(2));
        }
        if (counts.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((key, count) -> text.append(text.length() == 0 ? "" : ", ").append(key).append(' ').append(count));
        return Optional.of(text.toString());
    }

    private URI appUrl() {
        return settings.url().orElseThrow();
    }

    private String reachFix() {
        return "Is Watchtower running with --http-api-update and its port published (DEPLOY.md)? Check <release><watchtowerUrl>. "
                + "Nothing was updated.";
    }

    private static String excerpt(String body) {
        String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            return "(empty body)";
        }
        return line.length() > EXCERPT ? line.substring(0, EXCERPT) + "…" : line;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        // A request needs some time even when the deadline is near: the last probe still gets a chance.
        return left > Duration.ofSeconds(1).toNanos() ? Duration.ofNanos(left) : Duration.ofSeconds(1);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) throws ReleaseException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("The release was interrupted; Watchtower may finish the update on its own.", false, e);
        }
    }

    @Override
    public String toString() {
        return "WatchtowerRelease[" + settings.watchtowerUrl().map(URI::toString).orElse("") + ", token from " + tokenSource + "]";
    }
}
