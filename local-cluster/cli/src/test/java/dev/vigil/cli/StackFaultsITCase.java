package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.RecordSignatures;
import dev.vigil.local.LocalStack;
import dev.vigil.local.StackKeys;
import dev.vigil.local.StackSettings;
import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.identity.NodeIdentity;
import dev.vigil.simulator.FleetSimulator;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite: one deterministic input (a simulated fleet with attacks and failures, and one
 * sample that is late in its partition) through the whole local stack — real broker, real Flink
 * session cluster, all six jobs, the supervisor — once without interruption and then through the
 * faults the probes found, each output topic compared record by record, by id and value, with the
 * reference (processing-time fields and signatures aside, which differ between runs by design). 0
 * lost, 0 duplicated, 0 changed; no job FAILED; every trail complete and intact.
 *
 * <ul>
 *   <li><b>Hostile input:</b> production starts while the telemetry partitions are still empty
 *       (late decisions at start-up), then fifteen compressed 1 MiB records, a record 50 min ahead
 *       with a matching CreateTime, the last second of telemetry sent again, and poison rule
 *       commands. Their dead letters and rejections are the only extra outputs.
 *   <li><b>Process faults:</b> a TaskManager killed with {@code kill -9} (the supervisor starts a
 *       new one), a broker restart, and a two-minute pause in telemetry with {@code vigil down} and
 *       {@code vigil up} in it, the input resuming after it.
 * </ul>
 */
class StackFaultsITCase {

    @TempDir static Path dir;

    /**
     * The input's first event time, fixed: the simulator plans its scenarios per absolute hour (its
     * random plan is seeded with the hour's start) and its load follows the time of day, so an
     * input that started "40 minutes ago" was another input every hour. Started at 06:28-06:55 UTC,
     * it had no failure prediction above remediation's 0.8 and so no command at all, and the suite
     * failed on 2026-12-03 whatever the code. Event times in the past are what a replay reads; the
     * reference time of every record is the broker's append time.
     */
    private static final long START = Instant.parse("2026-12-03T05:46:00Z").toEpochMilli();

    /** 17 minutes: node inference scores a node once it has 15 minutes of history. */
    private static final int TICKS = 17 * 60;

    /** Wall time after the first tick of each batch of input, before the rest follows. */
    private static final long ONLINE_MILLIS = 2_000;

    /**
     * Wall time between two ticks of input: 17 minutes of event time in about 25 s (at 10 ms, on a
     * machine half as fast, the threat job fell so far behind that 41 of its events were late in an
     * uninterrupted run).
     */
    private static final long TICK_PACE_MILLIS = 25;

    private static final List<Topic> OUTPUTS =
            List.of(
                    Topic.NODE_HEALTH,
                    Topic.ALERTS,
                    Topic.ANOMALIES,
                    Topic.CARBON,
                    Topic.REMEDIATION_COMMANDS,
                    Topic.REMEDIATION_RESULTS,
                    Topic.AUDIT,
                    Topic.AUDIT_CHECKPOINTS,
                    Topic.DEAD_LETTERS,
                    Topic.RULE_ACKS);

    /**
     * The idleness timeout of the suite's jobs: longer than any stall its faults cause (a broker
     * restart, a TaskManager's replacement restoring six jobs on two cores), shorter than the
     * pause. With 5 s, a partition that stalled through the broker restart counted as idle while
     * the others read their backlog, and its events were late (docs/RELIABILITY.md, "Idleness").
     * With 15 s on the authenticated stack (TLS and SCRAM, more CPU for each of the six restoring
     * jobs), node-health read the other partitions' backlog after {@code vigil up} while one
     * partition delivered nothing for longer: 1,470 of its events were late. The stack's default,
     * 30 s, is what the suite runs.
     */
    private static final Duration IDLENESS = Duration.ofSeconds(30);

    /**
     * The remediation job's idleness: longer than the longest gap between alerts in a run.
     * Remediation joins the sparse alerts with the dense anomaly scores; once the alerts count as
     * idle, the scores carry its event time, and an alert that the threat job sends later (it waits
     * for the node's scores, and lags inference on two cores) is behind the watermark: planned at
     * the next one, in arrival order, so cooldowns could go to other triggers than in a run where
     * it came in time (docs/RELIABILITY.md, "What still depends on timing").
     */
    private static final Duration REMEDIATION_IDLENESS = Duration.ofSeconds(45);

