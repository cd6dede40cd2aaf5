package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vigil.local.LocalStack;
import dev.vigil.local.StackSettings;
import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.kafka.TopicSetup;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Threat-detection throughput and latency on the real local cluster (a broker, a JobManager and a
 * TaskManager on free ports in a temporary directory, stopped at the end):
 *
 * <ol>
 *   <li>the simulator writes the same telemetry (fixed seed) once;
 *   <li>the job replays it (bounded) with 0, 15, 100 and 1,000 rules, and with 1,000 rules most of
 *       which watch a rare event type; each run reports events/s and events/s per core of the
 *       TaskManager's CPU time, against the 0-rule run (ingest, enrichment, routing) measured in
 *       the same process;
 *   <li>the job runs live against the simulator in real time with 100 rules, and reports the
 *       processing-time latency from an alert's last event to its emission, and to its visibility
 *       to a read_committed consumer.
 * </ol>
 *
 * <p>Run with {@code bench/run-threat.sh [--nodes 200] [--minutes 20] [--live-seconds 120]
 * [--repeats 3] [--sets 0,15,100,1000,1000-rare]}; each figure is the median of the repeats.
 */
public final class ThreatBenchmark {

    private ThreatBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchCluster.options(args);
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "200"));
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "20"));
        int liveSeconds = Integer.parseInt(options.getOrDefault("live-seconds", "120"));
        int repeats = Integer.parseInt(options.getOrDefault("repeats", "3"));
        Path jobJar =
                options.containsKey("job-jar")
                        ? Path.of(options.get("job-jar"))
                        : BenchCluster.findJobJar();
        Path dir = Files.createTempDirectory("vigil-bench-");
        LocalStack stack =
                new LocalStack(
                        StackSettings.onFreePorts(dir), line -> System.out.println("  " + line));
        try {
            stack.start();
            long events = BenchCluster.simulate(stack, nodes, minutes);
            System.out.printf(
                    "%n%,d events of %d nodes over %d minutes of event time in %s%n%n",
                    events, nodes, minutes, Topic.TELEMETRY.topicName());
            FlinkRestClient rest = stack.flink().rest();
            String jar = jobJar.toString();
            Map<String, ArrayNode> sets = new LinkedHashMap<>();
            List<String> wanted =
                    List.of(options.getOrDefault("sets", "0,15,100,1000,1000-rare").split(","));
            if (wanted.contains("0")) {
                sets.put("0 rules (ingest, enrich, route)", RuleVariants.matching(0));
            }
            if (wanted.contains("15")) {
                sets.put("15 rules", RuleVariants.matching(15));
            }
            if (wanted.contains("100")) {
                sets.put("100 rules", RuleVariants.matching(100));
            }
            if (wanted.contains("1000")) {
                sets.put("1,000 rules", RuleVariants.matching(1000));
            }
            if (wanted.contains("1000-rare")) {
                sets.put("1,000 rules, 983 on a rare type", RuleVariants.rarelyMatching(1000));
            }
            List<String[]> rows = new ArrayList<>();
            double baseline = 0;
            int run = 0;
            // a first replay warms the TaskManager up (class loading, JIT); it is not reported
            replay(
                    stack,
                    rest,
                    jar,
                    RuleVariants.write(
                            RuleVariants.matching(100), dir.resolve("rules-warm-up.json")),
                    "bench-warm-up");
            for (Map.Entry<String, ArrayNode> set : sets.entrySet()) {
                Path rules =
                        RuleVariants.write(set.getValue(), dir.resolve("rules-" + run + ".json"));
                // the median of several replays by CPU time: single short runs vary by +-15 %
                List<Result> results = new ArrayList<>();
                for (int i = 0; i < repeats; i++) {
                    results.add(replay(stack, rest, jar, rules, "bench-" + run++));
                }
                results.sort(Comparator.comparingDouble(Result::cpuSeconds));
                Result r = results.get(results.size() / 2);
                double perSecond = events / r.seconds;
                double perCore = events / r.cpuSeconds;
                if (baseline == 0) {
                    baseline = perCore;
                }
                rows.add(
                        new String[] {
                            set.getKey(),
                            String.format("%,.0f", perSecond),
                            String.format("%,.0f", perCore),
                            String.format("%.2f", perCore / baseline),
                            String.format("%.1f", r.seconds),
                            String.format("%.1f", r.cpuSeconds),
                            String.format("%,d", r.alerts)
                        });
                System.out.printf(
                        "  %s: %.0f events/s, %.0f events/s per core%n",
                        set.getKey(), perSecond, perCore);
            }
            System.out.println();
            System.out.println(
                    "| rules | events/s | events/s per core | vs. 0 rules | wall s | TaskManager"
                            + " CPU s | alerts |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String[] row : rows) {
                System.out.println("| " + String.join(" | ", row) + " |");
            }
            if (liveSeconds > 0) {
                live(stack, rest, jar, dir, nodes, liveSeconds);
            }
        } finally {
            stack.stop();
            BenchCluster.delete(dir);
        }
    }

    private record Result(double seconds, double cpuSeconds, long alerts) {}

    private static Result replay(
            LocalStack stack, FlinkRestClient rest, String jar, Path rules, String name)
            throws Exception {
        String alerts = name + "-alerts";
        TopicSetup.create(
                stack.kafka().adminProperties(),
                List.of(
                        TopicSetup.newTopic(alerts, 4, Map.of()),
                        TopicSetup.newTopic(name + "-acks", 1, Map.of()),
                        TopicSetup.newTopic(name + "-dead-letters", 1, Map.of())));
        ProcessHandle taskManager =
                ProcessHandle.of(
                                stack.flink()
                                        .running(FlinkSessionCluster.TASKMANAGER)
                                        .orElseThrow()
                                        .pid())
                        .orElseThrow();
        Duration cpuBefore = taskManager.info().totalCpuDuration().orElseThrow();
        String job =
                BenchCluster.submit(
                        stack,
                        jar,
                        "dev.vigil.jobs.threat.ThreatDetectionJob",
                        List.of(
                                "--bootstrap.servers",
                                stack.settings().bootstrapServers(),
                                "--kafka.properties",
                                BenchCluster.adminProperties(stack),
                                "--source.bounded",
                                "true",
                                "--watermark.idleness",
                                "0 s",
                                "--rules.builtin",
                                "false",
                                "--rules.file",
                                rules.toString(),
                                "--topic.alerts",
                                alerts,
                                "--topic.rule-acks",
                                name + "-acks",
                                "--topic.dead-letters",
                                name + "-dead-letters",
                                "--sink.transactional-id-prefix",
                                name,
                                "--checkpoint.interval",
                                "10 s"));
        JsonNode details = BenchCluster.awaitFinished(rest, job);
        Duration cpuAfter = taskManager.info().totalCpuDuration().orElseThrow();
        return new Result(
                details.path("duration").asLong() / 1000.0,
                (cpuAfter.toMillis() - cpuBefore.toMillis()) / 1000.0,
                BenchCluster.countRecords(stack, alerts));
    }

    /** A live run: simulator in real time, the job unbounded; latency from last event to alert. */
    private static void live(
            LocalStack stack, FlinkRestClient rest, String jar, Path dir, int nodes, int seconds)
            throws Exception {
        String name = "live";
        TopicSetup.create(
                stack.kafka().adminProperties(),
                List.of(
                        TopicSetup.newTopic(name + "-telemetry", 4, Map.of()),
                        TopicSetup.newTopic(name + "-ground-truth", 1, Map.of()),
                        TopicSetup.newTopic(name + "-grid-intensity", 1, Map.of()),
                        TopicSetup.newTopic(name + "-alerts", 4, Map.of()),
                        TopicSetup.newTopic(name + "-acks", 1, Map.of()),
                        TopicSetup.newTopic(name + "-dead-letters", 1, Map.of())));
        ArrayNode rules = RuleVariants.matching(100);
        // a rule that fires often on normal traffic, so that a short run has many alerts to time
        rules.add(RuleVariants.frequentlyFiring());
        Path file = RuleVariants.write(rules, dir.resolve("rules-live.json"));
        String job =
                BenchCluster.submit(
                        stack,
                        jar,
                        "dev.vigil.jobs.threat.ThreatDetectionJob",
                        List.of(
                                "--bootstrap.servers",
                                stack.settings().bootstrapServers(),
                                "--kafka.properties",
                                BenchCluster.adminProperties(stack),
                                "--topic.telemetry",
                                name + "-telemetry",
                                "--rules.builtin",
                                "false",
                                "--rules.file",
                                file.toString(),
                                "--watermark.out-of-orderness",
                                "1 s",
                                "--topic.alerts",
                                name + "-alerts",
                                "--topic.rule-acks",
                                name + "-acks",
                                "--topic.dead-letters",
                                name + "-dead-letters",
                                "--sink.transactional-id-prefix",
                                name,
                                "--checkpoint.interval",
                                "1 s"));
        List<Long> detection = Collections.synchronizedList(new ArrayList<>());
        List<Long> visible = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader =
                new Thread(() -> readAlerts(stack, name + "-alerts", running, detection, visible));
        reader.start();
        BenchCluster.simulateRealtime(stack, nodes, seconds, name + "-", 1, Instant.now());
        Thread.sleep(5_000);
        running.set(false);
        reader.join();
        rest.cancel(job);
        System.out.printf(
                "%nlive, %d nodes in real time, 101 rules, watermark bound 1 s, checkpoints every 1"
                        + " s: %d alerts%n",
                nodes, detection.size());
        System.out.println("| latency from the alert's last event | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|");
        System.out.println(
                "| to emission by the job (`detected_at`) | " + percentiles(detection) + " |");
        System.out.println(
                "| to visibility for a read_committed consumer | " + percentiles(visible) + " |");
    }

    private static void readAlerts(
            LocalStack stack,
            String topic,
            AtomicBoolean running,
            List<Long> detection,
            List<Long> visible) {
        AvroCodec<ThreatAlert> codec = AvroCodec.of(ThreatAlert.class);
        try (KafkaConsumer<byte[], byte[]> consumer = BenchCluster.consumer(stack)) {
            List<TopicPartition> partitions = BenchCluster.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    ThreatAlert alert = codec.decode(record.value());
                    long last = alert.getLastEventTime().toEpochMilli();
                    detection.add(alert.getDetectedAt().toEpochMilli() - last);
                    visible.add(now - last);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "- | - | -";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) (sorted.size() * 0.5))
                + " | "
                + sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1))
                + " | "
                + sorted.get(sorted.size() - 1);
    }
}
