package dev.vigil.simulator;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.identity.NodeIdentity;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes what the simulator produces to Kafka the way edge sensors do: plain Avro values keyed by
 * node (labels by scenario, intensity by region), the sensor timestamp as the record timestamp and
 * the writer-schema fingerprint in a header. Idempotent producer, acks=all: nothing is lost or
 * duplicated by retries.
 */
public final class KafkaOutput implements FleetSimulator.Output, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Channel<TelemetryEvent> telemetry;
    private final Channel<GroundTruthLabel> labels;
    private final Channel<GridIntensity> grid;
    private final BufferedWriter labelsFile;
    private final AtomicLong sent = new AtomicLong();
    private final NodeIdentity identity;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaOutput(String bootstrapServers, String topicPrefix, Path labelsFile) {
        this(KafkaClientSettings.plaintext(bootstrapServers), topicPrefix, labelsFile, null);
    }

    /**
     * Output to the broker {@code kafka} names, with its client (security) properties; with {@code
     * identity}, every telemetry record carries its node's MAC ({@link NodeIdentity}).
     */
    public KafkaOutput(
            KafkaClientSettings kafka, String topicPrefix, Path labelsFile, NodeIdentity identity) {
        this.identity = identity;
        Properties properties = kafka.toProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulator");
        this.producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.telemetry =
                new Channel<>(topicPrefix + Topic.TELEMETRY.topicName(), TelemetryEvent.class);
        this.labels =
                new Channel<>(topicPrefix + Topic.GROUND_TRUTH.topicName(), GroundTruthLabel.class);
        this.grid =
                new Channel<>(topicPrefix + Topic.GRID_INTENSITY.topicName(), GridIntensity.class);
        try {
            this.labelsFile =
                    labelsFile == null
                            ? null
                            : Files.newBufferedWriter(labelsFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write labels to " + labelsFile, e);
        }
    }

    @Override
    public void telemetry(TelemetryEvent event) {
        telemetry.send(
                event.getNode().getNodeId(), event.getEventTime().toEpochMilli(), event, identity);
    }

    @Override
    public void label(GroundTruthLabel label) {
        labels.send(label.getScenarioId(), label.getStartTime().toEpochMilli(), label, null);
        if (labelsFile != null) {
            try {
                labelsFile.write(label.toString());
                labelsFile.newLine();
                labelsFile.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write labels", e);
            }
        }
    }

    @Override
    public void gridIntensity(GridIntensity intensity) {
        // keyed by region and validity: compaction then drops only re-publications of the same
        // validity, never the history that a replay's temporal join needs
        grid.send(
                intensity.getRegion() + "/" + intensity.getValidFrom().toEpochMilli(),
                intensity.getValidFrom().toEpochMilli(),
                intensity,
                null);
    }

    /** Records acknowledged by the broker so far. */
    public long sent() {
        return sent.get();
    }

    /** Fails if any send failed: the simulator must not report success after losing records. */
    public void checkHealthy() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (labelsFile != null) {
            try {
                labelsFile.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        checkHealthy();
    }

    private final class Channel<T extends SpecificRecord> {
        private final String topic;
        private final AvroCodec<T> codec;
        private final byte[] fingerprint;
        private final byte[] name;

        Channel(String topic, Class<T> type) {
            this.topic = topic;
            this.codec = AvroCodec.of(type);
            this.fingerprint = SchemaFingerprint.toBytes(codec.fingerprint());
            this.name = codec.schema().getFullName().getBytes(StandardCharsets.UTF_8);
        }

        /** Sends {@code value}; with {@code as}, MAC'd as the node named by {@code key}. */
        void send(String key, long timestamp, T value, NodeIdentity as) {
            checkHealthy();
            byte[] bytes = codec.encode(value);
            RecordHeaders headers = new RecordHeaders();
            headers.add(VigilHeaders.SCHEMA_FINGERPRINT, fingerprint);
            headers.add(VigilHeaders.SCHEMA_NAME, name);
            if (as != null) {
                headers.add(NodeIdentity.HEADER, as.signAs(key, bytes));
            }
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            null,
                            timestamp,
                            key.getBytes(StandardCharsets.UTF_8),
                            bytes,
                            headers),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        } else {
                            sent.incrementAndGet();
                        }
                    });
        }
    }
}
