package dev.vigil.jobs.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection quality of the built-in catalogue on the simulator's labelled scenarios (attacks and
 * near misses) run through the real job on a real broker: per rule recall, precision and
 * false-positive rate against the ground truth, printed as a table and held to the seed's targets.
 */
class ThreatDetectionQualityITCase {

    /** Another seed or length: -Dvigil.quality.seed=7 -Dvigil.quality.hours=6. */
    static final long SEED = Long.getLong("vigil.quality.seed", 42);

    static final Duration RUN = Duration.ofHours(Long.getLong("vigil.quality.hours", 3));

    /** Fleet size: -Dvigil.quality.nodes=200 (default: the small 16-node fleet). */
    static final String NODES = System.getProperty("vigil.quality.nodes");

    // midnight UTC, so the run spans the 02:00-04:00 change window and its near misses
    static final Instant START = Instant.parse("2026-01-15T00:00:00Z");

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    @Test
    void catalogueMeetsTheRecallAndFalsePositiveTargets() throws Exception {
        String prefix = "quality-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KAFKA.createTopics(
                4, prefix + Topic.TELEMETRY.topicName(), prefix + Topic.ALERTS.topicName());
        KAFKA.createTopics(
                1,
                prefix + Topic.GROUND_TRUTH.topicName(),
                prefix + Topic.GRID_INTENSITY.topicName(),
                prefix + Topic.RULES.topicName(),
                prefix + Topic.RULE_ACKS.topicName(),
                prefix + Topic.ANOMALIES.topicName(),
                prefix + Topic.DEAD_LETTERS.topicName());

        List<String> simulatorArgs =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--rate",
                                "max",
                                "--duration",
                                RUN.toMinutes() + "m",
                                "--start",
                                START.toString(),
                                "--seed",
                                Long.toString(SEED),
                                "--topic-prefix",
                                prefix));
        if (NODES != null) {
            simulatorArgs.addAll(List.of("--nodes", NODES));
        }
        SimulatorOptions simulation =
                SimulatorOptions.parse(simulatorArgs.toArray(String[]::new), Instant.now());
        assertThat(SimulatorMain.run(simulation)).isTrue();

        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--topic.telemetry",
                            prefix + "telemetry",
                            "--topic.rules",
                            prefix + "rules",
                            "--topic.anomalies",
                            prefix + "anomalies",
                            "--topic.alerts",
                            prefix + "alerts",
                            "--topic.rule-acks",
                            prefix + "rule-acks",
                            "--topic.dead-letters",
                            prefix + "dead-letters",
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "2 s",
                            "--checkpoint.dir",
                            checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix",
                            prefix,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2"
                        },
                        ThreatDetectionJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatDetectionJob.configure(env, options);
        env.execute("threat-detection-quality");

        List<GroundTruthLabel> labels = decode(prefix + "ground-truth", GroundTruthLabel.class);
        List<ThreatAlert> alerts = decode(prefix + "alerts", ThreatAlert.class);
        List<String> rules = new ArrayList<>();
        for (String json : RuleCatalogue.builtIn()) {
            rules.add(RuleParser.parse(json).id());
        }
        Map<String, DetectionScore.Row> rows =
                DetectionScore.score(
                        rules,
                        labels,
                        alerts,
                        simulation.fleet().nodeCount(),
                        START.toEpochMilli(),
                        RUN.toMillis());
        System.out.println(
                "Detection quality, seed "
                        + SEED
                        + ", "
                        + simulation.fleet().nodeCount()
                        + " nodes, "
                        + RUN.toHours()
                        + " h:");
        System.out.println(DetectionScore.table(rows));

        assertThat(rows.values().stream().mapToInt(DetectionScore.Row::attacks).sum())
                .isGreaterThanOrEqualTo(30);
        for (DetectionScore.Row row : rows.values()) {
            assertThat(row.recall())
                    .as(row.rule() + " recall; missed " + row.missed())
                    .isGreaterThanOrEqualTo(0.99);
            assertThat(row.falsePositiveRate())
                    .as(row.rule() + " false-positive rate; " + row.falseAlerts())
                    .isLessThanOrEqualTo(0.001);
            assertThat(row.maxLatencyMs())
                    .as(row.rule() + " event-time detection latency")
                    .isLessThanOrEqualTo(1000);
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
            String topic, Class<T> type) throws Exception {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(topic)) {
            out.add(codec.decode(record.value()));
        }
        return out;
    }
}
