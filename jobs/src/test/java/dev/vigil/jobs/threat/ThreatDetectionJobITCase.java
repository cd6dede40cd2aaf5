package dev.vigil.jobs.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.threat.engine.RiskScorer;
import dev.vigil.operators.threat.rules.Severity;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running job takes rule commands from the {@code rules} topic: each is acknowledged on {@code
 * rule-acks} and changes the alerts within seconds, without a restart.
 */
class ThreatDetectionJobITCase {

    static final long T = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    static final String RULE_V1 =
            """
            {"id": "failed-logins", "version": 1, "title": "Failed logins", "description": "Three failures on a node within a minute.",
             "severity": "SUSPICIOUS", "groupBy": ["node"], "scope": {"field": "security.kind", "eq": "AUTH_FAILURE"},
             "steps": [{"name": "failure", "where": {"field": "security.kind", "eq": "AUTH_FAILURE"}, "times": 3}], "within": "60s"}
            """;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    private final AvroCodec<TelemetryEvent> telemetry = AvroCodec.of(TelemetryEvent.class);
    private final Map<String, Long> sequences = new HashMap<>();
    private String prefix;

    @Test
    void rulesAppliedChangedAndDisabledThroughTheTopicChangeAlertsWithoutRestart()
            throws Exception {
        prefix = "reload-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KAFKA.createTopics(
                1,
                topic("telemetry"),
                topic("rules"),
                topic("rule-acks"),
                topic("alerts"),
                topic("anomalies"),
                topic("dead-letters"));
        JobClient job = start();
        try {
            command("c1", "UPSERT", 1, RULE_V1);
            assertThat(awaitAck("c1").getStatus()).isEqualTo("APPLIED");

            // the inference job scored node-a as strongly anomalous just before the failures
            anomaly("node-a", T - 2_000, 0.9);
            failures("node-a", T, 3);
            metric("node-a", T + 10_000);
            ThreatAlert first =
                    await(ThreatAlert.class, "alerts", a -> a.getRuleId().equals("failed-logins"));
            assertThat(first.getNodeId()).isEqualTo("node-a");
            // risk = 0.3 · 0.9 (anomaly) + 0.4 · severity weight + 0.3 · 0.5 (neutral behaviour)
            assertThat(first.getAnomalyComponent()).isEqualTo(0.9);
            assertThat(first.getRiskScore())
                    .isEqualTo(
                            RiskScorer.score(
                                    Severity.valueOf(first.getSeverity()),
                                    0.9,
                                    RiskScorer.NEUTRAL));

            command("c2", "DISABLE", 1, null);
            assertThat(awaitAck("c2").getStatus()).isEqualTo("APPLIED");
            failures("node-b", T + 20_000, 3);
            // a built-in rule fires on node-c after node-b's failures in event time: by then they
            // were evaluated
            security(
                    "node-c",
                    T + 25_000,
                    SecurityEvent.newBuilder()
                            .setKind("CONFIG_CHANGE")
                            .setUser("admin")
                            .setTarget("firewall.rules")
                            .build());
            metric("node-a", T + 40_000);
            await(
                    ThreatAlert.class,
                    "alerts",
                    a -> a.getRuleId().equals("config-change-outside-window"));
            assertThat(read(ThreatAlert.class, "alerts"))
                    .noneMatch(a -> "node-b".equals(a.getNodeId()));

            command(
                    "c3",
                    "UPSERT",
                    2,
                    RULE_V1.replace("\"version\": 1", "\"version\": 2")
                            .replace("\"times\": 3", "\"times\": 2"));
            assertThat(awaitAck("c3").getStatus()).isEqualTo("APPLIED");
            failures("node-d", T + 50_000, 2);
            metric("node-a", T + 70_000);
            ThreatAlert v2 =
                    await(ThreatAlert.class, "alerts", a -> "node-d".equals(a.getNodeId()));
            assertThat(v2.getRuleVersion()).isEqualTo(2);

            command(
                    "c4",
                    "UPSERT",
                    3,
                    RULE_V1.replace("\"version\": 1", "\"version\": 3")
                            .replace("\"node\"]", "\"host\"]"));
            RuleAck rejected = awaitAck("c4");
            assertThat(rejected.getStatus()).isEqualTo("REJECTED");
            assertThat(rejected.getReason())
                    .startsWith("definition.groupBy[0]: 'host' is not one of");

            command("c5", "DELETE", 2, null);
            assertThat(awaitAck("c5").getStatus()).isEqualTo("APPLIED");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aRulesFileCanReplaceTheBuiltInCatalogue() throws Exception {
        prefix = "file-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KAFKA.createTopics(
                1,
                topic("telemetry"),
                topic("rules"),
                topic("rule-acks"),
                topic("alerts"),
                topic("anomalies"),
                topic("dead-letters"));
        Path rules = checkpoints.resolve("rules.json");
        java.nio.file.Files.writeString(
                rules,
                "["
                        + java.nio.file.Files.readString(
                                Path.of("../docs/rules/examples/file-access-burst.json"))
                        + "]");
        for (int i = 0; i < 3; i++) {
            security(
                    "node-f",
                    T + i * 20_000L,
                    SecurityEvent.newBuilder()
                            .setKind("FILE_ACCESS")
                            .setUser("svc")
                            .setTarget("/var/lib/edge/d" + i)
                            .build());
        }
        // a brute force the built-in catalogue would report
        failures("node-g", T + 70_000, 12);
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers", KAFKA.bootstrapServers(),
                            "--topic.telemetry", topic("telemetry"),
                            "--topic.rules", topic("rules"),
                            "--topic.alerts", topic("alerts"),
                            "--topic.anomalies", topic("anomalies"),
                            "--topic.rule-acks", topic("rule-acks"),
                            "--topic.dead-letters", topic("dead-letters"),
                            "--source.bounded", "true",
                            "--watermark.idleness", "0 s",
                            "--checkpoint.dir", checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix", prefix,
                            "--rules.builtin", "false",
                            "--rules.file", rules.toString()
                        },
                        ThreatDetectionJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatDetectionJob.configure(env, options);
        env.execute("rules-file");

