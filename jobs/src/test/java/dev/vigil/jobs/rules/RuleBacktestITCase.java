package dev.vigil.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.TelemetryWriter;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backtest replays stored telemetry of a time range from a real broker through one rule and sets
 * the alerts it would have raised against the ground-truth labels of that time.
 */
class RuleBacktestITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final long T = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    @Test
    void theRuleIsScoredPerLabelOverTheChosenTimeOnly() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String telemetry = "telemetry-" + suffix;
        String labels = "ground-truth-" + suffix;
        KAFKA.createTopics(2, telemetry, labels);
        TelemetryWriter writer = new TelemetryWriter(KAFKA, telemetry);
        // an attack inside the range, on node-1
        for (int i = 0; i < 12; i++) {
            writer.add(writer.authFailure("node-1", T + i * 1000), 0);
        }
        // a near miss inside the range: an operator's three typos on node-2
        for (int i = 0; i < 3; i++) {
            writer.add(typo("node-2", T + 60_000 + i * 7000, writer), 1);
        }
        // an unlabelled attack inside the range, on node-3
        for (int i = 0; i < 10; i++) {
            writer.add(writer.authFailure("node-3", T + 600_000 + i * 500), 1);
        }
        // the same attack two hours later, outside the range
        for (int i = 0; i < 12; i++) {
            writer.add(writer.authFailure("node-1", T + 7_200_000 + i * 1000), 0);
        }
        for (int i = 0; i < 10; i++) {
            writer.add(writer.metric("node-4", T + 3_600_000 + i * 1000, 30), 0);
        }
        writer.send();
        AvroCodec<GroundTruthLabel> codec = AvroCodec.of(GroundTruthLabel.class);
        KAFKA.produce(
                List.of(
                        label(codec, labels, "a1", false, "node-1", T, T + 11_000),
                        label(codec, labels, "n1", true, "node-2", T + 60_000, T + 74_000),
                        label(codec, labels, "a2", false, "node-1", T + 7_200_000, T + 7_211_000)));

        String rule = builtIn("brute-force");
        RuleBacktest.Report report;
        try (RuleRunner runner = new RuleRunner()) {
            report =
                    new RuleBacktest(runner, KAFKA.bootstrapServers(), telemetry, labels)
                            .run(
                                    "brute-force",
                                    rule,
                                    Instant.ofEpochMilli(T - 60_000),
                                    Instant.ofEpochMilli(T + 3_600_000));
        }
        assertThat(report.alerts())
                .extracting(ThreatAlert::getNodeId)
                .containsExactly("node-1", "node-3");
        assertThat(report.alerts().get(0).getLastEventTime())
                .isEqualTo(Instant.ofEpochMilli(T + 9_000));
        assertThat(report.labels())
                .containsExactly(
                        new RuleBacktest.LabelRow("brute_force", false, 1, 1),
                        new RuleBacktest.LabelRow("brute_force", true, 1, 0));
        assertThat(report.unlabelledAlerts()).isEqualTo(1);
        assertThat(report.deadLetters()).isZero();
        assertThat(report.describe())
                .contains("rule brute-force over telemetry from 2026-01-15T09:59:00Z")
                .contains(": 2 alerts, 0 dead letters")
                .containsPattern("brute_force +attack +1 +1")
                .containsPattern("brute_force +near miss +1 +0")
                .contains("alerts on no label: 1");

        RuleFixturesITCase.Result cli =
                RuleFixturesITCase.tool(
                        "backtest",
                        "brute-force",
                        "--from",
                        "2026-01-15T11:59:00Z",
                        "--to",
                        "2026-01-15T13:00:00Z",
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        telemetry,
                        "--labels-topic",
                        labels);
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out())
                .contains(": 1 alert, 0 dead letters")
                .containsPattern("brute_force +attack +1 +1");
    }

    private static dev.vigil.schema.TelemetryEvent typo(
            String node, long time, TelemetryWriter writer) {
        return writer.event(node, time)
                .setSensorId("sec")
                .setSecurity(
                        SecurityEvent.newBuilder()
                                .setKind("AUTH_FAILURE")
                                .setUser("operator")
                                .setSrcIp("10.250.1.20")
                                .setFailureReason("BAD_PASSWORD")
                                .build())
                .build();
    }

    private static ProducerRecord<byte[], byte[]> label(
            AvroCodec<GroundTruthLabel> codec,
            String topic,
            String id,
            boolean nearMiss,
            String node,
            long start,
            long end) {
        GroundTruthLabel label =
                GroundTruthLabel.newBuilder()
                        .setScenarioId(id)
                        .setScenario("brute_force")
                        .setNearMiss(nearMiss)
                        .setNodeIds(List.of(node))
                        .setStartTime(Instant.ofEpochMilli(start))
                        .setEndTime(Instant.ofEpochMilli(end))
                        .setAttributes(Map.of())
                        .setDescription("test")
                        .build();
        return new ProducerRecord<>(
                topic, 0, start, id.getBytes(StandardCharsets.UTF_8), codec.encode(label));
    }

    private static String builtIn(String id) throws Exception {
        for (String rule : RuleCatalogue.builtIn()) {
            if (RuleParser.parse(rule).id().equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
