package dev.vigil.operators.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.AuditChain;
import dev.vigil.audit.HybridSigner;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditCompletenessTest {

    private static final long T0 = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();
    private final AvroCodec<ThreatAlert> codec = AvroCodec.of(ThreatAlert.class);

    private static ThreatAlert alert(int i) {
        long t = T0 + i * 1_000L;
        return ThreatAlert.newBuilder()
                .setAlertId("alert-" + i)
                .setRuleId("brute-force")
                .setRuleVersion(1)
                .setTitle("brute force")
                .setSeverity("MALICIOUS")
                .setGroupBy("node")
                .setGroupKey("node-1")
                .setNodeId("node-1")
                .setRiskScore(0.7)
                .setRiskLevel("HIGH")
                .setAnomalyComponent(0)
                .setBehaviouralComponent(1)
                .setEvidence(List.of())
                .setFirstEventTime(Instant.ofEpochMilli(t - 1000))
                .setLastEventTime(Instant.ofEpochMilli(t))
                .setDetectedAt(Instant.ofEpochMilli(t + 10))
                .setDetectionLatencyMs(10)
                .build();
    }

    @Test
    void aMissingEntryIsNamedByTopicPartitionAndOffsetAndNewerRecordsArePending() throws Exception {
        HybridSigner signer = HybridSigner.generate("key-0001", new SecureRandom(new byte[] {7}));
        AuditChain chain = new AuditChain("alerts");
        List<AuditEvent> entries = new ArrayList<>();
        List<AuditCompleteness.Source> sources = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] value = codec.encode(alert(i));
            sources.add(new AuditCompleteness.Source("alerts", 0, 100 + i, value));
            AuditEvent e =
                    chain.append(
                            "ALERT",
                            "alert-" + i,
                            "alerts",
                            value,
                            codec.fingerprint(),
                            Instant.ofEpochMilli(T0 + i * 1_000L));
            if (i != 2) {
                entries.add(e);
            }
        }
        AuditCheckpoint head = chain.checkpoint(signer, Instant.ofEpochMilli(T0 + 3_000), null);
        Map<String, AuditedTopic<?>> topics =
                Map.of(
                        "alerts",
                        AuditedTopic.all().stream()
                                .filter(t -> t.topic() == Topic.ALERTS)
                                .findFirst()
                                .orElseThrow());

        AuditCompleteness.Report report =
                AuditCompleteness.check(topics, Map.of("alerts", sources), entries, List.of(head));

        assertThat(report.complete()).isFalse();
        assertThat(report.missing())
                .extracting(Object::toString)
                .containsExactly(
                        "alerts partition 0 offset 102 (ALERT alert-2 at 2026-01-15T10:00:02Z) has"
                                + " no entry in chain alerts");
        assertThat(report.audited()).isEqualTo(3);
        assertThat(report.pending()).isEqualTo(1); // alert-4, after the head
        assertThat(report.waiting()).isZero(); // and appended

        List<AuditEvent> withoutTheLast = new ArrayList<>(entries.subList(0, entries.size() - 1));
        AuditCompleteness.Report tail =
                AuditCompleteness.check(
                        topics, Map.of("alerts", sources), withoutTheLast, List.of(head));
        assertThat(tail.pending()).isEqualTo(1);
        assertThat(tail.waiting()).isEqualTo(1); // alert-4 not appended yet
        assertThat(tail.missing()).hasSize(1); // still only alert-2

        AuditCompleteness.Report whole =
                AuditCompleteness.check(
                        topics, Map.of("alerts", sources), entriesOf(sources), List.of(head));
        assertThat(whole.complete()).isTrue();
        assertThat(whole.audited()).isEqualTo(4);
    }

    private List<AuditEvent> entriesOf(List<AuditCompleteness.Source> sources) {
        AuditChain chain = new AuditChain("alerts");
        List<AuditEvent> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            out.add(
                    chain.append(
                            "ALERT",
                            "alert-" + i,
                            "alerts",
                            sources.get(i).value(),
                            codec.fingerprint(),
                            Instant.ofEpochMilli(T0 + i * 1_000L)));
        }
        return out;
    }
}