    private final Path jobJar = Path.of(System.getProperty("vigil.job.jar"));

    @Test
    void everyFaultGivesTheOutputsOfAnUninterruptedRun() throws Exception {
        List<List<ProducerRecord<byte[], byte[]>>> ticks = input();

        Map<Topic, Map<String, List<String>>> reference;
        try (Run run = new Run("reference")) {
            // every input idle before the first record
            Thread.sleep(IDLENESS.plusSeconds(5).toMillis());
            run.produce(ticks);
            reference = withoutKeyLateness(run.finish());
        }
        dump("reference", reference);
        assertThat(reference.get(Topic.ALERTS)).isNotEmpty();
        assertThat(reference.get(Topic.REMEDIATION_COMMANDS)).isNotEmpty();
        // the late sample is late for each job with a lateness bound (inference has only the
        // horizon)
        assertThat(reference.get(Topic.DEAD_LETTERS).entrySet())
                .filteredOn(e -> e.getValue().get(0).contains("-late"))
                .extracting(e -> e.getKey().substring(0, e.getKey().indexOf('|')))
                .containsExactlyInAnyOrder("carbon", "node-health", "threat-detection");

        Map<Topic, Map<String, List<String>>> hostile;
        try (Run run = new Run("hostile")) {
            // no wait: partitions are read while still empty and not yet idle
            List<List<ProducerRecord<byte[], byte[]>>> withExtras = new ArrayList<>(ticks);
            withExtras.add(run.hostileRecords(ticks.get(ticks.size() - 1)));
            run.produce(withExtras);
            run.oversized();
            hostile = withoutKeyLateness(run.finish());
        }
        Map<Topic, Map<String, List<String>>> extra = minus(hostile, reference);
        dump("hostile-lost", minus(reference, hostile));
        dump("hostile-extra", extra);
        Map<Topic, Map<String, List<String>>> hostileLost = minus(reference, hostile);
        // whether a sparse chain (commands) is signed by the end of a run depends on its clock
        // reaching a head boundary in time (see Normal): its entries are still compared exactly,
        // and each run's trail is verified intact and complete (finish)
        assertThat(hostile.get(Topic.AUDIT_CHECKPOINTS)).isNotEmpty();
        hostileLost.remove(Topic.AUDIT_CHECKPOINTS);
        assertThat(hostileLost).as("lost or changed").isEmpty();
        // the rules chain is signed once its clock (acknowledgement times) passes an interval
        // boundary after the rejections: by the end of the run, or not
        assertThat(extra.keySet())
                .contains(Topic.DEAD_LETTERS, Topic.RULE_ACKS, Topic.AUDIT)
                .isSubsetOf(
                        Topic.DEAD_LETTERS, Topic.RULE_ACKS, Topic.AUDIT, Topic.AUDIT_CHECKPOINTS);
        // 15 oversized and 1 future record, dead-lettered by each of the four telemetry jobs
        assertThat(extra.get(Topic.DEAD_LETTERS).keySet())
                .allMatch(k -> k.contains("RECORD_TOO_LARGE") || k.contains("TIMESTAMP_IN_FUTURE"));
        assertThat(count(extra.get(Topic.DEAD_LETTERS))).isEqualTo(4 * 16);
        assertThat(count(extra.get(Topic.RULE_ACKS))).isEqualTo(3);
        // the rejections are audited, in the rules chain
        assertThat(count(extra.get(Topic.AUDIT))).isEqualTo(3);
        assertThat(extra.get(Topic.AUDIT).keySet()).allMatch(k -> k.startsWith("rules|"));
        // which sparse chains are signed by the end depends on their clock reaching a head
        // boundary (docs/RELIABILITY.md): a fresh clone's hostile run signed the commands chain,
        // its reference had not yet; every entry above is still compared exactly
        assertThat(extra.getOrDefault(Topic.AUDIT_CHECKPOINTS, Map.of()).keySet())
                .isSubsetOf("rules", "commands", "alerts", "anomalies");

        Map<Topic, Map<String, List<String>>> faulted;
        try (Run run = new Run("process-faults")) {
            int third = ticks.size() / 3;
            run.produce(ticks.subList(0, third));
            run.awaitOutputs(Duration.ofSeconds(90));
            run.killTaskManager();
            run.produce(ticks.subList(third, 2 * third));
            run.awaitJobsRunning();
            run.restartBroker();
            run.awaitJobsRunning();
            long pause = System.nanoTime();
            run.downAndUp();
            long left = Duration.ofMinutes(2).toNanos() - (System.nanoTime() - pause);
            Thread.sleep(Math.max(0, left / 1_000_000));
            run.produce(ticks.subList(2 * third, ticks.size()));
            faulted = withoutKeyLateness(run.finish());
        }
        dump("faults-lost", minus(reference, faulted));
        dump("faults-extra", minus(faulted, reference));
        Map<Topic, Map<String, List<String>>> faultedLost = minus(reference, faulted);
        // as in the hostile run: which sparse chains are signed by the end depends on timing
        assertThat(faulted.get(Topic.AUDIT_CHECKPOINTS)).isNotEmpty();
        faultedLost.remove(Topic.AUDIT_CHECKPOINTS);
        assertThat(faultedLost).as("lost or changed").isEmpty();
        Map<Topic, Map<String, List<String>>> faultedExtra = minus(faulted, reference);
        // a chain the reference audits but has not signed yet (its clock short of the next head
        // boundary at the end of the run) may be signed after the restarts, whose recovery moves
        // the chain's clock on: one more signed head over the same entries, never one less
        Map<String, List<String>> heads =
                faultedExtra.getOrDefault(Topic.AUDIT_CHECKPOINTS, Map.of());
        assertThat(heads.keySet())
                .allMatch(
                        chain ->
                                reference.get(Topic.AUDIT).keySet().stream()
                                        .anyMatch(k -> k.startsWith(chain + "|")));
        faultedExtra.remove(Topic.AUDIT_CHECKPOINTS);
        assertThat(faultedExtra).as("duplicated or changed").isEmpty();
    }

