package dev.vigil.local.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.local.process.LaunchException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** JSON over HTTP to Flink's REST APIs (JobManager, SQL Gateway): errors name the call. */
final class JsonHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String service;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param service what answers at {@code base}, for messages ("Flink REST API")
     */
    JsonHttp(URI base, String service) {
        this.base = base;
        this.service = service;
    }

    JsonNode get(String path) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build());
    }

    JsonNode post(String path, JsonNode body, Duration timeout) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build());
    }

    JsonNode delete(String path) {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .DELETE()
                        .build());
    }

    JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new LaunchException(
                        request.method()
                                + " "
                                + request.uri().getPath()
                                + " failed with HTTP "
                                + response.statusCode()
                                + ": "
                                + errors(response.body()));
            }
            String text = response.body();
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new LaunchException(
                    service + " at " + base + " is not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while calling " + request.uri(), e);
        }
    }

    /** The {@code errors} of a failed call, each cut to its first lines and its causes. */
    static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> lines = new ArrayList<>();
            for (JsonNode error : errors) {
                List<String> all = error.asText().lines().toList();
                for (int i = 0; i < all.size(); i++) {
                    if (i < 12 || all.get(i).strip().startsWith("Caused by: ")) {
                        lines.add(all.get(i));
                    }
                }
            }
            return lines.isEmpty() ? body : String.join("\n", lines);
        } catch (IOException e) {
            return body;
        }
    }
}
