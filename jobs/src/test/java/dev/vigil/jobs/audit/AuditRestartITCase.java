package dev.vigil.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.CommandSignatures;
import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.jobs.common.RunningJob;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.schema.Approval;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure 6 of the probes: the audit job stopped with a savepoint while entries still waited for
 * event time, restarted from it with no further input. Every entry an uninterrupted run appends
 * must appear, identical, without new input.
 */
class AuditRestartITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final long T0 = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();
    private static final String PASSWORD = "audit-restart-itcase";
    private static final int ALERTS = 120;
    private static final int AUDITED = ALERTS + 6;
    private static final List<String> INPUTS =
            List.of(
                    "alerts",
                    "anomalies",
                    "remediation-commands",
                    "remediation-results",
                    "approvals",
                    "rule-acks",
                    "models");

    @TempDir Path dir;

    private final String prefix = "audit-restart-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aSavepointMidStreamAndARestartWithoutNewInputCompleteTheTrailAsAnUninterruptedRun()
            throws Exception {
        for (String t : INPUTS) {
            KAFKA.createTopics(t.equals("alerts") ? 2 : 1, topic(t));
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            long t = T0 + i * 500L;
            records.add(record("alerts", i % 2, t, AuditJobITCase.alert(i, t)));
        }
        // every audited topic has a record at the end, so that none holds event time back as an
        // empty input would (until its idleness timeout): the savepoint then finds the newest
        // entries waiting for the out-of-orderness bound
        long last = T0 + (ALERTS - 1) * 500L;
        HybridSigner signer =
                KeyStoreDirectory.openOrCreate(
                                dir.resolve("keys"), PASSWORD.toCharArray(), new SecureRandom())
                        .signer();
        records.add(record("anomalies", 0, last, AuditJobITCase.anomaly(0, last)));
        records.add(
                record(
                        "remediation-commands",
                        0,
                        last,
                        CommandSignatures.sign(AuditJobITCase.command(0, last), signer)));
        records.add(record("remediation-results", 0, last, AuditJobITCase.result(0, last)));
        records.add(
                record(
                        "approvals",
                        0,
                        last,
                        Approval.newBuilder()
                                .setCommandId(AuditJobITCase.command(0, last).getCommandId())
                                .setApprover("ops")
                                .setDecision("APPROVED")
                                .setDecidedAt(Instant.ofEpochMilli(last))
                                .build()));
        records.add(record("rule-acks", 0, last, AuditJobITCase.ack(0, last)));
        records.add(
                record(
                        "models",
                        0,
                        last,
                        ModelUpdate.newBuilder()
                                .setModelName("node-autoencoder")
                                .setModelVersion("9.9.9")
                                .setAction("RETIRE")
                                .setPublishedBy("test")
                                .setPublishedAt(Instant.ofEpochMilli(last))
                                .build()));
        KAFKA.produce(records);

        try (RunningJob reference = start("ref", null)) {
            reference.await("every entry", Duration.ofSeconds(90), () -> entries("ref") == AUDITED);
        }

        int atStop;
        String savepoint;
        try (RunningJob first = start("int", null)) {
            first.await("the first entries", Duration.ofSeconds(60), () -> entries("int") > 0);
            savepoint = first.stopWithSavepoint(dir.resolve("savepoints").toUri().toString());
            atStop = entries("int");
        }
        // the savepoint was taken while entries still waited for event time
        assertThat(atStop).isLessThan(AUDITED);
        try (RunningJob resumed = start("int", savepoint)) {
            resumed.await(
                    "every entry after the restart",
                    Duration.ofSeconds(90),
                    () -> entries("int") == AUDITED);
        }

        assertThat(read("int", "audit", AuditEvent.class))
                .isEqualTo(read("ref", "audit", AuditEvent.class))
                .hasSize(AUDITED);
        assertThat(read("int", "audit-checkpoints", AuditCheckpoint.class))
                .isEqualTo(read("ref", "audit-checkpoints", AuditCheckpoint.class))
                .isNotEmpty();
    }

    /**
     * The end of a stack's input: every audited topic has gone idle (its bound released), then the
     * last anomaly scores arrive (inference releases its own bound after its idleness) on one input
     * only. They must be appended once that input is idle again, as in a run where they came before
     * the audit job's timeout.
     */
    @Test
    void recordsAfterEveryInputWentIdleAreAppendedOnceTheirInputIsIdleAgain() throws Exception {
        for (String t : INPUTS) {
            KAFKA.createTopics(t.equals("anomalies") ? 2 : 1, topic(t));
        }
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = T0 + i * 5_000L;
            first.add(record("alerts", 0, t, AuditJobITCase.alert(i, t)));
            // anomalous scores (every ninth) on both partitions
            first.add(record("anomalies", i % 2, t, AuditJobITCase.anomaly(i * 9, t)));
        }
        KAFKA.produce(first);
        try (RunningJob job = start("idle", null, "3 s")) {
            job.await("the first entries", Duration.ofSeconds(60), () -> entries("idle") == 40);
            // every input idle, its bound released; then two later scores, on one partition
            Thread.sleep(6_000);
            long last = T0 + 19 * 5_000L;
            KAFKA.produce(
                    List.of(
                            record(
                                    "anomalies",
                                    0,
                                    last + 5_000,
                                    AuditJobITCase.anomaly(0, last + 5_000)),
                            record(
                                    "anomalies",
                                    0,
                                    last + 10_000,
                                    AuditJobITCase.anomaly(9, last + 10_000))));
            job.await("the late scores", Duration.ofSeconds(60), () -> entries("idle") == 42);
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord>
            ProducerRecord<byte[], byte[]> record(String name, int partition, long time, T value) {
        @SuppressWarnings("unchecked")
        AvroCodec<T> codec = AvroCodec.of((Class<T>) value.getClass());
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(codec.fingerprint()));
        return new ProducerRecord<>(
                topic(name), partition, time, null, codec.encode(value), headers);
    }

    private RunningJob start(String out, String savepoint) throws Exception {
        // idle (and the bound released) well after the input was read, so that the savepoint
        // comes first
        return start(out, savepoint, "15 s");
    }

    private RunningJob start(String out, String savepoint, String idleness) throws Exception {
        if (savepoint == null) {
            KAFKA.createTopics(2, topic(out + "-audit"));
            KAFKA.createTopics(1, topic(out + "-audit-checkpoints"), topic(out + "-dead-letters"));
        }
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers", KAFKA.bootstrapServers(),
                            "--audit.keystore", dir.resolve("keys").toString(),
                            "--topic.alerts", topic("alerts"),
                            "--topic.anomalies", topic("anomalies"),
                            "--topic.remediation-commands", topic("remediation-commands"),
                            "--topic.remediation-results", topic("remediation-results"),
                            "--topic.approvals", topic("approvals"),
                            "--topic.rule-acks", topic("rule-acks"),
                            "--topic.models", topic("models"),
                            "--topic.audit", topic(out + "-audit"),
                            "--topic.audit-checkpoints", topic(out + "-audit-checkpoints"),
                            "--topic.dead-letters", topic(out + "-dead-letters"),
                            "--watermark.idleness", idleness,
                            "--watermark.interval", "100 ms",
                            "--checkpoint.interval", "500 ms",
                            "--checkpoint.dir", dir.resolve("cp-" + out).toUri().toString(),
                            "--sink.transactional-id-prefix", prefix + out,
                            "--restart.attempts", "0"
                        },
                        AuditJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        String store = dir.resolve("keys").toString();
        SignerSource signer =
                () ->
                        KeyStoreDirectory.openOrCreate(
                                        Path.of(store), PASSWORD.toCharArray(), new SecureRandom())
                                .signer();
        Configuration recovery = new Configuration();
        if (savepoint != null) {
            recovery.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(recovery);
        AuditJob.configure(env, options, signer);
        return new RunningJob(env.executeAsync("audit-" + out)).awaitRunning();
    }

    private int entries(String out) throws Exception {
        return read(out, "audit", AuditEvent.class).size();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            String out, String name, Class<T> type) throws Exception {
        List<T> records = new ArrayList<>(AvroTopics.read(KAFKA, topic(out + "-" + name), type));
        // partitions are read one after the other: order by chain and position
        records.sort(Comparator.comparing(Object::toString));
        return records;
    }

    private String topic(String name) {
        return prefix + "-" + name;
    }
}