    /** The input, tick by tick: the simulator's records plus one sample late in its partition. */
    private static List<List<ProducerRecord<byte[], byte[]>>> input() {
        FleetSimulator simulator =
                new FleetSimulator(
                        Fleet.of(new FleetSpec(1, 1, 2, 3, 0, 42)),
                        1000,
                        EnumSet.of(
                                ScenarioType.OVERHEATING,
                                ScenarioType.BRUTE_FORCE,
                                ScenarioType.SENSOR_SPOOFING),
                        20,
                        START);
        List<List<ProducerRecord<byte[], byte[]>>> ticks = new ArrayList<>();
        for (int t = 0; t < TICKS; t++) {
            Recorder tick = new Recorder();
            simulator.next(tick);
            if (t == 200) {
                // a power sample 160 s behind its partition: beyond carbon's allowed lateness
                TelemetryEvent late = TelemetryEvent.newBuilder(tick.firstPower).build();
                late.setEventId(late.getEventId() + "-late");
                late.setEventTime(Instant.ofEpochMilli(simulator.timeOf(t) - 160_000));
                late.setPower(PowerSample.newBuilder(late.getPower()).build());
                tick.telemetry(late);
            }
            ticks.add(tick.records);
        }
        return ticks;
    }

    /** One stack, in its own data directory on free ports, stopped by pid at the end. */
    private final class Run implements AutoCloseable {
        final String name;
        final Path data;
        LocalStack stack;

        Run(String name) throws Exception {
            this.name = name;
            this.data = dir.resolve(name);
            Files.createDirectories(data);
            // short idleness and checkpoints: the suite waits for event time to be released
            Files.writeString(
                    data.resolve(VigilJobs.OPTIONS_FILE),
                    "watermark.idleness="
                            + IDLENESS.toSeconds()
                            + " s\ncheckpoint.interval=2 s\n"
                            + "vigil-remediation: watermark.idleness="
                            + REMEDIATION_IDLENESS.toSeconds()
                            + " s\n"
                            // risk is compared exactly: an alert waits for its node's scores
                            // (not the default 2 s) however slow inference is on two cores
                            + "vigil-threat-detection: risk.anomaly-max-wait=15 s\n",
                    StandardCharsets.UTF_8);
            stack = new LocalStack(StackSettings.onFreePorts(data), line -> say(line));
            up();
        }

        void up() {
            stack.start();
            stack.submit(jobJar, VigilJobs.of(stack));
            StackSupervisor.start(stack, jobJar);
        }

