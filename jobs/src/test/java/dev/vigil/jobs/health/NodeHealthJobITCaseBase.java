package dev.vigil.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-health job end to end: real Kafka in and out (exactly-once, read back with {@code
 * read_committed}), a real Flink MiniCluster, valid telemetry mixed with every kind of malformed
 * record. Subclasses choose the Kafka: a broker process or a container.
 */
abstract class NodeHealthJobITCaseBase {

    // in the past: brokers reject record timestamps more than an hour ahead of their clock
    static final long T0 = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    private final AvroCodec<TelemetryEvent> telemetry = AvroCodec.of(TelemetryEvent.class);

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    abstract KafkaEndpoint kafka();

    @Test
    void summarisesValidTelemetryAndDeadLettersEveryKindOfBadRecord() throws Exception {
        Topics topics = createTopics();
        kafka().produce(input(topics.telemetry));

        runJob(topics);

        List<NodeHealthSummary> health = read(topics.health, NodeHealthSummary.class);
        assertThat(health.stream().map(NodeHealthJobITCaseBase::describe).sorted().toList())
                .containsExactly(
                        "node-a [10:00:00,10:01:00) r0 events=3 metric=1 security=1 power=1"
                            + " authFailures=1 cpuAvg=10.0 cpuMax=10.0 tempMax=30.0 powerAvg=120.0"
                            + " seq=0..2",
                        "node-a [10:01:00,10:02:00) r0 events=1 metric=1 security=0 power=0"
                            + " authFailures=0 cpuAvg=20.0 cpuMax=20.0 tempMax=30.0 powerAvg=null"
                            + " seq=3..3",
                        "node-a [10:03:00,10:04:00) r0 events=1 metric=1 security=0 power=0"
                            + " authFailures=0 cpuAvg=30.0 cpuMax=30.0 tempMax=30.0 powerAvg=null"
                            + " seq=4..4",
                        "node-b [10:00:00,10:01:00) r0 events=1 metric=1 security=0 power=0"
                            + " authFailures=0 cpuAvg=50.0 cpuMax=50.0 tempMax=30.0 powerAvg=null"
                            + " seq=0..0",
                        "node-b [10:00:00,10:01:00) r1 events=2 metric=2 security=0 power=0"
                            + " authFailures=0 cpuAvg=60.0 cpuMax=70.0 tempMax=30.0 powerAvg=null"
                            + " seq=0..1",
                        "node-b [10:03:00,10:04:00) r0 events=1 metric=1 security=0 power=0"
                            + " authFailures=0 cpuAvg=40.0 cpuMax=40.0 tempMax=30.0 powerAvg=null"
                            + " seq=2..2");

        List<DeadLetter> deadLetters = read(topics.deadLetters, DeadLetter.class);
        assertThat(deadLetters)
                .extracting(d -> d.getSourceOffset() + " " + d.getReasonCode())
                .containsExactlyInAnyOrder(
                        "2 NOT_AVRO",
                        "3 TRUNCATED",
                        "4 UNKNOWN_SCHEMA",
                        "5 MISSING_FIELD",
                        "6 TIMESTAMP_IN_FUTURE",
                        "7 TIMESTAMP_TOO_OLD",
                        "8 EMPTY_VALUE",
                        "9 NO_PAYLOAD",
                        "15 LATE_EVENT");
        for (DeadLetter letter : deadLetters) {
            assertThat(letter.getSourceTopic()).isEqualTo(topics.telemetry);
            assertThat(letter.getSourcePartition()).isZero();
            assertThat(letter.getJob()).isEqualTo("node-health");
            assertThat(letter.getReason()).isNotBlank();
        }
        DeadLetter random = byOffset(deadLetters, 2);
        assertThat(bytes(random.getValue())).isEqualTo(RANDOM_BYTES);
        assertThat(byOffset(deadLetters, 5).getReason()).isEqualTo("node.node_id is empty");
        assertThat(byOffset(deadLetters, 8).getValue()).isNull();
        assertThat(telemetry.decode(bytes(byOffset(deadLetters, 15).getValue())).getSequence())
                .isEqualTo(5L);
    }

    @Test
    void aReplayOfTheSameInputWritesTheSameRecords() throws Exception {
        Topics first = createTopics();
        Topics second = createTopics();
        kafka().produce(input(first.telemetry));
        kafka().produce(input(second.telemetry));

        runJob(first);
        runJob(second);

        assertThat(values(first.health)).isEqualTo(values(second.health)).hasSize(6);
        assertThat(deadLetterContent(first.deadLetters, first.telemetry))
                .isEqualTo(deadLetterContent(second.deadLetters, second.telemetry))
                .hasSize(9);
    }

