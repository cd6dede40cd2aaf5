package dev.vigil.cli;

import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes one command to a control topic ({@code rules}, {@code models}) and waits for it. */
final class ControlPublisher {

    private ControlPublisher() {}

    static <T extends SpecificRecord> void send(
            KafkaClientSettings kafka, Topic topic, String key, T record, Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        Properties properties = kafka.toProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(codec.fingerprint()));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic.topicName(),
                                    null,
                                    key.getBytes(StandardCharsets.UTF_8),
                                    codec.encode(record),
                                    headers))
                    .get();
        } catch (Exception e) {
            throw new LaunchException(
                    "cannot publish to "
                            + topic.topicName()
                            + " at "
                            + kafka.bootstrapServers()
                            + " (is ./vigil up running?): "
                            + e.getMessage(),
                    e);
        }
    }
}
