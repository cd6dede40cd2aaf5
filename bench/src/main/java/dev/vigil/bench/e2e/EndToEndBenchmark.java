package dev.vigil.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vigil.bench.BenchCluster;
import dev.vigil.bench.RuleVariants;
import dev.vigil.bench.e2e.LatencyProbe.Latencies;
import dev.vigil.bench.e2e.Pipelines.Connection;
import dev.vigil.bench.e2e.Pipelines.Mode;
import dev.vigil.local.LocalStack;
import dev.vigil.local.StackSettings;
import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.kafka.TopicSetup;
import dev.vigil.local.process.Ports;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.operators.inference.ModelInferenceOperator;
import dev.vigil.schema.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The end-to-end benchmark: Vigil's jobs on the real local cluster (a KRaft broker, a JobManager
 * and a TaskManager as OS processes on free ports, stopped by pid at the end), against a
 * pass-through Kafka→Flink→Kafka job over the same data in the same run.
 *
 * <ol>
 *   <li>The simulator (seed 42) writes the telemetry of N nodes over M minutes to Kafka before any
 *       timing starts.
 *   <li><b>Throughput.</b> Each configuration replays all of it (bounded sources) from a backlog:
 *       the pass-through ceiling, each job alone (standard preset), and the full pipeline — the
 *       four telemetry jobs side by side, then remediation and audit over their output. Events/s is
 *       the telemetry divided by the processing time (all tasks running → finished, the final
 *       commit included); events/s per core divides by the TaskManager's CPU time in that window.
 *       Each figure is also given as a share of the pass-through ceiling with the same delivery
 *       guarantee.
 *   <li><b>Latency.</b> The simulator runs in real time at about half of the full pipeline's
 *       sustainable rate, with the jobs running unbounded; a read_committed consumer records the
 *       time from each output's sensor timestamp to its visibility (p50, p99, p99.9), exactly-once
 *       and at-least-once, for the pass-through and for the full pipeline.
 * </ol>
 *
 * <p>Run: {@code bench/run-e2e.sh [--preset small|standard]}; options in bench/README.md.
 */
public final class EndToEndBenchmark {

    /** The sizes a preset sets; each can also be given on its own. */
    record Preset(int nodes, int minutes, int liveSeconds, boolean perJob, boolean replayAlo) {

        static Preset of(String name) {
            return switch (name) {
                case "small" -> new Preset(100, 20, 20, false, false);
                case "standard" -> new Preset(200, 30, 60, true, true);
                default ->
                        throw new IllegalArgumentException(
                                "--preset must be small or standard, was '" + name + "'");
            };
        }
    }

    /** A throughput row: one configuration over the whole backlog. */
    record Throughput(
            String name,
            String delivery,
            long events,
            double seconds,
            double taskManagerCpu,
            double brokerCpu,
            long peakRss,
            long state,
            long alerts) {

        double perSecond() {
            return events / seconds;
        }

        double perCore() {
            return events / taskManagerCpu;
        }
    }

    /** A latency row group: one live run. */
    record Live(
            String name,
            String delivery,
            double eventsPerSecond,
            double taskManagerCores,
            int nodes,
            long state,
            List<Latencies> latencies,
            LatencyProbe.NeutralShare neutral) {}

    private final LocalStack stack;
    private final FlinkRestClient rest;
    private final String jar;
    private final Pipelines pipelines;
    private final Path dir;
    private Connection secured;
    private int runs;

    /** The name of the full pipeline's rows. */
    static final String FULL = "full pipeline (6 jobs)";

    /** The suffix of the rows over the broker's plaintext listener. */
    static final String PLAINTEXT = " (plaintext)";

    /** The suffix of the row whose jobs keep state in RocksDB (incremental checkpoints). */
    static final String ROCKSDB = " (rocksdb-incremental)";

