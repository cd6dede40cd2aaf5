package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.local.LocalStack;
import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the benchmarks on the real local cluster share: input, Kafka reads, job waits. */
public final class BenchCluster {

    private BenchCluster() {}

    /**
     * Writes {@code minutes} of event time of a fleet of {@code nodes} (seed 42, six attacks and
     * near misses per scenario type per hour) as fast as possible, ending before now; returns the
     * number of telemetry records written. Every run writes the same event times: the last UTC
     * midnight that leaves room for the whole run (the simulated load follows the time of day).
     */
    /**
     * Submits jobs from the job jar at {@code jar} as {@code vigil up} does (JobGraphs from a
     * client JVM, the cluster takes no jar uploads); returns their ids in order.
     */
    public static List<String> submit(
            LocalStack stack, String jar, List<dev.vigil.local.flink.JobSubmission.Request> jobs) {
        return new dev.vigil.local.flink.JobSubmission(stack.flink()).submit(Path.of(jar), jobs);
    }

    /** Submits one job; returns its id. */
    public static String submit(
            LocalStack stack, String jar, String entryClass, List<String> args) {
        return submit(
                        stack,
                        jar,
                        List.of(
                                new dev.vigil.local.flink.JobSubmission.Request(
                                        entryClass, args, null)))
                .get(0);
    }

    public static long simulate(LocalStack stack, int nodes, int minutes) {
        Instant now = Instant.now();
        Instant start = now.truncatedTo(ChronoUnit.DAYS);
        if (start.plus(Duration.ofMinutes(minutes + 2)).isAfter(now)) {
            start = start.minus(Duration.ofDays(1));
        }
        SimulatorOptions options =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            stack.settings().bootstrapServers(),
                            "--kafka.properties",
                            adminProperties(stack),
                            "--nodes",
                            Integer.toString(nodes),
                            "--rate",
                            "max",
                            "--duration",
                            minutes + "m",
                            "--start",
                            start.toString(),
                            "--seed",
                            "42",
                            // more attacks than the default, so that the rules have work to do
                            "--scenarios-per-hour",
                            "6"
                        },
                        Instant.now());
        if (!SimulatorMain.run(options)) {
            throw new IllegalStateException("the simulator failed");
        }
        return committedRecords(stack, dev.vigil.schema.Topic.TELEMETRY.topicName());
    }

    /**
     * Produces a fleet of about {@code nodes} nodes in real time (seed 7, event time = wall clock
     * from {@code start}) for {@code seconds} to the topics under {@code topicPrefix}; returns when
     * done.
     */
    public static void simulateRealtime(
            LocalStack stack,
            int nodes,
            int seconds,
            String topicPrefix,
            double scenariosPerHour,
            Instant start) {
        SimulatorOptions options =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            stack.settings().bootstrapServers(),
                            "--kafka.properties",
                            adminProperties(stack),
                            "--nodes",
                            Integer.toString(nodes),
                            "--rate",
                            "realtime",
                            "--duration",
                            seconds + "s",
                            "--topic-prefix",
                            topicPrefix,
                            "--seed",
                            "7",
                            "--scenarios-per-hour",
                            Double.toString(scenariosPerHour)
                        },
                        start);
        if (!SimulatorMain.run(options)) {
            throw new IllegalStateException("the simulator failed");
        }
    }

    /** Records between the first and the last offset of a non-transactional topic. */
    public static long committedRecords(LocalStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            long total = 0;
            for (TopicPartition p : partitions) {
                total += end.get(p) - begin.get(p);
            }
            return total;
        }
    }

    /** Records of a transactionally written topic (whose offsets also count commit markers). */
    public static long countRecords(LocalStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    /** Every partition of {@code topic}. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /**
     * The admin's client properties file: the benchmarks' jobs and clients use the topics of their
     * own runs, which no role's ACLs name, so they connect as the admin (over TLS + SCRAM like
     * every client; the authorizer's super-user check is the cheapest it makes).
     */
    public static String adminProperties(LocalStack stack) {
        return stack.security().clientProperties(StackPrincipals.ADMIN).toString();
    }

    /** A read_committed byte consumer without a group. */
    public static KafkaConsumer<byte[], byte[]> consumer(LocalStack stack) {
        Properties properties = stack.kafka(StackPrincipals.ADMIN).toProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(
                properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until {@code job} finishes; its failure or cancellation is an exception. */
    public static JsonNode awaitFinished(FlinkRestClient rest, String job)
            throws InterruptedException {
        while (true) {
            JsonNode details = rest.job(job);
            String state = details.path("state").asText();
            if (state.equals("FINISHED")) {
                return details;
            }
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new IllegalStateException(
                        "job " + job + " " + state + ": " + rest.rootException(job));
            }
            Thread.sleep(200);
        }
    }

    /** Waits until every task of {@code job} runs. */
    public static void awaitRunning(FlinkRestClient rest, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode details = rest.job(job);
            String state = details.path("state").asText();
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new IllegalStateException(
                        "job " + job + " " + state + ": " + rest.rootException(job));
            }
            boolean all = details.path("vertices").size() > 0;
            for (JsonNode vertex : details.path("vertices")) {
                all &= vertex.path("status").asText().equals("RUNNING");
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + job + " did not start within 2 minutes");
    }

    /** The job jar the build puts under jobs/target. */
    public static Path findJobJar() {
        try (Stream<Path> jars = Files.list(Path.of("jobs/target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "job jar not found under jobs/target: build with mvn -DskipTests package", e);
        }
    }

    /** {@code --key value} pairs. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --<option>, found " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(key, args[++i]);
            } else {
                options.put(key, "true");
            }
        }
        return options;
    }

    /** Deletes {@code dir} and everything in it. */
    public static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            all.forEach(p -> p.toFile().delete());
        }
    }
}