    private void runJob(Topics topics) throws Exception {
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            kafka().bootstrapServers(),
                            "--topic.telemetry",
                            topics.telemetry,
                            "--topic.node-health",
                            topics.health,
                            "--topic.dead-letters",
                            topics.deadLetters,
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "1 s",
                            "--checkpoint.dir",
                            checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix",
                            "it-" + topics.telemetry,
                            "--restart.attempts",
                            "0"
                        },
                        NodeHealthJobOptions.ALL,
                        List.of(dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        NodeHealthJob.configure(env, options);
        env.execute("node-health-it");
    }

    private Topics createTopics() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Topics topics =
                new Topics(
                        "telemetry-" + suffix, "node-health-" + suffix, "dead-letters-" + suffix);
        // one telemetry partition keeps lateness decisions independent of partition interleaving
        kafka().createTopics(1, topics.telemetry, topics.health, topics.deadLetters);
        return topics;
    }

    static final byte[] RANDOM_BYTES = {(byte) 0x9d, 0x13, (byte) 0xff, 0x02, 0x77};

    /** The input, one partition, in this offset order. */
    private List<ProducerRecord<byte[], byte[]>> input(String topic) {
        List<ProducerRecord<byte[], byte[]>> in = new ArrayList<>();
        in.add(valid(topic, metric("node-a", T0 + 1_000, 0, 10.0))); // 0
        in.add(valid(topic, metric("node-b", T0 + 2_000, 0, 50.0))); // 1
        in.add(raw(topic, T0 + 2_000, RANDOM_BYTES, null)); // 2 random bytes
        byte[] whole = telemetry.encode(metric("node-a", T0 + 2_500, 99, 1.0));
        in.add(
                raw(
                        topic,
                        T0 + 2_500,
                        Arrays.copyOf(whole, whole.length - 4),
                        fingerprint(telemetry.fingerprint()))); // 3 truncated
        AvroCodec<GridIntensity> grid = AvroCodec.of(GridIntensity.class);
        in.add(
                raw(
                        topic,
                        T0 + 2_600,
                        grid.encode(
                                GridIntensity.newBuilder()
                                        .setRegion("eu-west-1")
                                        .setValidFrom(Instant.ofEpochMilli(T0))
                                        .setAverageGPerKwh(250.0)
                                        .setRenewableShare(0.3)
                                        .setProvider("it")
                                        .build()),
                        fingerprint(grid.fingerprint()))); // 4 wrong schema
        in.add(valid(topic, metric("", T0 + 2_700, 0, 1.0))); // 5 missing node id
        TelemetryEvent future = metric("node-a", T0 + 86_400_000L, 98, 1.0);
        in.add(withTimestamp(valid(topic, future), T0 + 3_000)); // 6 a day ahead of its record
        TelemetryEvent ancient =
                metric("node-a", Instant.parse("1999-06-01T00:00:00Z").toEpochMilli(), 97, 1.0);
        in.add(withTimestamp(valid(topic, ancient), T0 + 3_000)); // 7 before 2000
        in.add(raw(topic, T0 + 3_000, null, null)); // 8 tombstone
        in.add(valid(topic, base("node-a", T0 + 3_000, 96).build())); // 9 no payload
        in.add(valid(topic, security("node-a", T0 + 30_000, 1))); // 10
        in.add(valid(topic, power("node-a", T0 + 40_000, 2, 120.0))); // 11
        in.add(valid(topic, metric("node-a", T0 + 65_000, 3, 20.0))); // 12: closes minute 0
        in.add(valid(topic, metric("node-b", T0 + 20_000, 1, 70.0))); // 13: late, revises minute 0
        in.add(valid(topic, metric("node-a", T0 + 200_000, 4, 30.0))); // 14: minute 0 gone for good
        in.add(valid(topic, metric("node-a", T0 + 10_000, 5, 1.0))); // 15: too late
        in.add(valid(topic, metric("node-b", T0 + 201_000, 2, 40.0))); // 16
        return in;
    }

    private ProducerRecord<byte[], byte[]> valid(String topic, TelemetryEvent event) {
        return raw(
                topic,
                event.getEventTime().toEpochMilli(),
                telemetry.encode(event),
                fingerprint(telemetry.fingerprint()));
    }

    private static ProducerRecord<byte[], byte[]> withTimestamp(
            ProducerRecord<byte[], byte[]> r, long ts) {
        return new ProducerRecord<>(r.topic(), 0, ts, r.key(), r.value(), r.headers());
    }

    private static ProducerRecord<byte[], byte[]> raw(
            String topic, long ts, byte[] value, byte[] fingerprint) {
        RecordHeaders headers = new RecordHeaders();
        if (fingerprint != null) {
            headers.add(VigilHeaders.SCHEMA_FINGERPRINT, fingerprint);
        }
        return new ProducerRecord<>(
                topic, 0, ts, "k".getBytes(StandardCharsets.UTF_8), value, headers);
    }

    private static byte[] fingerprint(long fingerprint) {
        return SchemaFingerprint.toBytes(fingerprint);
    }

    static TelemetryEvent.Builder base(String node, long time, long seq) {
        return TelemetryEvent.newBuilder()
                .setEventId(node + "-" + seq)
                .setNode(
                        NodeIdentity.newBuilder()
                                .setHub("hub-01")
                                .setRegion("eu-west-1")
                                .setCluster("eu-west-1-c01")
                                .setNodeId(node)
                                .setSiteId("site-001")
                                .setSiteType("INDUSTRIAL")
                                .build())
                .setSensorId("sys")
                .setEventTime(Instant.ofEpochMilli(time))
                .setSequence(seq);
    }

    static TelemetryEvent metric(String node, long time, long seq, double cpu) {
        return base(node, time, seq)
                .setMetric(
                        MetricSample.newBuilder().setCpuPercent(cpu).setTemperatureC(30.0).build())
                .build();
    }

    static TelemetryEvent security(String node, long time, long seq) {
        return base(node, time, seq)
                .setSensorId("auth")
                .setSecurity(
                        SecurityEvent.newBuilder().setKind("AUTH_FAILURE").setUser("root").build())
                .build();
    }

    static TelemetryEvent power(String node, long time, long seq, double watts) {
        return base(node, time, seq)
                .setSensorId("pwr-grid")
                .setPower(PowerSample.newBuilder().setPowerW(watts).setSource("GRID").build())
                .build();
    }

    private <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            String topic, Class<T> type) throws Exception {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka().readCommitted(topic)) {
            assertThat(record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT).value())
                    .isEqualTo(SchemaFingerprint.toBytes(codec.fingerprint()));
            out.add(codec.decode(record.value()));
        }
        return out;
    }

    private List<String> values(String topic) {
        return kafka().readCommitted(topic).stream()
                .map(
                        r ->
                                new String(r.key(), StandardCharsets.UTF_8)
                                        + "@"
                                        + r.timestamp()
                                        + ":"
                                        + Arrays.toString(r.value()))
                .sorted()
                .toList();
    }

    /**
     * Dead letters without their processing-time field and with the input topic name neutralised.
     */
    private List<String> deadLetterContent(String topic, String inputTopic) throws Exception {
        return read(topic, DeadLetter.class).stream()
                .map(
                        d -> {
                            d.setDetectedAt(Instant.EPOCH);
                            d.setSourceTopic(
                                    d.getSourceTopic().equals(inputTopic)
                                            ? "input"
                                            : d.getSourceTopic());
                            return d.toString();
                        })
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static DeadLetter byOffset(List<DeadLetter> letters, long offset) {
        return letters.stream()
                .filter(d -> d.getSourceOffset() == offset)
                .findFirst()
                .orElseThrow();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static String describe(NodeHealthSummary s) {
        return String.format(
                "%s [%s,%s) r%d events=%d metric=%d security=%d power=%d authFailures=%d cpuAvg=%s"
                        + " cpuMax=%s tempMax=%s powerAvg=%s seq=%d..%d",
                s.getNodeId(),
                s.getWindowStart().toString().substring(11, 19),
                s.getWindowEnd().toString().substring(11, 19),
                s.getRevision(),
                s.getEvents(),
                s.getMetricSamples(),
                s.getSecurityEvents(),
                s.getPowerSamples(),
                s.getAuthFailures(),
                s.getCpuAvgPercent(),
                s.getCpuMaxPercent(),
                s.getTemperatureMaxC(),
                s.getPowerAvgW(),
                s.getFirstSequence(),
                s.getLastSequence());
    }

    private record Topics(String telemetry, String health, String deadLetters) {}
}