    private EndToEndBenchmark(
            LocalStack stack, FlinkRestClient rest, String jar, Pipelines pipelines, Path dir) {
        this.stack = stack;
        this.rest = rest;
        this.jar = jar;
        this.pipelines = pipelines;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchCluster.options(args);
        Preset preset = Preset.of(options.getOrDefault("preset", "small"));
        int nodes = Integer.parseInt(options.getOrDefault("nodes", "" + preset.nodes()));
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "" + preset.minutes()));
        int liveSeconds =
                Integer.parseInt(options.getOrDefault("live-seconds", "" + preset.liveSeconds()));
        boolean perJob = Boolean.parseBoolean(options.getOrDefault("jobs", "" + preset.perJob()));
        boolean replayAlo =
                Boolean.parseBoolean(options.getOrDefault("replay-alo", "" + preset.replayAlo()));
        Duration checkpoint =
                Duration.ofMillis(Long.parseLong(options.getOrDefault("checkpoint-ms", "1000")));
        Duration liveBound =
                Duration.ofMillis(Long.parseLong(options.getOrDefault("live-bound-ms", "1000")));
        Duration liveInterval =
                Duration.ofMillis(Long.parseLong(options.getOrDefault("live-interval-ms", "50")));
        double load = Double.parseDouble(options.getOrDefault("load", "0.5"));
        boolean rocksdb =
                Boolean.parseBoolean(options.getOrDefault("rocksdb", "" + preset.perJob()));
        // --profile (the full pipeline) or --profile <job>: one more replay under JFR, unreported
        String profiled = options.get("profile");
        if (profiled != null && !PROFILE_TARGETS.contains(profiled)) {
            throw new IllegalArgumentException(
                    "--profile takes one of " + PROFILE_TARGETS + ", was '" + profiled + "'");
        }
        Path jobJar =
                options.containsKey("job-jar")
                        ? Path.of(options.get("job-jar"))
                        : BenchCluster.findJobJar();

        long began = System.nanoTime();
        Path dir = Files.createTempDirectory("vigil-e2e-");
        // the broker authenticates every client (TLS + SCRAM) like vigil up's; a second,
        // plaintext listener on the same broker measures what that costs
        LocalStack stack =
                new LocalStack(
                        StackSettings.onFreePorts(dir.resolve("stack")),
                        line -> System.out.println("  " + line),
                        Ports.freePort());
        boolean succeeded = false;
        try {
            stack.start();
            FlinkRestClient rest = stack.flink().rest();
            EndToEndBenchmark bench =
                    new EndToEndBenchmark(
                            stack,
                            rest,
                            jobJar.toString(),
                            new Pipelines(stack.keys().dir(), checkpoint),
                            dir);
            Connection secured =
                    new Connection(
                            "TLS + SCRAM",
                            stack.settings().bootstrapServers(),
                            stack.security().clientProperties(StackPrincipals.ADMIN));
            Connection plaintext =
                    new Connection(
                            "plaintext",
                            stack.kafka().plaintextBootstrapServers().orElseThrow(),
                            null);
            bench.secured = secured;
            long simulated = System.nanoTime();
            long events = BenchCluster.simulate(stack, nodes, minutes);
            System.out.printf(
                    Locale.ROOT, "  simulated in %.0f s%n", (System.nanoTime() - simulated) / 1e9);
            double perNode = events / (nodes * minutes * 60.0);
            System.out.printf(
                    Locale.ROOT,
                    "%n%,d telemetry events: %d nodes over %d minutes of event time (%.2f events/s"
                            + " per node)%n%n",
                    events,
                    nodes,
                    minutes,
                    perNode);

            Mode eo = replay("exactly-once", secured);
            Mode alo = replay("at-least-once", secured);
            // class loading, JIT and the broker's page cache: one unreported pass
            bench.stage("warm-up", "exactly-once", events, bench::passThroughJobs, eo);
            // the profile right after the warm-up: a TaskManager that has run many jobs since
            // spends more time in GC (classes and caches of finished jobs)
            String summary = profiled == null ? null : bench.profile(profiled, eo);
            List<Throughput> rows = new ArrayList<>();
            rows.add(
                    bench.stage("pass-through", eo.delivery(), events, bench::passThroughJobs, eo));
            rows.add(
                    bench.stage(
                            "pass-through" + PLAINTEXT,
                            eo.delivery(),
                            events,
                            bench::passThroughJobs,
                            eo.over(plaintext)));
            rows.add(
                    bench.stage(
                            "pass-through", alo.delivery(), events, bench::passThroughJobs, alo));
            if (perJob) {
                rows.add(
                        bench.single(
                                "node health",
                                events,
                                eo,
                                (r, m) -> pipelines(bench).health(r, m)));
                rows.add(
                        bench.single(
                                "threat (17 built-in rules)",
                                events,
                                eo,
                                (r, m) -> pipelines(bench).threat(r, m, null, true, "threat")));
                Path hundred =
                        RuleVariants.write(
                                RuleVariants.matching(100), dir.resolve("rules-100.json"));
                rows.add(
                        bench.single(
                                "threat (100 rules)",
                                events,
                                eo,
                                (r, m) -> pipelines(bench).threat(r, m, hundred, false, "threat")));
                rows.add(
                        bench.single(
                                "inference",
                                events,
                                eo,
                                (r, m) -> pipelines(bench).inference(r, m)));
                rows.add(
                        bench.single(
                                "carbon", events, eo, (r, m) -> pipelines(bench).carbon(r, m)));
            }
            // the full pipeline's code (CEP, inference, the ledger) is compiled by the JIT in its
            // first replay; unreported, so that the secured and the plaintext runs below both
            // meet a warm TaskManager
            Throughput cold = bench.fullPipeline("warm-up (full pipeline)", events, eo);
            Throughput full = bench.fullPipeline(FULL, events, eo);
            rows.add(full);
            rows.add(bench.fullPipeline(FULL + PLAINTEXT, events, eo.over(plaintext)));
            if (rocksdb) {
                rows.add(
                        bench.fullPipeline(
                                FULL + ROCKSDB, events, eo.withState("rocksdb-incremental")));
            }
            if (replayAlo) {
                rows.add(bench.fullPipeline(FULL, events, alo));
            }

            // the live rate follows the cold replay, as before the warm-up existed: at half of
            // the warm figure the live full pipeline saturated this 2-core machine, which also
            // runs the simulator and the broker (exactly-once alerts p50 11 s, 2026-12-03)
            double rate = load * cold.perSecond();
            int liveNodes = Math.max(1, (int) Math.round(rate / perNode));
            List<Live> live = new ArrayList<>();
            if (liveSeconds > 0) {
                for (String delivery : List.of("exactly-once", "at-least-once")) {
                    live.add(
                            bench.live(
                                    "pass-through",
                                    delivery,
                                    liveNodes,
                                    liveSeconds,
                                    liveBound,
                                    liveInterval,
                                    true));
                    live.add(
                            bench.live(
                                    "full pipeline",
                                    delivery,
                                    liveNodes,
                                    liveSeconds,
                                    liveBound,
                                    liveInterval,
                                    false));
                }
            }

            System.out.println();
            System.out.println(
                    describe(
                            nodes,
                            minutes,
                            events,
                            checkpoint,
                            liveNodes,
                            rate,
                            liveBound,
                            liveInterval));
            System.out.println(throughputTable(rows));
            System.out.println(securityTable(rows));
            if (!live.isEmpty()) {
                System.out.println(latencyTable(live, rate, load));
            }
            if (summary != null) {
                System.out.println(summary);
            }
            System.out.printf(
                    Locale.ROOT, "benchmark took %.0f s%n", (System.nanoTime() - began) / 1e9);
            succeeded = true;
        } finally {
            // stop by the pid files first, then delete them: a failed run keeps its logs
            stack.stop();
            if (succeeded) {
                BenchCluster.delete(dir);
            } else {
                System.out.println("logs of the failed run: " + dir.resolve("stack/logs"));
            }
        }
    }

    private static Pipelines pipelines(EndToEndBenchmark bench) {
        return bench.pipelines;
    }

    private static Mode replay(String delivery, Connection connection) {
        return new Mode(
                delivery,
                true,
                Topic.TELEMETRY.topicName(),
                Topic.GRID_INTENSITY.topicName(),
                Duration.ofSeconds(5),
                Duration.ofMillis(200),
                connection,
                Pipelines.HASHMAP);
    }

    /** The jobs of one stage of a run. */
    @FunctionalInterface
    private interface StageJobs {
        List<JobRun> jobs(String run, Mode mode);
    }

    /** The job of a single-job row. */
    @FunctionalInterface
    private interface SingleJob {
        JobRun job(String run, Mode mode);
    }

    private List<JobRun> passThroughJobs(String run, Mode mode) {
        return List.of(pipelines.passThrough(run, mode));
    }

    private Throughput single(String name, long events, Mode mode, SingleJob job) throws Exception {
        return stage(name, mode.delivery(), events, (r, m) -> List.of(job.job(r, m)), mode);
    }

    /** One stage: its jobs submitted together over a fresh set of run topics. */
    private Throughput stage(String name, String delivery, long events, StageJobs jobs, Mode mode)
            throws Exception {
        String run = newRun();
        createTopics(run);
        Measured m = runToEnd(jobs.jobs(run, mode), null);
        Throughput t =
                new Throughput(
                        name,
                        delivery,
                        events,
                        m.seconds,
                        m.taskManagerCpu,
                        m.brokerCpu,
                        m.peakRss,
                        m.state,
                        BenchCluster.countRecords(stack, Pipelines.topic(run, Topic.ALERTS)));
        print(t);
        return t;
    }

    /**
     * The full pipeline: health, threat, inference and carbon side by side over the telemetry, then
     * remediation over their alerts and scores, then audit over everything; the times and CPU of
     * the three stages add up.
     */
    private Throughput fullPipeline(String name, long events, Mode mode) throws Exception {
        String run = newRun();
        createTopics(run);
        Measured telemetry = runToEnd(pipelines.telemetryJobs(run, mode, null), null);
        Measured remediation = runToEnd(List.of(pipelines.remediation(run, mode)), null);
        Measured audit = runToEnd(List.of(pipelines.audit(run, mode)), null);
        Throughput t =
                new Throughput(
                        name,
                        mode.delivery(),
                        events,
                        telemetry.seconds + remediation.seconds + audit.seconds,
                        telemetry.taskManagerCpu
                                + remediation.taskManagerCpu
                                + audit.taskManagerCpu,
                        telemetry.brokerCpu + remediation.brokerCpu + audit.brokerCpu,
                        Math.max(telemetry.peakRss, Math.max(remediation.peakRss, audit.peakRss)),
                        telemetry.state + remediation.state + audit.state,
                        BenchCluster.countRecords(stack, Pipelines.topic(run, Topic.ALERTS)));
        print(t);
        System.out.printf(
                Locale.ROOT,
                "    stages: telemetry jobs %.1f s / %.1f CPU s, remediation %.1f s / %.1f CPU s,"
                        + " audit %.1f s / %.1f CPU s; %,d audit entries%n",
                telemetry.seconds,
                telemetry.taskManagerCpu,
                remediation.seconds,
                remediation.taskManagerCpu,
                audit.seconds,
                audit.taskManagerCpu,
                BenchCluster.countRecords(stack, Pipelines.topic(run, Topic.AUDIT)));
        return t;
    }

    static final List<String> PROFILE_TARGETS =
            List.of("true", "full", "pass-through", "health", "threat", "inference", "carbon");

    /**
     * One more replay, not reported, with the TaskManager under JFR: the telemetry stage of the
     * full pipeline, or one job; returns the summary (the recording stays in
     * bench/target/profiles).
     */
    private String profile(String target, Mode mode) throws Exception {
        String run = newRun();
        createTopics(run);
        List<JobRun> jobs =
                switch (target) {
                    case "pass-through" -> List.of(pipelines.passThrough(run, mode));
                    case "health" -> List.of(pipelines.health(run, mode));
                    case "threat" -> List.of(pipelines.threat(run, mode, null, true, "threat"));
                    case "inference" -> List.of(pipelines.inference(run, mode));
                    case "carbon" -> List.of(pipelines.carbon(run, mode));
                    default -> pipelines.telemetryJobs(run, mode, null);
                };
        String name = target.equals("true") ? "full" : target;
        Path dir = Path.of("bench/target/profiles");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + mode.delivery() + ".jfr");
        Measured m = runToEnd(jobs, file);
        return String.format(
                        Locale.ROOT,
                        "profile of %s (%s; %.1f s, %.1f TaskManager CPU s), %s:%n%n",
                        name.equals("full") ? "the full pipeline's telemetry stage" : name,
                        mode.delivery(),
                        m.seconds,
                        m.taskManagerCpu,
                        file)
                + JfrProfile.summarize(file, 15);
    }

    private record Measured(
            double seconds, double taskManagerCpu, double brokerCpu, long peakRss, long state) {}

    private static List<dev.vigil.local.flink.JobSubmission.Request> requests(List<JobRun> jobs) {
        List<dev.vigil.local.flink.JobSubmission.Request> requests = new ArrayList<>();
        for (JobRun job : jobs) {
            requests.add(
                    new dev.vigil.local.flink.JobSubmission.Request(
                            job.entryClass(), job.args(), null));
        }
        return requests;
    }

    /**
     * Submits {@code jobs}, waits until all finish, and measures from the moment the first task
     * started to the moment the last one finished, by Flink's own task timestamps (the REST view of
     * a running job lags by seconds); with {@code profile}, the TaskManager is recorded by JFR.
     */
    private Measured runToEnd(List<JobRun> jobs, Path profile) throws Exception {
        long taskManager =
                stack.flink().running(FlinkSessionCluster.TASKMANAGER).orElseThrow().pid();
        long broker = stack.running(KafkaBroker.ROLE).orElseThrow().pid();
        JfrProfile recording = profile == null ? null : JfrProfile.start(taskManager, profile);
        try (ProcessMeter meter = new ProcessMeter(taskManager, broker)) {
            List<String> ids = BenchCluster.submit(stack, jar, requests(jobs));
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long state = 0;
            for (String id : ids) {
                JsonNode details = BenchCluster.awaitFinished(rest, id);
                state += largestCheckpoint(id);
                for (JsonNode vertex : details.path("vertices")) {
                    first = Math.min(first, vertex.path("start-time").asLong());
                    last = Math.max(last, vertex.path("end-time").asLong());
                }
            }
            // the sampler has seen the end
            Thread.sleep(50);
            ProcessMeter.Mark start = meter.at(first);
            ProcessMeter.Mark end = meter.at(last);
            return new Measured(
                    end.seconds(start),
                    end.taskManagerCpuSeconds() - start.taskManagerCpuSeconds(),
                    end.brokerCpuSeconds() - start.brokerCpuSeconds(),
                    meter.peakRss(),
                    state);
        } finally {
            if (recording != null) {
                recording.stop();
            }
        }
    }

    /**
     * The largest checkpoint in the job's recent history (the final one of a bounded run is nearly
     * empty: the end of input fires every window).
     */
    private long largestCheckpoint(String job) {
        long largest = 0;
        for (JsonNode c : rest.checkpoints(job).path("history")) {
            if (c.path("status").asText().equals("COMPLETED")) {
                largest = Math.max(largest, c.path("state_size").asLong());
            }
        }
        return largest;
    }

    /**
     * A live run: the jobs unbounded over the run's own telemetry topic, the simulator in real time
     * (seed 7) for {@code seconds}, a read_committed probe on the outputs; the first 5 s of sensor
     * time are not counted.
     */
    /**
     * The in-job inference batch sizes of the last 1,000 model calls (the operator's {@value
     * ModelInferenceOperator#BATCH_SIZE_METRIC} histogram): median, mean, and calls in all.
     */
    private String inferenceBatches(List<String> ids) {
        Map<String, Double> values = new java.util.TreeMap<>();
        for (String id : ids) {
            // Flink's REST API gives a histogram as <name>_median, _mean, _p99 ... (no count)
            values.putAll(
                    rest.subtaskMetrics(id, ModelInferenceOperator.BATCH_SIZE_METRIC + "_median"));
            values.putAll(
                    rest.subtaskMetrics(id, ModelInferenceOperator.BATCH_SIZE_METRIC + "_mean"));
            values.putAll(rest.subtaskMetrics(id, ".inferenceBatches"));
        }
        double p50 = Double.NaN;
        double mean = Double.NaN;
        double count = Double.NaN;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey().endsWith("_median")) {
                p50 = e.getValue();
            } else if (e.getKey().endsWith("_mean")) {
                mean = e.getValue();
            } else {
                count = e.getValue();
            }
        }
        return String.format(
                java.util.Locale.ROOT,
                "in-job inference batch: median %.1f, mean %.2f vectors (last 1,000 of %.0f model"
                        + " calls)",
                p50,
                mean,
                count);
    }

    private Live live(
            String name,
            String delivery,
            int nodes,
            int seconds,
            Duration bound,
            Duration interval,
            boolean passThrough)
            throws Exception {
        String run = newRun();
        createTopics(run);
        Mode mode =
                new Mode(
                        delivery,
                        false,
                        Pipelines.topic(run, Topic.TELEMETRY),
                        Pipelines.topic(run, Topic.GRID_INTENSITY),
                        bound,
                        interval,
                        secured,
                        Pipelines.HASHMAP);
        List<JobRun> jobs = new ArrayList<>();
        Map<String, Topic> outputs = new LinkedHashMap<>();
        if (passThrough) {
            jobs.add(pipelines.passThrough(run, mode));
            outputs.put(Pipelines.passThroughOutput(run), Topic.TELEMETRY);
        } else {
            // the catalogue's attacks take minutes to unfold; a rule that fires often on normal
            // traffic gives a short run alerts to time (the same CEP path: watermark, NFA, sink)
            ArrayNode frequent = new ArrayNode(JsonNodeFactory.instance);
            frequent.add(RuleVariants.frequentlyFiring());
            Path rules = RuleVariants.write(frequent, dir.resolve(run + "-rules.json"));
            jobs.addAll(pipelines.telemetryJobs(run, mode, rules));
            jobs.add(pipelines.remediation(run, mode));
            jobs.add(pipelines.audit(run, mode));
            for (Topic t :
                    List.of(Topic.ALERTS, Topic.ANOMALIES, Topic.NODE_HEALTH, Topic.CARBON)) {
                outputs.put(Pipelines.topic(run, t), t);
            }
        }
        List<String> ids = BenchCluster.submit(stack, jar, requests(jobs));
        for (String id : ids) {
            BenchCluster.awaitRunning(rest, id);
        }
        long taskManager =
                stack.flink().running(FlinkSessionCluster.TASKMANAGER).orElseThrow().pid();
        long broker = stack.running(KafkaBroker.ROLE).orElseThrow().pid();
        Instant start = Instant.now();
        List<Latencies> latencies;
        LatencyProbe.NeutralShare neutral;
        double cores;
        long state = 0;
        try (LatencyProbe probe =
                        new LatencyProbe(stack, outputs, start.plusSeconds(5).toEpochMilli())
                                .neutralShareFrom(
                                        start.plus(Pipelines.LIVE_WARM_UP)
                                                .plusSeconds(5)
                                                .toEpochMilli());
                ProcessMeter meter = new ProcessMeter(taskManager, broker)) {
            ProcessMeter.Mark before = meter.mark();
            // attacks often enough for a short run to raise alerts
            BenchCluster.simulateRealtime(stack, nodes, seconds, run + "-", 120, start);
            ProcessMeter.Mark after = meter.mark();
            cores =
                    (after.taskManagerCpuSeconds() - before.taskManagerCpuSeconds())
                            / after.seconds(before);
            // what the last checkpoint commits, and the windows the watermark still closes
            Thread.sleep(pipelines.checkpointInterval().plusSeconds(3).toMillis());
            neutral = probe.neutralShare();
            latencies = probe.stop();
            if (!passThrough) {
                System.out.println(name + ", " + delivery + ": " + inferenceBatches(ids));
            }
            for (String id : ids) {
                state +=
                        rest.checkpoints(id)
                                .path("latest")
                                .path("completed")
                                .path("state_size")
                                .asLong();
            }
        } finally {
            for (String id : ids) {
                rest.cancel(id);
            }
        }
        long events = BenchCluster.committedRecords(stack, Pipelines.topic(run, Topic.TELEMETRY));
        long deadLetters =
                BenchCluster.countRecords(stack, Pipelines.topic(run, Topic.DEAD_LETTERS));
        Live result =
                new Live(
                        name,
                        delivery,
                        events / (double) seconds,
                        cores,
                        nodes,
                        state,
                        latencies,
                        neutral);
        System.out.printf(
                Locale.ROOT,
                "  live %s, %s: %,.0f events/s, TaskManager %.2f cores, %,d dead letters; %s%s%n",
                name,
                delivery,
                result.eventsPerSecond(),
                cores,
                deadLetters,
                latencies,
                passThrough ? "" : "; risk join: " + neutral);
        return result;
    }

    private String newRun() {
        return "r" + runs++;
    }

    /** Every Vigil topic under the run's prefix, and the pass-through output. */
    private void createTopics(String run) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic t : Topic.values()) {
            topics.add(
                    TopicSetup.newTopic(
                            Pipelines.topic(run, t), t.defaultPartitions(), t.config()));
        }
        topics.add(
                TopicSetup.newTopic(
                        Pipelines.passThroughOutput(run),
                        Topic.TELEMETRY.defaultPartitions(),
                        Map.of()));
        TopicSetup.create(stack.kafka().adminProperties(), topics);
    }

    private static void print(Throughput t) {
        System.out.printf(
                Locale.ROOT,
                "  %s, %s: %,.0f events/s, %,.0f events/s per core (%.1f s, %.1f TaskManager CPU"
                        + " s)%n",
                t.name(),
                t.delivery(),
                t.perSecond(),
                t.perCore(),
                t.seconds(),
                t.taskManagerCpu());
    }

    private static String describe(
            int nodes,
            int minutes,
            long events,
            Duration checkpoint,
            int liveNodes,
            double rate,
            Duration bound,
            Duration interval) {
        return String.format(
                Locale.ROOT,
                "machine: %d cores (%s, Java %s); one TaskManager, parallelism 1, hashmap state"
                    + " backend, checkpoints every %d ms; input: %,d events of %d nodes over %d"
                    + " minutes (seed 42), 4 partitions; replays with a 5 s watermark bound; live"
                    + " runs: %d nodes in real time (~%,.0f events/s), watermark bound %d ms,"
                    + " watermarks every %d ms%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                checkpoint.toMillis(),
                events,
                nodes,
                minutes,
                liveNodes,
                rate,
                bound.toMillis(),
                interval.toMillis());
    }

    /**
     * What TLS + SCRAM costs: each configuration measured over both listeners of the same broker,
     * in the same run, over the same backlog, as a ratio (authenticated / plaintext).
     */
    static String securityTable(List<Throughput> rows) {
        StringBuilder out = new StringBuilder();
        out.append(
                "cost of TLS + SCRAM (the same broker's authenticated and plaintext listeners, same"
                        + " backlog, same run):\n\n");
        out.append(
                "| configuration | delivery | events/s TLS + SCRAM | events/s plaintext | ratio |"
                        + " events/s per core, ratio | broker CPU s TLS + SCRAM | broker CPU s"
                        + " plaintext |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Throughput plain : rows) {
            if (!plain.name().endsWith(PLAINTEXT)) {
                continue;
            }
            String name = plain.name().substring(0, plain.name().length() - PLAINTEXT.length());
            for (Throughput tls : rows) {
                if (tls.name().equals(name) && tls.delivery().equals(plain.delivery())) {
                    out.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.1f | %.1f |%n",
                                    name,
                                    tls.delivery(),
                                    tls.perSecond(),
                                    plain.perSecond(),
                                    tls.perSecond() / plain.perSecond(),
                                    tls.perCore() / plain.perCore(),
                                    tls.brokerCpu(),
                                    plain.brokerCpu()));
                }
            }
        }
        return out.toString();
    }

    static String throughputTable(List<Throughput> rows) {
        Map<String, Throughput> ceilings = new LinkedHashMap<>();
        for (Throughput t : rows) {
            if (t.name().equals("pass-through")) {
                ceilings.put(t.delivery(), t);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(
                "| configuration | delivery | events/s | vs. ceiling | events/s per core | vs."
                        + " ceiling | TaskManager CPU s | broker CPU s | peak TaskManager RSS |"
                        + " largest checkpoint | alerts |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Throughput t : rows) {
            Throughput ceiling = ceilings.get(t.delivery());
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,.0f | %.0f %% | %,.0f | %.0f %% | %.1f | %.1f | %d MB |"
                                    + " %,d KB | %,d |%n",
                            t.name(),
                            t.delivery(),
                            t.perSecond(),
                            100 * t.perSecond() / ceiling.perSecond(),
                            t.perCore(),
                            100 * t.perCore() / ceiling.perCore(),
                            t.taskManagerCpu(),
                            t.brokerCpu(),
                            t.peakRss() >> 20,
                            t.state() >> 10,
                            t.alerts()));
        }
        return out.toString();
    }

    /** A latency, or a dash when the run had no output to time (e.g. no window closed). */
    private static String ms(long value) {
        return value < 0 ? "–" : Long.toString(value);
    }

    static String latencyTable(List<Live> runs, double rate, double load) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "latency from sensor timestamp to read_committed visibility, at %.0f %% of"
                            + " the full pipeline's sustainable rate (target %,.0f events/s)%n%n",
                        100 * load,
                        rate));
        out.append(
                "| run | delivery | events/s | TaskManager cores | state (KB per node) | output |"
                        + " outputs | p50 ms | p99 ms | p99.9 ms | max ms |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder risk = new StringBuilder();
        for (Live live : runs) {
            if (live.neutral() != null && live.neutral().nodeAlerts() > 0) {
                risk.append(
                        String.format(
                                Locale.ROOT,
                                "%n%s, %s: %s once every node is scored (warm-up + 5 s)%n",
                                live.name(),
                                live.delivery(),
                                live.neutral()));
            }
            for (Latencies l : live.latencies()) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %,.0f | %.2f | %,d KB (%.1f) | %s | %,d | %s | %s |"
                                        + " %s | %s |%n",
                                live.name(),
                                live.delivery(),
                                live.eventsPerSecond(),
                                live.taskManagerCores(),
                                live.state() >> 10,
                                live.state() / 1024.0 / live.nodes(),
                                l.topic().replaceFirst("^r\\d+-", ""),
                                l.count(),
                                ms(l.p50()),
                                ms(l.p99()),
                                ms(l.p999()),
                                ms(l.max())));
            }
        }
        return out.append(risk).toString();
    }
}
