package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewCommandTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    private static LiveViewCommand.Options parse(String... args) {
        return LiveViewCommand.Options.parse(
                new ArrayList<>(List.of(args)), java.time.Duration.ofHours(1), CLOCK);
    }

    @Test
    void followStartsAtTheEndAndOtherwiseAnHourBackOrAtSince() {
        assertThat(parse("--follow").since()).isNull();
        assertThat(parse("--follow").follow()).isTrue();
        assertThat(parse().since()).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
        assertThat(parse("--since", "10m").since())
                .isEqualTo(Instant.parse("2026-12-04T11:50:00Z"));
        assertThat(parse("-f", "--since", "2026-12-04T08:00:00Z").since())
                .isEqualTo(Instant.parse("2026-12-04T08:00:00Z"));
        assertThat(parse("--limit", "3").limit()).isEqualTo(3);
        assertThatThrownBy(() -> parse("--limit", "0")).hasMessage("--limit must be at least 1");
        assertThatThrownBy(() -> parse("--since", "ten minutes"))
                .hasMessageContaining("a duration looks like 90s, 10m");
    }

    @Test
    void anUnknownSeverityOrTopicIsNamedBeforeAnythingIsRead() {
        // nothing listens on port 1: a command that tried to read would time out instead
        LiveViewCommand command =
                new LiveViewCommand(
                        KafkaClientSettings.plaintext("localhost:1"),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        CLOCK);
        assertThatThrownBy(
                        () ->
                                command.alerts(
                                        new ArrayList<>(List.of("--severity", "HIGH,CRITICAL"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--severity: 'HIGH' is none of [BENIGN, CRITICAL, MALICIOUS, SUSPICIOUS]");
        assertThatThrownBy(() -> command.tail(new ArrayList<>(List.of("alert"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no topic 'alert'");
    }

    @Test
    void anAlertIsOneLineWithWhenWhatWhereAndItsId() {
        ThreatAlert alert =
                ThreatAlert.newBuilder()
                        .setAlertId("a-1")
                        .setRuleId("overheating")
                        .setRuleVersion(2)
                        .setTitle("Node overheating")
                        .setSeverity("SUSPICIOUS")
                        .setGroupBy("node")
                        .setGroupKey("node-00003")
                        .setNodeId("node-00003")
                        .setRiskScore(0.456)
                        .setRiskLevel("MEDIUM")
                        .setAnomalyComponent(0)
                        .setBehaviouralComponent(1)
                        .setEvidence(List.of())
                        .setFirstEventTime(Instant.parse("2026-12-04T11:58:00Z"))
                        .setLastEventTime(Instant.parse("2026-12-04T11:59:00Z"))
                        .setDetectedAt(Instant.parse("2026-12-04T11:59:02Z"))
                        .setDetectionLatencyMs(0)
                        .build();

        assertThat(LiveViewCommand.line(alert))
                .isEqualTo(
                        "2026-12-04T11:59:02Z SUSPICIOUS overheating v2  node node-00003  risk 0.46"
                                + " MEDIUM  Node overheating  (alert a-1, 0 events"
                                + " 2026-12-04T11:58:00Z .. 2026-12-04T11:59:00Z)");
    }
}