        /**
         * Sends the records in order, as one idempotent producer does, a tick every {@link
         * #TICK_PACE_MILLIS} (a fleet streaming fast, but not a backlog written all at once: read
         * as a backlog, one partition's records can all pass before another's first, see
         * docs/RELIABILITY.md, "Catching up"), and waits for the acks.
         */
        void produce(List<List<ProducerRecord<byte[], byte[]>>> ticks) throws Exception {
            Properties p = stack.kafka(StackPrincipals.ADMIN).toProperties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            int n = 0;
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            NodeIdentity fleet = NodeIdentity.read(stack.security().fleetKey());
            AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                long start = System.nanoTime();
                int sent = 0;
                for (List<ProducerRecord<byte[], byte[]>> tick : ticks) {
                    for (ProducerRecord<byte[], byte[]> r : tick) {
                        acks.add(producer.send(authenticated(r, fleet, codec)));
                        n++;
                    }
                    producer.flush();
                    if (sent == 0) {
                        // the fleet comes online, then streams: every partition delivers its
                        // first records before the rest, so that no partition is still idle
                        // while others are read ahead (from idle partitions the reader's order
                        // decides which events at keys spanning partitions are late,
                        // docs/RELIABILITY.md, "What still depends on timing")
                        Thread.sleep(ONLINE_MILLIS);
                        start += ONLINE_MILLIS * 1_000_000L;
                    }
                    sent++;
                    long due = start + sent * TICK_PACE_MILLIS * 1_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.flush();
                for (java.util.concurrent.Future<?> ack : acks) {
                    ack.get();
                }
            }
            say("produced " + n + " records");
        }

        /**
         * Sends a telemetry record as its node would: with that node's MAC (the stack checks node
         * identity). What does not decode as an event goes without one, as from a broken sensor;
         * the ingest path rejects it for what is wrong with it before it looks for a MAC.
         */
        private static ProducerRecord<byte[], byte[]> authenticated(
                ProducerRecord<byte[], byte[]> r,
                NodeIdentity fleet,
                AvroCodec<TelemetryEvent> codec) {
            if (!r.topic().equals(Topic.TELEMETRY.topicName()) || r.value() == null) {
                return r;
            }
            TelemetryEvent e;
            try {
                e = codec.decode(r.value());
            } catch (AvroDecodeException | RuntimeException notAnEvent) {
                return r; // no node would sign it
            }
            // a copy: the same records go to every run's stack, each with a fleet key of its own
            org.apache.kafka.common.header.internals.RecordHeaders headers =
                    new org.apache.kafka.common.header.internals.RecordHeaders();
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                if (!h.key().equals(NodeIdentity.HEADER)) {
                    headers.add(h);
                }
            }
            headers.add(NodeIdentity.HEADER, fleet.signAs(e.getNode().getNodeId(), r.value()));
            return new ProducerRecord<>(
                    r.topic(), r.partition(), r.timestamp(), r.key(), r.value(), headers);
        }

