package dev.vigil.local.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.local.process.LaunchException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session of a Flink SQL Gateway over its REST API (v1): statements in, rows out. Used to
 * register the {@code vigil} catalog on a gateway {@code vigil up} did not start.
 */
public final class SqlGatewayClient implements AutoCloseable {

    private final JsonHttp http;
    private final String session;

    private SqlGatewayClient(JsonHttp http, String session) {
        this.http = http;
        this.session = session;
    }

    /** Opens a session with {@code properties} (e.g. {@code execution.runtime-mode=batch}). */
    public static SqlGatewayClient open(URI endpoint, Map<String, String> properties) {
        JsonHttp http = new JsonHttp(endpoint, "SQL Gateway");
        ObjectNode body = JsonHttp.JSON.createObjectNode();
        ObjectNode props = body.putObject("properties");
        properties.forEach(props::put);
        JsonNode opened = http.post("/v1/sessions", body, Duration.ofSeconds(30));
        return new SqlGatewayClient(http, opened.path("sessionHandle").asText());
    }

    /**
     * Runs {@code statement} and returns its rows, each field as text ({@code null} for SQL NULL);
     * fails with the gateway's error cut to its message and cause.
     */
    public List<List<String>> execute(String statement, Duration timeout) {
        ObjectNode body = JsonHttp.JSON.createObjectNode().put("statement", statement);
        String operation;
        try {
            operation =
                    http.post("/v1/sessions/" + session + "/statements", body, timeout)
                            .path("operationHandle")
                            .asText();
        } catch (LaunchException e) {
            throw failed(statement, e);
        }
        List<List<String>> rows = new ArrayList<>();
        String next = "/v1/sessions/" + session + "/operations/" + operation + "/result/0";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (next != null) {
            JsonNode page;
            try {
                page = http.get(next);
            } catch (LaunchException e) {
                throw failed(statement, e);
            }
            String type = page.path("resultType").asText();
            for (JsonNode row : page.path("results").path("data")) {
                List<String> fields = new ArrayList<>();
                for (JsonNode field : row.path("fields")) {
                    fields.add(field.isNull() ? null : field.asText());
                }
                rows.add(fields);
            }
            if (type.equals("EOS")) {
                break;
            }
            if (!type.equals("NOT_READY")) {
                next = page.path("nextResultUri").asText(null);
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException(
                        "the SQL Gateway did not finish '"
                                + statement
                                + "' within "
                                + timeout.toSeconds()
                                + " s");
            }
            if (type.equals("NOT_READY")) {
                sleep();
            }
        }
        return rows;
    }

    private static LaunchException failed(String statement, LaunchException e) {
        return new LaunchException(
                "the SQL Gateway refused '"
                        + firstLine(statement)
                        + "': "
                        + SqlErrors.summary(e.getMessage()),
                e);
    }

    private static String firstLine(String statement) {
        String first = statement.strip().lines().findFirst().orElse("");
        return statement.strip().contains("\n") ? first + " ..." : first;
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    /** Closes the session. */
    @Override
    public void close() {
        try {
            http.delete("/v1/sessions/" + session);
        } catch (LaunchException e) {
            // the gateway drops idle sessions itself
        }
    }
}