        assertThat(read(ThreatAlert.class, "alerts"))
                .extracting(ThreatAlert::getRuleId, ThreatAlert::getNodeId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("file-access-burst", "node-f"));
    }

    private JobClient start() throws Exception {
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers", KAFKA.bootstrapServers(),
                            "--topic.telemetry", topic("telemetry"),
                            "--topic.rules", topic("rules"),
                            "--topic.alerts", topic("alerts"),
                            "--topic.anomalies", topic("anomalies"),
                            "--topic.rule-acks", topic("rule-acks"),
                            "--topic.dead-letters", topic("dead-letters"),
                            "--watermark.idleness", "0 s",
                            "--checkpoint.interval", "500 ms",
                            "--checkpoint.dir", checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix", prefix,
                            "--restart.attempts", "0"
                        },
                        ThreatDetectionJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatDetectionJob.configure(env, options);
        return env.executeAsync("threat-detection-reload");
    }

    private void command(String id, String action, int version, String definition) {
        RuleCommand command =
                RuleCommand.newBuilder()
                        .setCommandId(id)
                        .setRuleId("failed-logins")
                        .setAction(action)
                        .setVersion(version)
                        .setDefinition(definition)
                        .setIssuedBy("it")
                        .setIssuedAt(Instant.now())
                        .build();
        AvroCodec<RuleCommand> codec = AvroCodec.of(RuleCommand.class);
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                topic("rules"),
                                "failed-logins".getBytes(StandardCharsets.UTF_8),
                                codec.encode(command))));
    }

    private void anomaly(String node, long time, double strength) {
        AnomalyScore score =
                AnomalyScore.newBuilder()
                        .setHub("hub-01")
                        .setRegion("eu-west-1")
                        .setCluster("eu-west-1-c01")
                        .setNodeId(node)
                        .setModelName("node-autoencoder")
                        .setModelVersion("1.0.0")
                        .setScore(9.0)
                        .setThreshold(1.0)
                        .setAnomalous(true)
                        .setAnomalyStrength(strength)
                        .setTopFeatures(List.of())
                        .setEventTime(Instant.ofEpochMilli(time))
                        .setScoredAt(Instant.ofEpochMilli(time))
                        .build();
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                topic("anomalies"),
                                node.getBytes(StandardCharsets.UTF_8),
                                AvroCodec.of(AnomalyScore.class).encode(score))));
    }

    private RuleAck awaitAck(String commandId) throws Exception {
        return await(RuleAck.class, "rule-acks", a -> a.getCommandId().equals(commandId));
    }

    private void failures(String node, long from, int count) {
        for (int i = 0; i < count; i++) {
            security(
                    node,
                    from + i * 1000L,
                    SecurityEvent.newBuilder()
                            .setKind("AUTH_FAILURE")
                            .setUser("root")
                            .setSrcIp("203.0.113.7")
                            .setFailureReason("BAD_PASSWORD")
                            .build());
        }
    }

    private void security(String node, long time, SecurityEvent security) {
        send(base(node, time).setSensorId("sec").setSecurity(security).build());
    }

    private void metric(String node, long time) {
        send(
                base(node, time)
                        .setMetric(MetricSample.newBuilder().setCpuPercent(20.0).build())
                        .build());
    }

    private TelemetryEvent.Builder base(String node, long time) {
        long seq = sequences.merge(node, 1L, Long::sum) - 1;
        return TelemetryEvent.newBuilder()
                .setEventId(node + "-" + seq)
                .setNode(
                        NodeIdentity.newBuilder()
                                .setHub("hub-01")
                                .setRegion("eu-west-1")
                                .setCluster("eu-west-1-c01")
                                .setNodeId(node)
                                .setSiteId("site-1")
                                .setSiteType("RETAIL")
                                .build())
                .setSensorId("sys")
                .setEventTime(Instant.ofEpochMilli(time))
                .setSequence(seq);
    }

    private void send(TelemetryEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT,
                SchemaFingerprint.toBytes(telemetry.fingerprint()));
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                topic("telemetry"),
                                0,
                                event.getEventTime().toEpochMilli(),
                                event.getNode().getNodeId().getBytes(StandardCharsets.UTF_8),
                                telemetry.encode(event),
                                headers)));
    }

    private <T extends SpecificRecord> T await(Class<T> type, String name, Predicate<T> wanted)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (T record : read(type, name)) {
                if (wanted.test(record)) {
                    return record;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "no matching record on " + name + " within 60 s; found " + read(type, name));
    }

    private <T extends SpecificRecord> List<T> read(Class<T> type, String name) throws Exception {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(topic(name))) {
            out.add(codec.decode(record.value()));
        }
        return out;
    }

    private String topic(String name) {
        return prefix + name;
    }
}
