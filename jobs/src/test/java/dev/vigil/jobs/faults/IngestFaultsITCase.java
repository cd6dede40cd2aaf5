package dev.vigil.jobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.carbon.CarbonJob;
import dev.vigil.jobs.carbon.CarbonJobOptions;
import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.jobs.common.RunningJob;
import dev.vigil.jobs.common.TelemetryWriter;
import dev.vigil.jobs.health.NodeHealthJob;
import dev.vigil.jobs.health.NodeHealthJobOptions;
import dev.vigil.jobs.threat.ThreatDetectionJob;
import dev.vigil.jobs.threat.ThreatDetectionJobOptions;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest faults the probes of the local stack found, each on a real broker and a real Flink
 * MiniCluster with the job running unbounded, as it does in production: a pause in telemetry, a
 * future-dated record, a late record while partitions are still empty at start-up, oversized
 * records, a resent event and poison rule commands.
 */
class IngestFaultsITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final long T0 = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    @TempDir Path dir;

    private String prefix;

    @Test
    void aPauseInTelemetryLongerThanTheIdlenessTimeoutDoesNotSwitchDetectionOff() throws Exception {
        topics(2, "telemetry", "rules", "rule-acks", "alerts", "anomalies", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        long start = System.currentTimeMillis() - 120_000;
        try (RunningJob job = threatJob()) {
            telemetry.add(telemetry.metric("node-y", start, 10), 1).send();
            // silent for three times the idleness timeout: the rules stream is idle for good and
            // must not become the job's event time
            Thread.sleep(6_000);
            for (int i = 0; i < 12; i++) {
                telemetry.add(telemetry.authFailure("node-x", start + 60_000 + i * 1_000L), 0);
            }
            telemetry.add(telemetry.metric("node-y", start + 75_000, 10), 1).send();

            job.await(
                    "a brute-force alert",
                    Duration.ofSeconds(60),
                    () ->
                            read(ThreatAlert.class, "alerts").stream()
                                    .anyMatch(a -> a.getRuleId().equals("brute-force")));
            assertThat(read(ThreatAlert.class, "alerts"))
                    .extracting(ThreatAlert::getRuleId, ThreatAlert::getNodeId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("brute-force", "node-x"));
            assertThat(read(DeadLetter.class, "dead-letters")).isEmpty();
        }
    }

    @Test
    void aFutureDatedRecordIsRejectedAndNoNodeCanMakeOtherNodesOnTimeEventsLate() throws Exception {
        topics(1, "telemetry", "node-health", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        // five-second windows, so that event time (which follows the clock here) closes them soon
        try (RunningJob job = healthJob("--window.size", "5 s")) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 4; i++) {
                telemetry.add(telemetry.metric("node-a", now - 3_000 + i * 500L, 10), 0);
                telemetry.add(telemetry.metric("node-b", now - 3_000 + i * 500L, 20), 0);
            }
            // both clocks the producer sets agree on 50 min ahead: the reader's clock does not
            telemetry.add(telemetry.metric("node-c", now + 50 * 60_000L, 30), 0);
            // 4 min ahead is within the skew allowed, but moves event time no further than now
            telemetry.add(telemetry.metric("node-d", now + 4 * 60_000L, 40), 0);
            for (int i = 0; i < 4; i++) {
                telemetry.add(telemetry.metric("node-a", now + 100 + i * 500L, 10), 0);
                telemetry.add(telemetry.metric("node-b", now + 100 + i * 500L, 20), 0);
            }
            telemetry.send();
            // later, one more node reports: its event time closes the others' windows
            Thread.sleep(8_000);
            telemetry.add(telemetry.metric("node-e", System.currentTimeMillis(), 50), 0).send();

            job.await(
                    "node-a's and node-b's summaries",
                    Duration.ofSeconds(60),
                    () -> {
                        List<NodeHealthSummary> h = read(NodeHealthSummary.class, "node-health");
                        return events(h, "node-a") == 8 && events(h, "node-b") == 8;
                    });
            List<NodeHealthSummary> health = read(NodeHealthSummary.class, "node-health");
            assertThat(events(health, "node-a")).isEqualTo(8);
            assertThat(events(health, "node-b")).isEqualTo(8);
            assertThat(events(health, "node-c")).isZero();
            // node-d's minute lies 4 min ahead: it closes when event time gets there
            assertThat(events(health, "node-d")).isZero();
            assertThat(read(DeadLetter.class, "dead-letters"))
                    .extracting(DeadLetter::getSourceOffset, DeadLetter::getReasonCode)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(8L, "TIMESTAMP_IN_FUTURE"));
        }
    }

    @Test
    void whetherAnEventIsLateDoesNotDependOnHowFastPartitionsWereReadAtStartUp() throws Exception {
        topics(2, "telemetry", "grid-intensity", "carbon", "alerts", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        List<TelemetryEvent> samples = new ArrayList<>();
        for (int s = 0; s <= 200; s += 10) {
            samples.add(telemetry.power("node-p", T0 + s * 1_000L, 500));
        }
        // 160 s behind its partition's newest sample: beyond the 2 min allowed lateness
        samples.add(telemetry.power("node-p", T0 + 40_500, 500));
        try (RunningJob job = carbonJob()) {
            // partition 1 stays empty, and is not idle yet when all of this is read
            samples.forEach(e -> telemetry.add(e, 0));
            telemetry.send();
            job.await(
                    "the late sample's dead letter",
                    Duration.ofSeconds(60),
                    () -> !read(DeadLetter.class, "dead-letters").isEmpty());
            job.await(
                    "the last minute's report",
                    Duration.ofSeconds(60),
                    () ->
                            read(CarbonReport.class, "carbon").stream()
                                    .anyMatch(
                                            r ->
                                                    r.getWindowStart().toEpochMilli()
                                                            == T0 + 120_000));
        }
        List<DeadLetter> live = read(DeadLetter.class, "dead-letters");
        List<CarbonReport> liveReports = read(CarbonReport.class, "carbon");

        String livePrefix = prefix;
        topics(2, "carbon", "alerts", "dead-letters");
        String replayPrefix = prefix;
        // the replay reads the live run's telemetry, as fast as it can
        carbonReplay(livePrefix + "telemetry", livePrefix + "grid-intensity");
        prefix = replayPrefix;
        List<DeadLetter> replayed = read(DeadLetter.class, "dead-letters");

        assertThat(live)
                .extracting(DeadLetter::getSourceOffset, DeadLetter::getReasonCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(21L, "LATE_EVENT"));
        assertThat(replayed)
                .extracting(DeadLetter::getSourceOffset, DeadLetter::getReasonCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(21L, "LATE_EVENT"));
        // the replay's end of input closes every window; the live run closes those its event time
        // has passed, and each of them is identical in the replay
        assertThat(liveReports).isNotEmpty();
        assertThat(values(read(CarbonReport.class, "carbon")))
                .containsAll(values(liveReports))
                .hasSizeGreaterThan(liveReports.size());
    }

    @Test
    void oversizedRecordsBecomeBoundedDeadLettersAndTheJobKeepsRunning() throws Exception {
        topics(1, "telemetry", "node-health", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        byte[] huge = new byte[1024 * 1024 + 100];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = (byte) (i % 7);
        }
        try (RunningJob job = healthJob()) {
            // the broker takes them: compressed, each batch is far below its limit
            produceCompressed(15, huge);
            telemetry.add(telemetry.metric("node-a", T0, 10), 0);
            telemetry.add(telemetry.metric("node-a", T0 + 1_000, 10), 0);
            telemetry.add(telemetry.metric("node-a", T0 + 61_000, 10), 0).send();
            job.await(
                    "node-a's first minute",
                    Duration.ofSeconds(60),
                    () -> events(read(NodeHealthSummary.class, "node-health"), "node-a") == 2);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(huge);
        List<DeadLetter> letters = read(DeadLetter.class, "dead-letters");
        assertThat(letters).hasSize(15);
        for (DeadLetter d : letters) {
            assertThat(d.getReasonCode()).isEqualTo("RECORD_TOO_LARGE");
            assertThat(d.getTruncated()).isTrue();
            assertThat(d.getValueSize()).isEqualTo((long) huge.length);
            assertThat(bytes(d.getValueSha256())).isEqualTo(hash);
            assertThat(d.getValue().remaining()).isEqualTo(16 * 1024);
        }
    }

    @Test
    void aResentEventIsCountedOnce() throws Exception {
        topics(1, "telemetry", "node-health", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(telemetry.metric("node-a", T0 + i * 1_000L, 10 + i));
        }
        try (RunningJob job = healthJob()) {
            events.forEach(e -> telemetry.add(e, 0));
            // the producer timed out waiting for acks and sent the last three again
            events.subList(3, 6).forEach(e -> telemetry.add(e, 0));
            telemetry.add(telemetry.metric("node-a", T0 + 70_000, 10), 0).send();
            job.await(
                    "the first minute's summary",
                    Duration.ofSeconds(60),
                    () -> !read(NodeHealthSummary.class, "node-health").isEmpty());
        }
        // the minute at T0 + 60 s waits for event time to pass its end
        List<NodeHealthSummary> health = read(NodeHealthSummary.class, "node-health");
        assertThat(health)
                .extracting(s -> s.getWindowStart().toEpochMilli(), NodeHealthSummary::getEvents)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T0, 6L));
        assertThat(read(DeadLetter.class, "dead-letters")).isEmpty();
    }

    @Test
    void poisonRuleCommandsAreRejectedAndTheJobKeepsDetecting() throws Exception {
        topics(1, "telemetry", "rules", "rule-acks", "alerts", "anomalies", "dead-letters");
        TelemetryWriter telemetry = new TelemetryWriter(KAFKA, topic("telemetry"));
        try (RunningJob job = threatJob()) {
            String rule =
                    "{\"id\": \"many-failures\", \"version\": 1, \"title\": \"t\", \"description\":"
                            + " \"d\", \"severity\": \"SUSPICIOUS\", \"groupBy\": [\"node\"],"
                            + " \"scope\": {\"field\": \"security.kind\", \"eq\":"
                            + " \"AUTH_FAILURE\"}, \"steps\": [{\"name\": \"f\", \"where\":"
                            + " {\"field\": \"security.kind\", \"eq\": \"AUTH_FAILURE\"},"
                            + " \"times\": 3}], \"within\": \"60s\"}";
            command("p1", rule.replace("\"60s\"", "\"99999999999999999999s\""));
            command("p2", rule.replace("\"times\": 3", "\"times\": 2000000000"));
            String deep = "{\"field\": \"security.kind\", \"eq\": \"AUTH_FAILURE\"}";
            for (int i = 0; i < 20; i++) {
                deep = "{\"not\": " + deep + "}";
            }
            command(
                    "p3",
                    rule.replace(
                            "\"scope\": {\"field\": \"security.kind\", \"eq\":"
                                    + " \"AUTH_FAILURE\"}",
                            "\"scope\": " + deep));
            job.await(
                    "three acknowledgements",
                    Duration.ofSeconds(60),
                    () -> read(RuleAck.class, "rule-acks").size() == 3);
            assertThat(read(RuleAck.class, "rule-acks"))
                    .extracting(RuleAck::getCommandId, RuleAck::getStatus, RuleAck::getReason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "p1",
                                    "REJECTED",
                                    "definition.within: '99999999999999999999s' is longer than"
                                            + " the 30 days a rule may span"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "p2",
                                    "REJECTED",
                                    "definition.steps[0].times: at most 100 repetitions are"
                                            + " allowed (each one is a state of the pattern)"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "p3",
                                    "REJECTED",
                                    "definition.scope.not.not.not.not.not.not.not.not.not:"
                                            + " conditions nest deeper than 8 levels"));
            // the catalogue still detects
            for (int i = 0; i < 10; i++) {
                telemetry.add(telemetry.authFailure("node-x", T0 + i * 1_000L), 0);
            }
            telemetry.send();
            job.await(
                    "a brute-force alert",
                    Duration.ofSeconds(60),
                    () -> !read(ThreatAlert.class, "alerts").isEmpty());
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
    }

    private RunningJob threatJob() throws Exception {
        return start(
                ThreatDetectionJobOptions.ALL,
                ThreatDetectionJob::configure,
                "--topic.telemetry",
                topic("telemetry"),
                "--topic.rules",
                topic("rules"),
                "--topic.alerts",
                topic("alerts"),
                "--topic.anomalies",
                topic("anomalies"),
                "--topic.rule-acks",
                topic("rule-acks"),
                "--topic.dead-letters",
                topic("dead-letters"));
    }

    private RunningJob healthJob(String... more) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--topic.telemetry", topic("telemetry"),
                                "--topic.node-health", topic("node-health"),
                                "--topic.dead-letters", topic("dead-letters")));
        args.addAll(List.of(more));
        return start(
                NodeHealthJobOptions.ALL, NodeHealthJob::configure, args.toArray(String[]::new));
    }

    private RunningJob carbonJob() throws Exception {
        return start(
                CarbonJobOptions.ALL,
                CarbonJob::configure,
                "--topic.telemetry",
                topic("telemetry"),
                "--topic.grid-intensity",
                topic("grid-intensity"),
                "--topic.carbon",
                topic("carbon"),
                "--topic.alerts",
                topic("alerts"),
                "--topic.dead-letters",
                topic("dead-letters"),
                // idle only well after all of the input has been read
                "--watermark.idleness",
                "10 s");
    }

    private void carbonReplay(String telemetry, String grid) throws Exception {
        Configuration options =
                options(
                        CarbonJobOptions.ALL,
                        "--topic.telemetry",
                        telemetry,
                        "--topic.grid-intensity",
                        grid,
                        "--topic.carbon",
                        topic("carbon"),
                        "--topic.alerts",
                        topic("alerts"),
                        "--topic.dead-letters",
                        topic("dead-letters"),
                        "--source.bounded",
                        "true",
                        "--watermark.idleness",
                        "0 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CarbonJob.configure(env, options);
        env.execute("carbon-replay");
    }

    private RunningJob start(
            Collection<ConfigOption<?>> all,
            BiConsumer<StreamExecutionEnvironment, Configuration> configure,
            String... args)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure.accept(env, options(all, args));
        return new RunningJob(env.executeAsync(prefix)).awaitRunning();
    }

    private Configuration options(Collection<ConfigOption<?>> all, String... args) {
        List<String> list = new ArrayList<>(List.of(args));
        list.addAll(
                List.of(
                        "--bootstrap.servers",
                        KAFKA.bootstrapServers(),
                        "--checkpoint.interval",
                        "500 ms",
                        "--checkpoint.dir",
                        dir.toUri().toString(),
                        "--sink.transactional-id-prefix",
                        prefix,
                        "--watermark.interval",
                        "100 ms",
                        "--restart.attempts",
                        "0"));
        if (!list.contains("--watermark.idleness")) {
            list.addAll(List.of("--watermark.idleness", "2 s"));
        }
        return JobArguments.parse(
                list.toArray(String[]::new), all, List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
    }

    private void command(String id, String definition) {
        RuleCommand command =
                RuleCommand.newBuilder()
                        .setCommandId(id)
                        .setRuleId("many-failures")
                        .setAction("UPSERT")
                        .setVersion(1)
                        .setDefinition(definition)
                        .setIssuedBy("it")
                        .setIssuedAt(Instant.now())
                        .build();
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                topic("rules"),
                                "many-failures".getBytes(StandardCharsets.UTF_8),
                                AvroCodec.of(RuleCommand.class).encode(command))));
    }

    private void produceCompressed(int count, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * 1024 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic("telemetry"), 0, null, value)).get();
            }
        }
    }

    private void topics(int partitions, String... names) {
        prefix = "faults-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        String[] full = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            full[i] = topic(names[i]);
        }
        KAFKA.createTopics(partitions, full);
    }

    private String topic(String name) {
        return prefix + name;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            Class<T> type, String name) throws Exception {
        return AvroTopics.read(KAFKA, topic(name), type);
    }

    private static long events(List<NodeHealthSummary> health, String node) {
        // the newest revision of each window counts
        java.util.Map<Long, NodeHealthSummary> newest = new java.util.TreeMap<>();
        for (NodeHealthSummary s : health) {
            if (s.getNodeId().equals(node)) {
                newest.merge(
                        s.getWindowStart().toEpochMilli(),
                        s,
                        (a, b) -> a.getRevision() >= b.getRevision() ? a : b);
            }
        }
        return newest.values().stream().mapToLong(NodeHealthSummary::getEvents).sum();
    }

    private static List<String> values(List<CarbonReport> reports) {
        return reports.stream().map(Object::toString).toList();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
