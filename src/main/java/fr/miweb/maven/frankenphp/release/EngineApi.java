package fr.miweb.maven.frankenphp.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import fr.miweb.maven.frankenphp.docker.DockerConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Engine API calls that docker-java 3.7 does not model, over the release's own connection (ssh tunnel or TLS):
 * it has no {@code ReplicatedJob} service mode, its service update sends no registry credentials, and its
 * service spec model drops fields it does not know, which an update would then erase. Specs therefore travel
 * here as JSON trees, changed only where the release means to.
 */
final class EngineApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerHttpClient http;
    private final String prefix;

    EngineApi(DockerConnection connection) {
        this.http = connection.httpClient();
        this.prefix = "/v" + connection.apiVersion();
    }

    /** An error answer of the engine: its status and its message. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    JsonNode get(String path) {
        return call(DockerHttpClient.Request.Method.GET, path, null, Map.of());
    }

    JsonNode get(String path, Map<String, String> headers) {
        return call(DockerHttpClient.Request.Method.GET, path, null, headers);
    }

    JsonNode post(String path, JsonNode body, Map<String, String> headers) {
        return call(DockerHttpClient.Request.Method.POST, path, body, headers);
    }

    void delete(String path) {
        call(DockerHttpClient.Request.Method.DELETE, path, null, Map.of());
    }

    /** The lines of a logs endpoint ({@code /services/ID/logs?...}), demultiplexed. */
    List<String> logLines(String path) {
        byte[] body = raw(DockerHttpClient.Request.Method.GET, path, null, Map.of());
        String text = demultiplex(body);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.stripTrailing());
            }
        }
        return lines;
    }

    /** {@code ?filters=} for a list endpoint: {@code {"label":["k=v"]}}. */
    static String filters(String key, String value) {
        return "filters=" + URLEncoder.encode(JSON.createObjectNode().set(key, JSON.createArrayNode().add(value)).toString(),
                StandardCharsets.UTF_8);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The {@code X-Registry-Auth} header, as the Docker CLI sends it with {@code --with-registry-auth}:
     * base64url JSON. The engine forwards it to the nodes that pull the image.
     */
    static Map<String, String> registryAuth(AuthConfig auth) {
        Map<String, String> json = new LinkedHashMap<>();
        if (auth.getUsername() != null) {
            json.put("username", auth.getUsername());
        }
        if (auth.getPassword() != null) {
            json.put("password", auth.getPassword());
        }
        if (auth.getIdentitytoken() != null) {
            json.put("identitytoken", auth.getIdentitytoken());
        }
        if (auth.getRegistryAddress() != null) {
            json.put("serveraddress", auth.getRegistryAddress());
        }
        try {
            return Map.of("X-Registry-Auth", Base64.getUrlEncoder().encodeToString(JSON.writeValueAsBytes(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, JsonNode body, Map<String, String> headers) {
        byte[] answer = raw(method, path, body, headers);
        if (answer.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new Failure(0, "unreadable answer to " + method + " " + path + ": " + e.getMessage());
        }
    }

    private byte[] raw(DockerHttpClient.Request.Method method, String path, JsonNode body, Map<String, String> headers) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(prefix + path)
                .putAllHeaders(headers);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").bodyBytes(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        try (DockerHttpClient.Response response = http.execute(request.build())) {
            byte[] answer = response.getBody().readAllBytes();
            int status = response.getStatusCode();
            if (status >= 300) {
                String message = new String(answer, StandardCharsets.UTF_8).strip();
                try {
                    message = JSON.readTree(answer).path("message").asText(message);
                } catch (IOException notJson) {
                    // The raw text then.
                }
                throw new Failure(status, message);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("the connection to the engine failed during " + method + " " + path, e);
        }
    }

    /** A non-TTY logs stream is framed: one byte stream type, three zero bytes, a big-endian length. */
    static String demultiplex(byte[] body) {
        ByteBuffer buffer = ByteBuffer.wrap(body);
        StringBuilder text = new StringBuilder();
        while (buffer.remaining() >= 8) {
            int start = buffer.position();
            byte type = buffer.get(start);
            if (type < 0 || type > 2 || buffer.get(start + 1) != 0 || buffer.get(start + 2) != 0 || buffer.get(start + 3) != 0) {
                break;
            }
            int length = buffer.getInt(start + 4);
            if (length < 0 || length > buffer.remaining() - 8) {
                break;
            }
            text.append(new String(body, start + 8, length, StandardCharsets.UTF_8));
            buffer.position(start + 8 + length);
        }
        if (buffer.hasRemaining()) {
            text.append(new String(body, buffer.position(), buffer.remaining(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
