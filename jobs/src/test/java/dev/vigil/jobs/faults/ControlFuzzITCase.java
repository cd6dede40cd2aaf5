package dev.vigil.jobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.jobs.common.RunningJob;
import dev.vigil.jobs.inference.NodeInferenceJob;
import dev.vigil.jobs.inference.NodeInferenceJobOptions;
import dev.vigil.jobs.remediation.RemediationJob;
import dev.vigil.jobs.remediation.RemediationJobOptions;
import dev.vigil.jobs.threat.ThreatDetectionJob;
import dev.vigil.jobs.threat.ThreatDetectionJobOptions;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.schema.Approval;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 hostile records per control schema — rule commands, model updates, approvals, agents'
 * reports — through the real jobs (threat detection, node inference, remediation) on a real broker:
 * random bytes, truncated records, records with absurd or malformed fields and mutated rule
 * definitions, from one seed. Every job stays RUNNING and every record is acknowledged (rule
 * commands) or dead-lettered with a reason.
 */
class ControlFuzzITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    private static final int RECORDS = 10_000;
    private static final String PASSWORD = "control-fuzz-itcase";

    @TempDir Path dir;

    private final String prefix = "fuzz-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void hostileRuleCommandsAreEachAcknowledgedOrDeadLettered() throws Exception {
        String[] topicOptions =
                topics("telemetry", "rules", "rule-acks", "alerts", "anomalies", "dead-letters");
        Hostile<RuleCommand> hostile = new Hostile<>(RuleCommand.class, 1, this::ruleCommand);
        try (RunningJob job =
                start(
                        ThreatDetectionJobOptions.ALL,
                        (env, o) -> ThreatDetectionJob.configure(env, o),
                        topicOptions)) {
            hostile.produce(topic("rules"));
            job.await(
                    "an answer to every command",
                    Duration.ofMinutes(3),
                    () -> answered("rule-acks", "rules") >= RECORDS);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
        assertThat(answered("rule-acks", "rules")).isEqualTo(RECORDS);
    }

    @Test
    void hostileModelUpdatesAreEachDeadLettered() throws Exception {
        String[] topicOptions = topics("telemetry", "models", "anomalies", "dead-letters");
        Hostile<ModelUpdate> hostile = new Hostile<>(ModelUpdate.class, 2, this::modelUpdate);
        try (RunningJob job =
                start(
                        NodeInferenceJobOptions.ALL,
                        (env, o) -> NodeInferenceJob.configure(env, o),
                        topicOptions)) {
            hostile.produce(topic("models"));
            job.await(
                    "a dead letter for every update",
                    Duration.ofMinutes(3),
                    () -> answered(null, "models") >= RECORDS);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
        assertThat(answered(null, "models")).isEqualTo(RECORDS);
    }

    @Test
    void hostileApprovalsAndReportsAreEachDeadLettered() throws Exception {
        String[] topicOptions =
                topics(
                        "alerts",
                        "anomalies",
                        "approvals",
                        "remediation-results",
                        "remediation-commands",
                        "dead-letters");
        KeyStoreDirectory.openOrCreate(
                dir.resolve("keys"), PASSWORD.toCharArray(), new SecureRandom());
        Hostile<Approval> approvals = new Hostile<>(Approval.class, 3, this::approval);
        Hostile<RemediationResult> reports =
                new Hostile<>(RemediationResult.class, 4, this::report);
        String store = dir.resolve("keys").toString();
        SignerSource signer =
                () ->
                        KeyStoreDirectory.openOrCreate(
                                        Path.of(store), PASSWORD.toCharArray(), new SecureRandom())
                                .signer();
        try (RunningJob job =
                start(
                        RemediationJobOptions.ALL,
                        (env, o) -> {
                            try {
                                RemediationJob.configure(env, o, signer);
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        topicOptions,
                        "--remediation.keystore",
                        store)) {
            approvals.produce(topic("approvals"));
            reports.produce(topic("remediation-results"));
            job.await(
                    "a dead letter for every approval and report",
                    Duration.ofMinutes(3),
                    () ->
                            answered(null, "approvals") >= RECORDS
                                    && answered(null, "remediation-results") >= RECORDS);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        }
        assertThat(answered(null, "approvals")).isEqualTo(RECORDS);
        assertThat(answered(null, "remediation-results")).isEqualTo(RECORDS);
    }

    /** Acknowledgements on {@code acks} (if any) plus dead letters of {@code source}. */
    private long answered(String acks, String source) throws Exception {
        long n = 0;
        if (acks != null) {
            n += AvroTopics.read(KAFKA, topic(acks), RuleAck.class).size();
        }
        for (DeadLetter d : AvroTopics.read(KAFKA, topic("dead-letters"), DeadLetter.class)) {
            if (d.getSourceTopic().equals(topic(source))) {
                assertThat(d.getReason()).isNotBlank();
                n++;
            }
        }
        return n;
    }

    /**
     * 10,000 hostile records of one schema: a fifth random bytes, a tenth the encoding of a record
     * cut short, the rest well-formed Avro with fields from {@code mutate}.
     */
    private final class Hostile<T extends SpecificRecord> {
        final AvroCodec<T> codec;
        final SplittableRandom random;
        final Function<SplittableRandom, T> mutate;

        Hostile(Class<T> type, long seed, Function<SplittableRandom, T> mutate) {
            this.codec = AvroCodec.of(type);
            this.random = new SplittableRandom(seed);
            this.mutate = mutate;
        }

        void produce(String topic) throws Exception {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 * 1024 * 1024));
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    RecordHeaders headers = new RecordHeaders();
                    byte[] value;
                    int kind = random.nextInt(10);
                    if (kind < 2) {
                        value = bytes(random, random.nextInt(0, 2_000));
                    } else {
                        byte[] whole = codec.encode(mutate.apply(random));
                        value =
                                kind == 2
                                        ? java.util.Arrays.copyOf(
                                                whole, random.nextInt(Math.max(1, whole.length)))
                                        : whole;
                    }
                    if (random.nextInt(10) != 0) {
                        headers.add(
                                VigilHeaders.SCHEMA_FINGERPRINT,
                                random.nextInt(50) == 0
                                        ? bytes(random, random.nextInt(0, 12))
                                        : SchemaFingerprint.toBytes(codec.fingerprint()));
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    System.currentTimeMillis(),
                                    random.nextBoolean() ? null : bytes(random, 8),
                                    value,
                                    headers));
                }
                producer.flush();
            }
        }
    }

    private RuleCommand ruleCommand(SplittableRandom r) {
        List<String> catalogue = RuleCatalogue.builtIn();
        String base = catalogue.get(r.nextInt(catalogue.size()));
        String id = base.replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        String[] actions = {
            "UPSERT", "UPSERT", "UPSERT", "ENABLE", "DISABLE", "DELETE", text(r, 8)
        };
        return RuleCommand.newBuilder()
                .setCommandId("fuzz-" + r.nextLong())
                .setRuleId(r.nextInt(5) == 0 ? text(r, r.nextInt(0, 200)) : id)
                .setAction(actions[r.nextInt(actions.length)])
                .setVersion(r.nextInt(7) - 3)
                .setDefinition(r.nextInt(8) == 0 ? null : mutateRule(r, base))
                .setIssuedBy(text(r, r.nextInt(0, 50)))
                .setIssuedAt(Instant.ofEpochMilli(r.nextLong(0, 4_000_000_000_000L)))
                .build();
    }

    /** A catalogue rule with one hostile change. */
    private static String mutateRule(SplittableRandom r, String rule) {
        String[] extremes = {
            "0",
            "-1",
            "2000000000",
            "99999999999999999999",
            "1e400",
            "-1e308",
            "NaN",
            "true",
            "\"x\"",
            "null",
            "[]",
            "{}"
        };
        String[] durations = {
            "\"99999999999999999999s\"",
            "\"0s\"",
            "\"31d\"",
            "\"1ms\"",
            "\"-5s\"",
            "\"10x\"",
            "\"" + "9".repeat(40) + "d\""
        };
        return switch (r.nextInt(9)) {
            case 0 ->
                    rule.replaceFirst(
                            "\"times\"\\s*:\\s*\\d+",
                            "\"times\": " + extremes[r.nextInt(extremes.length)]);
            case 1 ->
                    rule.replaceFirst(
                            "\"within\"\\s*:\\s*\"[^\"]*\"",
                            "\"within\": " + durations[r.nextInt(durations.length)]);
            case 2 -> {
                // conditions nested deeper than any limit, up to Jackson's own
                String deep = "{\"field\": \"payload\", \"eq\": \"metric\"}";
                int depth = r.nextInt(1, 1_500);
                yield rule.replaceFirst(
                        "\"scope\"\\s*:",
                        "\"scope\": "
                                + "{\"not\": ".repeat(depth)
                                + deep
                                + "}".repeat(depth)
                                + ", \"scope2\":");
            }
            case 3 -> rule.substring(0, r.nextInt(rule.length()));
            case 4 ->
                    rule.replaceFirst(
                            "\\{",
                            java.util.regex.Matcher.quoteReplacement(
                                    "{\"" + text(r, 20) + "\": 1, "));
            case 5 ->
                    rule.replace(
                            "\"description\": \"",
                            "\"description\": \"" + "x".repeat(r.nextInt(1, 80_000)));
            case 6 ->
                    rule.replaceFirst(
                            "\"groupBy\"\\s*:\\s*\\[[^\\]]*\\]",
                            "\"groupBy\": [" + "\"node\",".repeat(r.nextInt(1, 20)) + "\"node\"]");
            case 7 ->
                    rule.replaceFirst(
                            "\"version\"\\s*:\\s*\\d+",
                            "\"version\": " + extremes[r.nextInt(extremes.length)]);
            default -> new String(bytes(r, r.nextInt(1, 500)), StandardCharsets.ISO_8859_1);
        };
    }

    private ModelUpdate modelUpdate(SplittableRandom r) {
        String[] actions = {"PUBLISH", "PUBLISH", "RETIRE", text(r, 10)};
        return ModelUpdate.newBuilder()
                .setModelName(
                        r.nextInt(3) == 0
                                ? "node-autoencoder-" + r.nextInt(10)
                                : text(r, r.nextInt(0, 400)))
                .setModelVersion(text(r, r.nextInt(0, 300)))
                .setAction(actions[r.nextInt(actions.length)])
                .setArtifact(
                        r.nextBoolean() ? null : ByteBuffer.wrap(bytes(r, r.nextInt(0, 4_096))))
                .setMetadataJson(
                        r.nextBoolean()
                                ? null
                                : (r.nextBoolean() ? "{" + text(r, r.nextInt(0, 300)) : "{}"))
                .setArtifactSha256(r.nextBoolean() ? null : text(r, r.nextInt(0, 300)))
                .setShadow(r.nextBoolean())
                .setPublishedBy(text(r, r.nextInt(0, 300)))
                .setPublishedAt(time(r))
                .build();
    }

    private Approval approval(SplittableRandom r) {
        return Approval.newBuilder()
                .setCommandId(commandId(r))
                .setApprover(text(r, r.nextInt(0, 400)))
                .setDecision(r.nextBoolean() ? "APPROVED" : text(r, 10))
                .setReason(r.nextBoolean() ? null : text(r, r.nextInt(0, 6_000)))
                .setDecidedAt(time(r))
                .build();
    }

    private RemediationResult report(SplittableRandom r) {
        String[] statuses = {"DISPATCHED", "SUCCEEDED", "FAILED", "REJECTED", text(r, 12)};
        return RemediationResult.newBuilder()
                .setCommandId(commandId(r))
                .setNodeId(text(r, r.nextInt(0, 400)))
                .setStatus(statuses[r.nextInt(statuses.length)])
                .setAttempt(r.nextInt(-5, 10))
                .setDetail(r.nextBoolean() ? null : text(r, r.nextInt(0, 6_000)))
                .setReportedAt(time(r))
                .build();
    }

    /** Mostly well-formed command ids of commands that do not exist, sometimes garbage. */
    private static String commandId(SplittableRandom r) {
        if (r.nextInt(4) == 0) {
            return text(r, r.nextInt(0, 300));
        }
        StringBuilder id = new StringBuilder("cmd-");
        for (int i = 0; i < 32; i++) {
            id.append(Character.forDigit(r.nextInt(16), 16));
        }
        return id.toString();
    }

    /** An instant from 1970 to far ahead, most within the last hour. */
    private static Instant time(SplittableRandom r) {
        long now = System.currentTimeMillis();
        return switch (r.nextInt(6)) {
            case 0 -> Instant.ofEpochMilli(r.nextLong(0, 946_684_800_000L));
            case 1 -> Instant.ofEpochMilli(now + r.nextLong(600_000, 4_000_000_000_000L));
            default -> Instant.ofEpochMilli(now - r.nextLong(0, 3_600_000));
        };
    }

    private static String text(SplittableRandom r, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = r.nextInt(20) == 0 ? r.nextInt(0x20, 0xD7FF) : r.nextInt(0x20, 0x7F);
            s.append((char) c);
        }
        return s.toString();
    }

    private static byte[] bytes(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private RunningJob start(
            java.util.Collection<org.apache.flink.configuration.ConfigOption<?>> all,
            java.util.function.BiConsumer<StreamExecutionEnvironment, Configuration> configure,
            String[] topicOptions,
            String... args)
            throws Exception {
        List<String> list = new ArrayList<>(List.of(topicOptions));
        list.addAll(List.of(args));
        list.addAll(
                List.of(
                        "--bootstrap.servers", KAFKA.bootstrapServers(),
                        "--checkpoint.interval", "1 s",
                        "--checkpoint.dir", dir.toUri().toString(),
                        "--sink.transactional-id-prefix", prefix + UUID.randomUUID(),
                        "--watermark.idleness", "2 s",
                        "--watermark.interval", "100 ms",
                        "--restart.attempts", "0"));
        Configuration options =
                JobArguments.parse(
                        list.toArray(String[]::new),
                        all,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure.accept(env, options);
        return new RunningJob(env.executeAsync(prefix)).awaitRunning();
    }

    /** Creates the topics of this test; returns the job options naming them. */
    private String[] topics(String... names) {
        Set<String> full = new HashSet<>();
        List<String> options = new ArrayList<>();
        for (String n : names) {
            full.add(topic(n));
            options.add("--topic." + n);
            options.add(topic(n));
        }
        KAFKA.createTopics(1, full.toArray(String[]::new));
        return options.toArray(String[]::new);
    }

    private String topic(String name) {
        return prefix + name;
    }
}
