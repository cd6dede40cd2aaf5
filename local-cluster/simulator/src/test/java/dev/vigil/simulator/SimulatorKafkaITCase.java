package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The simulator writing to a real broker: every record arrives as the in-memory run made it. */
class SimulatorKafkaITCase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir Path dir;

    @Test
    void writesKeyedTimestampedAvroWithFingerprintsAndLabelsToTopicAndFile() throws Exception {
        String prefix = "sim-it-";
        KAFKA.createTopics(4, prefix + Topic.TELEMETRY.topicName());
        KAFKA.createTopics(
                1,
                prefix + Topic.GROUND_TRUTH.topicName(),
                prefix + Topic.GRID_INTENSITY.topicName());
        Instant start = Instant.parse("2026-01-15T02:00:00Z");
        Path labels = dir.resolve("labels.jsonl");
        SimulatorOptions options =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            KAFKA.bootstrapServers(),
                            "--rate",
                            "max",
                            "--duration",
                            "20m",
                            "--start",
                            start.toString(),
                            "--labels-file",
                            labels.toString(),
                            "--topic-prefix",
                            prefix
                        },
                        Instant.now());

        assertThat(SimulatorMain.run(options)).isTrue();

        Recording expected =
                Recording.run(
                        options.fleet(),
                        options.scenarios(),
                        start.toEpochMilli(),
                        Duration.ofMinutes(20));
        AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(prefix + Topic.TELEMETRY.topicName());
        assertThat(records).hasSize(expected.events.size());
        List<TelemetryEvent> received = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TelemetryEvent event = codec.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(event.getNode().getNodeId());
            assertThat(record.timestamp()).isEqualTo(event.getEventTime().toEpochMilli());
            assertThat(record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT).value())
                    .isEqualTo(SchemaFingerprint.toBytes(codec.fingerprint()));
            received.add(event);
        }
        Comparator<TelemetryEvent> order =
                Comparator.comparing((TelemetryEvent e) -> e.getNode().getNodeId())
                        .thenComparing(TelemetryEvent::getSequence)
                        .thenComparing(TelemetryEvent::getEventId)
                        .thenComparing(e -> e.getEventTime());
        assertThat(sorted(received, order)).isEqualTo(sorted(expected.events, order));

        List<GroundTruthLabel> sentLabels =
                decode(prefix + Topic.GROUND_TRUTH.topicName(), GroundTruthLabel.class);
        assertThat(sentLabels).isEqualTo(expected.labels).isNotEmpty();
        assertThat(Files.readAllLines(labels)).hasSize(expected.labels.size());
        assertThat(decode(prefix + Topic.GRID_INTENSITY.topicName(), GridIntensity.class))
                .isEqualTo(expected.intensities);
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order);
        return copy;
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
