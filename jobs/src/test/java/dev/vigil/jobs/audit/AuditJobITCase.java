package dev.vigil.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.CommandSignatures;
import dev.vigil.audit.HybridPublicKeys;
import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit job over alerts, anomaly scores, rule acknowledgements, commands and their results
 * produced to a real broker: the trail it writes verifies intact with the key store's public keys;
 * a replay writes the very same entries and tree heads; and copies of the real topics with one
 * record modified, deleted, duplicated or reordered, or a tree head's signature damaged, fail
 * verification at that record's offset.
 */
class AuditJobITCase {

    static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    static final String PREFIX = "audit-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    static final String PASSWORD = "audit-itcase-password";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir static Path dir;

    static Map<String, HybridPublicKeys> keys;
    static int audited;

    @BeforeAll
    static void produce() throws Exception {
        Path store = dir.resolve("keys");
        HybridSigner signer =
                KeyStoreDirectory.openOrCreate(store, PASSWORD.toCharArray(), new SecureRandom())
                        .signer();
        keys = KeyStoreDirectory.readPublicKeys(store.resolve("public"));
        for (String t :
                List.of(
                        "alerts",
                        "anomalies",
                        "remediation-commands",
                        "remediation-results",
                        "approvals",
                        "rule-acks",
                        "models")) {
            KAFKA.createTopics(t.equals("alerts") || t.equals("anomalies") ? 4 : 1, PREFIX + t);
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t = T0 + i * 400L;
            records.add(record("alerts", i % 4, t, alert(i, t)));
            audited++;
            AnomalyScore s = anomaly(i, t);
            records.add(record("anomalies", i % 4, t, s));
            audited += s.getAnomalous() ? 1 : 0;
            if (i % 10 == 0) {
                RemediationCommand c = command(i, t);
                records.add(
                        record("remediation-commands", 0, t, CommandSignatures.sign(c, signer)));
                records.add(record("remediation-results", 0, t + 50, result(i, t + 50)));
                audited += 2;
            }
            if (i % 50 == 0) {
                records.add(record("rule-acks", 0, t, ack(i, t)));
                audited++;
            }
        }
        // a model publication: audited with its metadata and SHA-256, without the ONNX bytes
        records.add(
                record(
                        "models",
                        0,
                        T0 + 60_000,
                        dev.vigil.schema.ModelUpdate.newBuilder()
                                .setModelName("node-autoencoder")
                                .setModelVersion("9.9.9")
                                .setAction("PUBLISH")
                                .setArtifact(ByteBuffer.wrap(new byte[200_000]))
                                .setMetadataJson("{}")
                                .setArtifactSha256("ab".repeat(32))
                                .setShadow(false)
                                .setPublishedBy("test")
                                .setPublishedAt(Instant.ofEpochMilli(T0 + 60_000))
                                .build()));
        audited++;
        KAFKA.produce(records);
    }

    static List<AuditVerifier.Located<AuditEvent>> entries;
    static List<AuditVerifier.Located<AuditCheckpoint>> heads;