        /** Fifteen 1 MiB records, compressed so that the broker takes them. */
        void oversized() throws Exception {
            byte[] huge = new byte[1024 * 1024 + 100];
            for (int i = 0; i < huge.length; i++) {
                huge[i] = (byte) (i % 7);
            }
            Properties p = stack.kafka(StackPrincipals.ADMIN).toProperties();
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * 1024 * 1024));
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 15; i++) {
                    producer.send(
                                    new ProducerRecord<>(
                                            Topic.TELEMETRY.topicName(),
                                            "node-x".getBytes(StandardCharsets.UTF_8),
                                            huge))
                            .get();
                }
            }
        }

        /**
         * A record 50 minutes ahead with both clocks the producer sets agreeing, the last second of
         * telemetry sent again by a producer that timed out, and three poison rule commands.
         */
        List<ProducerRecord<byte[], byte[]>> hostileRecords(
                List<ProducerRecord<byte[], byte[]>> lastTick) throws Exception {
            AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
            List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : lastTick) {
                if (r.topic().equals(Topic.TELEMETRY.topicName())) {
                    more.add(r);
                }
            }
            TelemetryEvent ahead =
                    TelemetryEvent.newBuilder(codec.decode(more.get(0).value())).build();
            long future = System.currentTimeMillis() + 50 * 60_000L;
            ahead.setEventId(ahead.getEventId() + "-ahead");
            ahead.setEventTime(Instant.ofEpochMilli(future));
            more.add(
                    record(
                            Topic.TELEMETRY,
                            ahead.getNode().getNodeId(),
                            future,
                            codec.encode(ahead),
                            codec.fingerprint()));
            AvroCodec<RuleCommand> rules = AvroCodec.of(RuleCommand.class);
            String rule =
                    "{\"id\": \"x-rule\", \"version\": 1, \"title\": \"t\", \"description\": \"d\","
                            + " \"severity\": \"BENIGN\", \"groupBy\": [\"node\"], \"scope\":"
                            + " {\"field\": \"payload\", \"eq\": \"security\"}, \"steps\":"
                            + " [{\"name\": \"s\", \"where\": {\"field\": \"payload\", \"eq\":"
                            + " \"security\"}, \"times\": 3}], \"within\": \"60s\"}";
            String[] poison = {
                rule.replace("\"60s\"", "\"99999999999999999999s\""),
                rule.replace("\"times\": 3", "\"times\": 2000000000"),
                "{\"not\": \"a rule\"" + "x".repeat(100_000)
            };
            for (int i = 0; i < poison.length; i++) {
                RuleCommand c =
                        RuleCommand.newBuilder()
                                .setCommandId("poison-" + i)
                                .setRuleId("x-rule")
                                .setAction("UPSERT")
                                .setVersion(1)
                                .setDefinition(poison[i])
                                .setIssuedBy("faults-itcase")
                                .setIssuedAt(Instant.ofEpochMilli(START))
                                .build();
                // signed by the stack's operator and stamped now, within the key's validity: the
                // rule validator, not the author check, must refuse them
                byte[] value = rules.encode(c);
                RecordHeaders headers = new RecordHeaders();
                headers.add(
                        VigilHeaders.SCHEMA_FINGERPRINT,
                        SchemaFingerprint.toBytes(rules.fingerprint()));
                RecordSignatures.sign(
                        stack.keys().author(StackKeys.OPERATOR).signer(),
                        Topic.RULES.topicName(),
                        value,
                        headers::add);
                more.add(
                        new ProducerRecord<>(
                                Topic.RULES.topicName(),
                                null,
                                null,
                                "x-rule".getBytes(StandardCharsets.UTF_8),
                                value,
                                headers));
            }
            return more;
        }

        void killTaskManager() throws Exception {
            ManagedProcess tm = stack.running(FlinkSessionCluster.TASKMANAGER).orElseThrow();
            say("kill -9 TaskManager pid " + tm.pid());
            new ProcessBuilder("kill", "-9", Long.toString(tm.pid())).start().waitFor();
            await(
                    "a new TaskManager",
                    Duration.ofSeconds(90),
                    () ->
                            stack.running(FlinkSessionCluster.TASKMANAGER)
                                    .map(p -> p.pid() != tm.pid())
                                    .orElse(false));
        }

        void restartBroker() throws Exception {
            ManagedProcess broker = stack.running(KafkaBroker.ROLE).orElseThrow();
            say("restarting the broker, pid " + broker.pid());
            broker.stop(Duration.ofSeconds(30));
            await(
                    "the broker back",
                    Duration.ofSeconds(90),
                    () ->
                            stack.running(KafkaBroker.ROLE)
                                    .map(p -> p.pid() != broker.pid())
                                    .orElse(false));
        }

        void downAndUp() {
            say("vigil down ...");
            stack.stop();
            stack = new LocalStack(StackSettings.load(data), line -> say(line));
            say("vigil up ...");
            up();
        }

        void awaitJobsRunning() throws Exception {
            await(
                    "every job RUNNING",
                    Duration.ofSeconds(120),
                    () -> {
                        List<FlinkRestClient.Job> jobs = stack.flink().rest().jobs();
                        return jobs.stream().filter(j -> j.state().equals("RUNNING")).count() >= 6;
                    });
        }

        void awaitOutputs(Duration timeout) throws Exception {
            await(
                    "the first outputs",
                    timeout,
                    () -> !endpoint().readCommitted(Topic.NODE_HEALTH.topicName()).isEmpty());
        }

        /** Waits until nothing changes for a while, checks the jobs and the trail, reads all. */
        Map<Topic, Map<String, List<String>>> finish() throws Exception {
            awaitJobsRunning();
            Map<String, Long> sizes = Map.of();
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            // released event time travels through up to three jobs, each idle after its input;
            // remediation's alerts wait longer
            Duration quiet = REMEDIATION_IDLENESS.plus(IDLENESS);
            while (System.nanoTime() - quietSince < quiet.toNanos()) {
                assertThat(System.nanoTime()).as("outputs settle").isLessThan(deadline);
                Thread.sleep(2_000);
                Map<String, Long> now = stableEnds();
                if (!now.equals(sizes)) {
                    sizes = now;
                    quietSince = System.nanoTime();
                }
            }
            say("outputs settled: " + sizes);
            for (FlinkRestClient.Job job : stack.flink().rest().jobs()) {
                if (job.state().equals("RUNNING")) {
                    continue;
                }
                // jobs of an earlier cluster generation are gone; none may have FAILED
                assertThat(job.state()).as(job.name()).isNotEqualTo("FAILED");
            }
            Map<Topic, Map<String, List<String>>> outputs = new TreeMap<>();
            for (int attempt = 1; ; attempt++) {
                awaitAuditTail();
                Map<String, Long> before = stableEnds();
                for (Topic t : OUTPUTS) {
                    outputs.put(t, normalised(t));
                }
                if (stableEnds().equals(before)) {
                    break;
                }
                // a transaction committed after the outputs settled: read them all again
                assertThat(attempt).as("outputs still change after settling").isLessThan(3);
                say("outputs changed while they were read; again");
            }
            // which chains are signed; how far each head reaches depends on timing (see Normal)
            outputs.get(Topic.AUDIT_CHECKPOINTS).replaceAll((chain, heads) -> List.of("signed"));
            return outputs;
        }

        /**
         * Verifies the trail, waiting while records past their chain's newest head have no entry
         * yet: the audit job appends its inputs' last records once they fall idle, and a record
         * that reached its topic late (its transaction committed after the others settled) may
         * still wait for that. Every one must get its entry.
         */
        private void awaitAuditTail() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int verified = verify(out);
            long tail = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (verified == 0 && out.toString(StandardCharsets.UTF_8).contains("no entry yet")) {
                assertThat(System.nanoTime())
                        .as("the audit's last records appended: " + out)
                        .isLessThan(tail);
                Thread.sleep(5_000);
                out.reset();
                verified = verify(out);
            }
            String report = out.toString(StandardCharsets.UTF_8);
            say(report);
            assertThat(verified).as(report).isZero();
            assertThat(report).contains("audit trail intact").contains("audit trail complete");
        }

        private int verify(ByteArrayOutputStream out) {
            return new AuditCommand(
                            stack.kafka(StackPrincipals.AUDITOR),
                            stack.keys().publicKeys(),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            System.err)
                    .run(new ArrayList<>(List.of("verify")));
        }

        private Map<String, List<String>> normalised(Topic topic) throws Exception {
            Map<String, List<String>> byId = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : endpoint().readCommitted(topic.topicName())) {
                String[] idAndValue = Normal.of(topic, r.value());
                byId.computeIfAbsent(idAndValue[0], k -> new ArrayList<>()).add(idAndValue[1]);
            }
            byId.values().forEach(v -> v.sort(null));
            return byId;
        }

        /** The last stable offset of each output partition: what read_committed can read. */
        Map<String, Long> stableEnds() {
            Properties p = stack.kafka(StackPrincipals.ADMIN).toProperties();
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<String, Long> ends = new TreeMap<>();
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(
                            p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (Topic t : OUTPUTS) {
                    c.partitionsFor(t.topicName(), Duration.ofSeconds(30))
                            .forEach(
                                    i ->
                                            partitions.add(
                                                    new TopicPartition(
                                                            t.topicName(), i.partition())));
                }
                c.endOffsets(partitions, Duration.ofSeconds(30))
                        .forEach((tp, end) -> ends.put(tp.toString(), end));
            }
            return ends;
        }

        KafkaEndpoint endpoint() {
            return KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN));
        }

        void say(String line) {
            System.out.println(Instant.now() + " [" + name + "] " + line);
        }

        @Override
        public void close() {
            stack.stop();
        }
    }

    /**
     * Identity and comparable value of an output record, processing-time fields and signatures
     * aside.
     */
    static final class Normal {
        static String[] of(Topic topic, byte[] value) throws Exception {
            return switch (topic) {
                case NODE_HEALTH -> {
                    NodeHealthSummary s = decode(NodeHealthSummary.class, value);
                    yield pair(
                            s.getNodeId() + "|" + s.getWindowStart() + "|r" + s.getRevision(), s);
                }
                case ALERTS -> {
                    ThreatAlert a = decode(ThreatAlert.class, value);
                    a.setDetectedAt(Instant.EPOCH);
                    yield pair(a.getAlertId(), a);
                }
                case ANOMALIES -> {
                    AnomalyScore s = decode(AnomalyScore.class, value);
                    s.setScoredAt(Instant.EPOCH);
                    yield pair(s.getNodeId() + "|" + s.getEventTime() + "|" + s.getModelName(), s);
                }
                case CARBON -> {
                    CarbonReport c = decode(CarbonReport.class, value);
                    yield pair(
                            c.getLevel()
                                    + "|"
                                    + c.getKey()
                                    + "|"
                                    + c.getWindowSize()
                                    + "|"
                                    + c.getWindowStart()
                                    + "|r"
                                    + c.getRevision(),
                            c);
                }
                case REMEDIATION_COMMANDS -> {
                    RemediationCommand c = decode(RemediationCommand.class, value);
                    c.setKeyId("");
                    c.setSignatureEd25519(ByteBuffer.allocate(0));
                    c.setSignatureMlDsa(ByteBuffer.allocate(0));
                    yield pair(c.getCommandId() + "|" + c.getAttempt(), c);
                }
                case REMEDIATION_RESULTS -> {
                    RemediationResult r = decode(RemediationResult.class, value);
                    yield pair(r.getCommandId() + "|" + r.getStatus() + "|" + r.getAttempt(), r);
                }
                case AUDIT -> {
                    // an entry is compared by the record it audits (payloads carry alerts'
                    // detection times and commands' signatures). Not by its sequence number: a
                    // record that reaches the audit job behind its event time (a sparse topic,
                    // idle, read after a busier one) goes at its chain's end, where its position
                    // depends on read order (docs/RELIABILITY.md, "What still depends on
                    // timing"). vigil audit verify checks each run's chain and completeness
                    AuditEvent e = decode(AuditEvent.class, value);
                    yield new String[] {
                        e.getChainId()
                                + "|"
                                + e.getEventType()
                                + "|"
                                + e.getSubjectId()
                                + "|"
                                + e.getSourceTopic()
                                + "|"
                                + e.getOccurredAt(),
                        "entry"
                    };
                }
                case AUDIT_CHECKPOINTS -> {
                    // heads are signed at interval boundaries that saw new entries; with late
                    // entries (above) which boundaries those are, and so each head's size,
                    // depends on timing too: only the chains signed are compared
                    AuditCheckpoint c = decode(AuditCheckpoint.class, value);
                    yield new String[] {c.getChainId(), "signed"};
                }
                case DEAD_LETTERS -> {
                    DeadLetter d = decode(DeadLetter.class, value);
                    d.setDetectedAt(Instant.EPOCH);
                    byte[] raw = d.getValue() == null ? new byte[0] : bytes(d.getValue());
                    String hash =
                            HexFormat.of()
                                    .formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
                    // offsets of hostile records differ between runs; their content does not
                    d.setSourceOffset(-1);
                    d.setSourceTimestamp(Instant.EPOCH);
                    yield pair(d.getJob() + "|" + d.getReasonCode() + "|" + hash, d);
                }
                case RULE_ACKS -> {
                    RuleAck a = decode(RuleAck.class, value);
                    a.setAckedAt(Instant.EPOCH);
                    yield pair(a.getCommandId(), a);
                }
                default -> throw new IllegalArgumentException(topic.name());
            };
        }

        private static String[] pair(String id, SpecificRecord value) {
            return new String[] {id, value.toString()};
        }

        private static <T extends SpecificRecord> T decode(Class<T> type, byte[] value)
                throws Exception {
            return AvroCodec.of(type).decode(value);
        }
    }

    /** What {@code a} has that {@code b} has not, per topic and id. */
    static Map<Topic, Map<String, List<String>>> minus(
            Map<Topic, Map<String, List<String>>> a, Map<Topic, Map<String, List<String>>> b) {
        Map<Topic, Map<String, List<String>>> out = new TreeMap<>();
        for (Map.Entry<Topic, Map<String, List<String>>> t : a.entrySet()) {
            Map<String, List<String>> other = b.getOrDefault(t.getKey(), Map.of());
            for (Map.Entry<String, List<String>> e : t.getValue().entrySet()) {
                List<String> left = new ArrayList<>(e.getValue());
                for (String v : other.getOrDefault(e.getKey(), List.of())) {
                    left.remove(v);
                }
                if (!left.isEmpty()) {
                    out.computeIfAbsent(t.getKey(), k -> new TreeMap<>()).put(e.getKey(), left);
                }
            }
        }
        return out;
    }

    /**
     * The outputs without the threat job's dead letters for events that arrived behind their rule
     * key's evaluation (a key spanning partitions, or a read order that handed one partition's
     * records over after others'): which events those are depends on timing, not on the input
     * (docs/RELIABILITY.md, "What still depends on timing"). Every alert is still compared; the
     * late events of the exact partition rule (the late sample) stay in.
     */
    private static Map<Topic, Map<String, List<String>>> withoutKeyLateness(
            Map<Topic, Map<String, List<String>>> outputs) {
        Map<String, List<String>> deadLetters = outputs.get(Topic.DEAD_LETTERS);
        if (deadLetters != null) {
            int before = deadLetters.size();
            deadLetters
                    .entrySet()
                    .removeIf(
                            e ->
                                    e.getKey().startsWith("threat-detection|LATE_EVENT|")
                                            && e.getValue().stream()
                                                    .allMatch(
                                                            v ->
                                                                    v.contains(
                                                                            "arrived behind the"
                                                                                + " watermark")));
            System.out.println(
                    "left out "
                            + (before - deadLetters.size())
                            + " threat events late at their key");
        }
        return outputs;
    }

    /** Writes a difference to target/ for whoever has to read why a comparison failed. */
    private static void dump(String name, Map<Topic, Map<String, List<String>>> diff)
            throws Exception {
        StringBuilder text = new StringBuilder();
        diff.forEach(
                (topic, byId) ->
                        byId.forEach(
                                (id, values) ->
                                        values.forEach(
                                                v ->
                                                        text.append(topic)
                                                                .append('\t')
                                                                .append(id)
                                                                .append('\t')
                                                                .append(v)
                                                                .append('\n'))));
        Path out = Path.of("target", "stack-faults-" + name + ".tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text, StandardCharsets.UTF_8);
    }

    private static int count(Map<String, List<String>> byId) {
        return byId.values().stream().mapToInt(List::size).sum();
    }

    private static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static ProducerRecord<byte[], byte[]> record(
            Topic topic, String key, long timestamp, byte[] value, long fingerprint) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(fingerprint));
        return new ProducerRecord<>(
                topic.topicName(),
                null,
                timestamp,
                key.getBytes(StandardCharsets.UTF_8),
                value,
                headers);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The simulator's records of one tick, keyed as the simulator's Kafka output keys them. */
    private static final class Recorder implements FleetSimulator.Output {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        TelemetryEvent firstPower;

        @Override
        public void telemetry(TelemetryEvent event) {
            if (firstPower == null && event.getPower() != null) {
                firstPower = event;
            }
            add(
                    Topic.TELEMETRY,
                    event.getNode().getNodeId(),
                    event.getEventTime().toEpochMilli(),
                    event);
        }

        @Override
        public void label(GroundTruthLabel label) {
            add(
                    Topic.GROUND_TRUTH,
                    label.getScenarioId(),
                    label.getStartTime().toEpochMilli(),
                    label);
        }

        @Override
        public void gridIntensity(GridIntensity g) {
            add(
                    Topic.GRID_INTENSITY,
                    g.getRegion() + "/" + g.getValidFrom().toEpochMilli(),
                    g.getValidFrom().toEpochMilli(),
                    g);
        }

        @SuppressWarnings("unchecked")
        private <T extends SpecificRecord> void add(Topic topic, String key, long time, T value) {
            AvroCodec<T> codec = AvroCodec.of((Class<T>) value.getClass());
            RecordHeaders headers = new RecordHeaders();
            headers.add(
                    VigilHeaders.SCHEMA_FINGERPRINT,
                    SchemaFingerprint.toBytes(codec.fingerprint()));
            records.add(
                    new ProducerRecord<>(
                            topic.topicName(),
                            null,
                            time,
                            key.getBytes(StandardCharsets.UTF_8),
                            codec.encode(value),
                            headers));
        }
    }
}
