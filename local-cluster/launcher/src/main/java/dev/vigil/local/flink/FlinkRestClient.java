package dev.vigil.local.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.local.process.LaunchException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The few calls of Flink's REST API the local stack needs: health, jar upload and run, jobs, stop.
 */
public final class FlinkRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final JsonHttp http;

    public FlinkRestClient(String host, int port) {
        this(URI.create("http://" + host + ":" + port));
    }

    /** A client of the REST API at {@code base}, e.g. {@code http://jobmanager:8081}. */
    public FlinkRestClient(URI base) {
        this.base = base;
        this.http = new JsonHttp(base, "Flink REST API");
    }

    /** A running or finished job as the JobManager reports it; its start in epoch millis. */
    public record Job(String id, String name, String state, long startTime) {}

    /** GET /overview; empty when the JobManager does not answer. */
    public Optional<JsonNode> overview() {
        try {
            return Optional.of(get("/overview"));
        } catch (LaunchException e) {
            return Optional.empty();
        }
    }

    /** All jobs the JobManager knows. */
    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            jobs.add(
                    new Job(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText(),
                            job.path("start-time").asLong()));
        }
        return jobs;
    }

    /** GET /jobs/:id: state, start-time, end-time, duration and vertex details of one job. */
    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /**
     * The value of each subtask metric of job {@code jobId} whose id ends with {@code suffix} (an
     * operator's metric is {@code <operator>.<metric>}), averaged over the subtasks, by metric id.
     */
    public java.util.Map<String, Double> subtaskMetrics(String jobId, String suffix) {
        java.util.Map<String, Double> values = new java.util.TreeMap<>();
        for (JsonNode vertex : job(jobId).path("vertices")) {
            String base = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            for (JsonNode metric : get(base + "/subtasks/metrics")) {
                String id = metric.path("id").asText();
                if (!id.endsWith(suffix)) {
                    continue;
                }
                for (JsonNode value :
                        get(
                                base
                                        + "/subtasks/metrics?get="
                                        + java.net.URLEncoder.encode(
                                                id, java.nio.charset.StandardCharsets.UTF_8))) {
                    values.put(id, value.path("avg").asDouble());
                }
            }
        }
        return values;
    }

    /** GET /jobs/:id/exceptions: the job's failures since it started, newest first. */
    public JsonNode exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions");
    }

    /**
     * Uploads a job jar over the web submission API; returns its jar id. The local stack's cluster
     * refuses it (web submission is off, jobs go as JobGraphs through {@link JobSubmission}): kept
     * to check exactly that.
     */
    public String uploadJar(Path jar) {
        String boundary = "vigil-" + UUID.randomUUID();
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(
                    ("--"
                                    + boundary
                                    + "\r\n"
                                    + "Content-Disposition: form-data; name=\"jarfile\";"
                                    + " filename=\""
                                    + jar.getFileName()
                                    + "\"\r\n"
                                    + "Content-Type: application/x-java-archive\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpRequest request =
                    HttpRequest.newBuilder(base.resolve("/jars/upload"))
                            .timeout(Duration.ofMinutes(2))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build();
            JsonNode response = send(request);
            String file = response.path("filename").asText();
            if (file.isEmpty()) {
                throw new LaunchException("jar upload answered without a file name: " + response);
            }
            return Path.of(file).getFileName().toString();
        } catch (IOException e) {
            throw new LaunchException("cannot read job jar " + jar, e);
        }
    }

    /**
     * Stops a job with a savepoint in {@code directory} and returns the savepoint's location; waits
     * at most {@code timeout}.
     */
    public String stopWithSavepoint(String jobId, String directory, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", directory);
        body.put("drain", false);
        String trigger =
                post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30))
                        .path("request-id")
                        .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new LaunchException(
                            "savepoint of job "
                                    + jobId
                                    + " failed: "
                                    + operation.path("failure-cause").path("class").asText()
                                    + " "
                                    + operation
                                            .path("failure-cause")
                                            .path("stack-trace")
                                            .asText()
                                            .lines()
                                            .findFirst()
                                            .orElse(""));
                }
                return operation.path("location").asText();
            }
            sleep(500);
        }
        throw new LaunchException(
                "savepoint of job " + jobId + " did not complete within " + timeout);
    }

    /** GET /jobs/:id/checkpoints: counts, the latest checkpoints and the recent history. */
    public JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** Location of the job's latest completed checkpoint, if it has one. */
    public java.util.Optional<String> latestCheckpoint(String jobId) {
        String path =
                checkpoints(jobId)
                        .path("latest")
                        .path("completed")
                        .path("external_path")
                        .asText("");
        return path.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(path);
    }

    /** Cancels a job (no savepoint). */
    public void cancel(String jobId) {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .timeout(Duration.ofSeconds(30))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build();
        send(request);
    }

    /** The root exception of a failed or restarting job, for error messages. */
    /**
     * How many times {@code jobId} has restarted (its {@code numRestarts} metric), 0 if unknown.
     */
    public long restarts(String jobId) {
        try {
            for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
                if (metric.path("id").asText().equals("numRestarts")) {
                    return Long.parseLong(metric.path("value").asText("0"));
                }
            }
        } catch (LaunchException | NumberFormatException e) {
            // a job that just finished has no metrics any more
        }
        return 0;
    }

    /** The first line of the newest exception of {@code jobId}, if it had one. */
    public Optional<String> lastException(String jobId) {
        try {
            JsonNode exceptions = get("/jobs/" + jobId + "/exceptions");
            String trace = exceptions.path("root-exception").asText("");
            if (trace.isBlank()) {
                JsonNode entries = exceptions.path("exceptionHistory").path("entries");
                if (entries.isArray() && !entries.isEmpty()) {
                    trace = entries.get(0).path("stacktrace").asText("");
                }
            }
            return trace.lines().findFirst().filter(l -> !l.isBlank());
        } catch (LaunchException e) {
            return Optional.empty();
        }
    }

    public String rootException(String jobId) {
        JsonNode exceptions = get("/jobs/" + jobId + "/exceptions");
        String trace = exceptions.path("root-exception").asText("");
        return trace.lines()
                .limit(8)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("(no exception recorded)");
    }

    private JsonNode get(String path) {
        return http.get(path);
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) {
        return http.post(path, body, timeout);
    }

    private JsonNode send(HttpRequest request) {
        return http.send(request);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }
}