    static void run(String out) throws Exception {
        KAFKA.createTopics(4, PREFIX + out + "audit");
        KAFKA.createTopics(1, PREFIX + out + "audit-checkpoints", PREFIX + out + "dead-letters");
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers", KAFKA.bootstrapServers(),
                            "--audit.keystore", dir.resolve("keys").toString(),
                            "--topic.alerts", PREFIX + "alerts",
                            "--topic.anomalies", PREFIX + "anomalies",
                            "--topic.remediation-commands", PREFIX + "remediation-commands",
                            "--topic.remediation-results", PREFIX + "remediation-results",
                            "--topic.approvals", PREFIX + "approvals",
                            "--topic.rule-acks", PREFIX + "rule-acks",
                            "--topic.models", PREFIX + "models",
                            "--topic.audit", PREFIX + out + "audit",
                            "--topic.audit-checkpoints", PREFIX + out + "audit-checkpoints",
                            "--topic.dead-letters", PREFIX + out + "dead-letters",
                            "--source.bounded", "true",
                            "--watermark.idleness", "0 s",
                            "--checkpoint.interval", "2 s",
                            "--checkpoint.dir", dir.resolve("cp-" + out).toUri().toString(),
                            "--sink.transactional-id-prefix", PREFIX + out,
                            "--restart.attempts", "0",
                            "--parallelism", "2"
                        },
                        AuditJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        String store = dir.resolve("keys").toString();
        SignerSource signer =
                () ->
                        KeyStoreDirectory.openOrCreate(
                                        Path.of(store), PASSWORD.toCharArray(), new SecureRandom())
                                .signer();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AuditJob.configure(env, options, signer);
        env.execute("audit-" + out);
    }

    static List<AuditVerifier.Located<AuditEvent>> readEntries(String topic) {
        AvroCodec<AuditEvent> codec = AvroCodec.of(AuditEvent.class);
        List<AuditVerifier.Located<AuditEvent>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readCommitted(topic)) {
            out.add(
                    new AuditVerifier.Located<>(
                            topic, r.partition(), r.offset(), decode(codec, r.value())));
        }
        return out;
    }

    static List<AuditVerifier.Located<AuditCheckpoint>> readHeads(String topic) {
        AvroCodec<AuditCheckpoint> codec = AvroCodec.of(AuditCheckpoint.class);
        List<AuditVerifier.Located<AuditCheckpoint>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readCommitted(topic)) {
            out.add(
                    new AuditVerifier.Located<>(
                            topic, r.partition(), r.offset(), decode(codec, r.value())));
        }
        return out;
    }

    static AuditVerifier.Report verify(
            List<AuditVerifier.Located<AuditEvent>> e,
            List<AuditVerifier.Located<AuditCheckpoint>> h) {
        return new AuditVerifier(keys, n -> {}).verify(e, h);
    }

    @Test
    void theTrailVerifiesAndAReplayWritesTheSameEntriesAndTreeHeads() throws Exception {
        run("a-");
        entries = readEntries(PREFIX + "a-audit");
        heads = readHeads(PREFIX + "a-audit-checkpoints");
        AuditVerifier.Report report = verify(entries, heads);
        assertThat(report.problem()).isNull();
        assertThat(report.entries()).isEqualTo(audited);
        assertThat(report.chainSizes())
                .containsOnlyKeys("alerts", "anomalies", "commands", "rules", "models");
        AuditEvent model =
                entries.stream()
                        .map(l -> l.record())
                        .filter(e -> e.getChainId().equals("models"))
                        .findFirst()
                        .orElseThrow();
        assertThat(model.getEventType()).isEqualTo("MODEL_PUBLISH");
        assertThat(model.getSubjectId()).isEqualTo("node-autoencoder@9.9.9");
        dev.vigil.schema.ModelUpdate stored =
                decode(
                        AvroCodec.of(dev.vigil.schema.ModelUpdate.class),
                        AuditChainBytes.of(model.getPayload()));
        assertThat(stored.getArtifact()).isNull();
        assertThat(stored.getArtifactSha256()).isEqualTo("ab".repeat(32));
        assertThat(report.chainSizes().get("alerts")).isEqualTo(300);
        assertThat(report.chainSizes().get("commands")).isEqualTo(60);
        assertThat(report.chainSizes().get("rules")).isEqualTo(6);
        assertThat(report.uncovered()).as("the final watermark signs every chain's end").isEmpty();
        // 300 alerts from T0 to T0 + 119.6 s: a tree head at every 10 s boundary that saw new
        // entries, T0 itself included (the first alert is at T0)
        assertThat(heads.stream().filter(h -> h.record().getChainId().equals("alerts")).count())
                .isEqualTo(13);

        run("b-");
        List<AuditEvent> replayed =
                readEntries(PREFIX + "b-audit").stream().map(l -> l.record()).toList();
        List<AuditCheckpoint> replayedHeads =
                readHeads(PREFIX + "b-audit-checkpoints").stream().map(l -> l.record()).toList();
        assertThat(replayed)
                .containsExactlyInAnyOrderElementsOf(
                        entries.stream().map(l -> l.record()).toList());
        assertThat(replayedHeads)
                .containsExactlyInAnyOrderElementsOf(heads.stream().map(l -> l.record()).toList());
    }

    /** Copies the audit topic with {@code edit} applied and verifies the copy as it reads back. */
    AuditVerifier.Report tampered(
            String name, UnaryOperator<List<ConsumerRecord<byte[], byte[]>>> edit)
            throws Exception {
        String copy = PREFIX + "tampered-" + name;
        KAFKA.createTopics(4, copy);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                edit.apply(new ArrayList<>(KAFKA.readCommitted(PREFIX + "a-audit")))) {
            out.add(
                    new ProducerRecord<>(
                            copy,
                            r.partition(),
                            r.timestamp() < 0 ? null : r.timestamp(),
                            r.key(),
                            r.value()));
        }
        KAFKA.produce(out);
        return verify(readEntries(copy), heads);
    }

    static ConsumerRecord<byte[], byte[]> nthOfChain(
            List<ConsumerRecord<byte[], byte[]>> all, String chain, int n) {
        AvroCodec<AuditEvent> codec = AvroCodec.of(AuditEvent.class);
        return all.stream()
                .filter(r -> decode(codec, r.value()).getChainId().equals(chain))
                .toList()
                .get(n);
    }

    @Test
    void tamperingWithTheRealTopicIsNamedAtItsOffset() throws Exception {
        if (entries == null) {
            theTrailVerifiesAndAReplayWritesTheSameEntriesAndTreeHeads();
        }
        AvroCodec<AuditEvent> codec = AvroCodec.of(AuditEvent.class);
        // modified: the 40th alert's subject changed, hash left as it was
        AuditVerifier.Report modified =
                tampered(
                        "modified",
                        all -> {
                            ConsumerRecord<byte[], byte[]> r = nthOfChain(all, "alerts", 40);
                            AuditEvent e = decode(codec, r.value());
                            e.setSubjectId("forged");
                            all.set(all.indexOf(r), withValue(r, codec.encode(e)));
                            return all;
                        });
        assertThat(modified.problem().what()).contains("modified");
        assertThat(modified.problem().offset()).isEqualTo(offsetOfChainEntry("alerts", 40));

        AuditVerifier.Report deleted =
                tampered(
                        "deleted",
                        all -> {
                            all.remove(nthOfChain(all, "alerts", 7));
                            return all;
                        });
        assertThat(deleted.problem().what()).contains("missing");
        assertThat(deleted.problem().offset()).isEqualTo(offsetOfChainEntry("alerts", 8) - 1);

        AuditVerifier.Report duplicated =
                tampered(
                        "duplicated",
                        all -> {
                            ConsumerRecord<byte[], byte[]> r = nthOfChain(all, "commands", 3);
                            all.add(all.indexOf(r) + 1, r);
                            return all;
                        });
        assertThat(duplicated.problem().what()).contains("comes again");
        assertThat(duplicated.problem().offset()).isEqualTo(offsetOfChainEntry("commands", 3) + 1);

        AuditVerifier.Report reordered =
                tampered(
                        "reordered",
                        all -> {
                            ConsumerRecord<byte[], byte[]> a = nthOfChain(all, "alerts", 20);
                            ConsumerRecord<byte[], byte[]> b = nthOfChain(all, "alerts", 21);
                            int i = all.indexOf(a);
                            int j = all.indexOf(b);
                            all.set(i, b);
                            all.set(j, a);
                            return all;
                        });
        assertThat(reordered.problem().offset()).isEqualTo(offsetOfChainEntry("alerts", 20));

        // a tree head with a damaged signature
        List<AuditVerifier.Located<AuditCheckpoint>> badHeads = new ArrayList<>(heads);
        AuditCheckpoint h =
                AvroCodec.of(AuditCheckpoint.class)
                        .decode(AvroCodec.of(AuditCheckpoint.class).encode(heads.get(3).record()));
        byte[] sig = new byte[h.getSignatureEd25519().remaining()];
        h.getSignatureEd25519().duplicate().get(sig);
        sig[5] ^= 1;
        h.setSignatureEd25519(ByteBuffer.wrap(sig));
        badHeads.set(
                3, new AuditVerifier.Located<>(heads.get(3).topic(), 0, heads.get(3).offset(), h));
        AuditVerifier.Report badSignature = verify(entries, badHeads);
        assertThat(badSignature.problem().offset()).isEqualTo(heads.get(3).offset());
        assertThat(badSignature.problem().what()).contains("signatures do not verify");
    }

    /** Offset of the n-th entry of a chain in the verified topic (chains map to one partition). */
    static long offsetOfChainEntry(String chain, int n) {
        return entries.stream()
                .filter(l -> l.record().getChainId().equals(chain))
                .toList()
                .get(n)
                .offset();
    }

    static ConsumerRecord<byte[], byte[]> withValue(
            ConsumerRecord<byte[], byte[]> r, byte[] value) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value);
    }

    /** The bytes of a ByteBuffer field. */
    static final class AuditChainBytes {
        static byte[] of(ByteBuffer b) {
            ByteBuffer d = b.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
    }

    static <T extends SpecificRecord> T decode(AvroCodec<T> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (dev.vigil.schema.avro.AvroDecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T extends SpecificRecord> ProducerRecord<byte[], byte[]> record(
            String topic, int partition, long time, T value) {
        @SuppressWarnings("unchecked")
        AvroCodec<T> codec = AvroCodec.of((Class<T>) value.getClass());
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(codec.fingerprint()));
        return new ProducerRecord<>(
                PREFIX + topic, partition, time, null, codec.encode(value), headers);
    }

    static ThreatAlert alert(int i, long t) {
        return ThreatAlert.newBuilder()
                .setAlertId("alert-" + i)
                .setRuleId("auth.brute-force")
                .setRuleVersion(1)
                .setTitle("brute force")
                .setSeverity("MALICIOUS")
                .setGroupBy("node")
                .setGroupKey("node-" + (i % 7))
                .setNodeId("node-" + (i % 7))
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

    static AnomalyScore anomaly(int i, long t) {
        boolean anomalous = i % 9 == 0;
        return AnomalyScore.newBuilder()
                .setHub("hub-01")
                .setRegion("eu-west-1")
                .setCluster("eu-west-1-c01")
                .setNodeId("node-" + (i % 7))
                .setModelName("node-autoencoder")
                .setModelVersion("1.0.0")
                .setScore(anomalous ? 5.0 : 0.1)
                .setThreshold(1.0)
                .setAnomalous(anomalous)
                .setAnomalyStrength(anomalous ? 0.9 : 0.0)
                .setTopFeatures(List.of())
                .setEventTime(Instant.ofEpochMilli(t))
                .setScoredAt(Instant.ofEpochMilli(t + 5))
                .build();
    }

    static RemediationCommand command(int i, long t) {
        return RemediationCommand.newBuilder()
                .setCommandId("cmd-" + i)
                .setCauseId("alert-" + i)
                .setPolicyId("security_breach")
                .setPolicyVersion(1)
                .setTargetNodeId("node-" + (i % 7))
                .setAction("ISOLATE_NODE")
                .setParameters(Map.of())
                .setRequiresApproval(false)
                .setIssuedAt(Instant.ofEpochMilli(t))
                .setExpiresAt(Instant.ofEpochMilli(t + 300_000))
                .setKeyId("")
                .setSignatureEd25519(ByteBuffer.allocate(0))
                .setSignatureMlDsa(ByteBuffer.allocate(0))
                .build();
    }

    static RemediationResult result(int i, long t) {
        return RemediationResult.newBuilder()
                .setCommandId("cmd-" + i)
                .setNodeId("node-" + (i % 7))
                .setStatus("SUCCEEDED")
                .setAttempt(0)
                .setReportedAt(Instant.ofEpochMilli(t))
                .build();
    }

    static RuleAck ack(int i, long t) {
        return RuleAck.newBuilder()
                .setCommandId("rule-cmd-" + i)
                .setRuleId("auth.brute-force")
                .setVersion(1 + i / 50)
                .setStatus("APPLIED")
                .setAckedAt(Instant.ofEpochMilli(t))
                .build();
    }
}
