package dev.vigil.jobs.common;

import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes telemetry the way an edge producer does: Avro values with the fingerprint header, keyed by
 * node, each node with its own sequence numbers, to a chosen partition with the event time as the
 * record timestamp. Records are collected and sent together with {@link #send}.
 */
public final class TelemetryWriter {

    private final KafkaEndpoint kafka;
    private final String topic;
    private final AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<ProducerRecord<byte[], byte[]>> pending = new ArrayList<>();

    public TelemetryWriter(KafkaEndpoint kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /** A well-formed event of {@code node} at {@code time} with the node's next sequence. */
    public TelemetryEvent.Builder event(String node, long time) {
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

    /** A CPU sample. */
    public TelemetryEvent metric(String node, long time, double cpu) {
        return event(node, time)
                .setMetric(MetricSample.newBuilder().setCpuPercent(cpu).build())
                .build();
    }

    /** A grid power sample. */
    public TelemetryEvent power(String node, long time, double watts) {
        return event(node, time)
                .setSensorId("pdu")
                .setPower(PowerSample.newBuilder().setPowerW(watts).setSource("GRID").build())
                .build();
    }

    /** A failed password login of root from 203.0.113.7. */
    public TelemetryEvent authFailure(String node, long time) {
        return event(node, time)
                .setSensorId("sec")
                .setSecurity(
                        SecurityEvent.newBuilder()
                                .setKind("AUTH_FAILURE")
                                .setUser("root")
                                .setSrcIp("203.0.113.7")
                                .setFailureReason("BAD_PASSWORD")
                                .build())
                .build();
    }

    /** Queues {@code event} for {@code partition}, timestamped with its event time. */
    public TelemetryWriter add(TelemetryEvent event, int partition) {
        return add(event, partition, event.getEventTime().toEpochMilli());
    }

    /** Queues {@code event} for {@code partition} with the record timestamp {@code timestamp}. */
    public TelemetryWriter add(TelemetryEvent event, int partition, long timestamp) {
        return raw(
                partition,
                timestamp,
                event.getNode().getNodeId().getBytes(StandardCharsets.UTF_8),
                codec.encode(event));
    }

    /** Queues a record of arbitrary bytes. */
    public TelemetryWriter raw(int partition, long timestamp, byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(codec.fingerprint()));
        pending.add(new ProducerRecord<>(topic, partition, timestamp, key, value, headers));
        return this;
    }

    /** Sends what was queued and waits for the broker's acknowledgement of each. */
    public void send() {
        kafka.produce(List.copyOf(pending));
        pending.clear();
    }

    /** The Avro bytes of {@code event}, as written. */
    public byte[] encode(TelemetryEvent event) {
        return codec.encode(event);
    }
}
