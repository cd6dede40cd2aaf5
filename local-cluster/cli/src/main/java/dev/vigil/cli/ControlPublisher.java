package dev.vigil.cli;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.RecordSignatures;
import dev.vigil.local.StackKeys;
import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes one control record ({@code rules}, {@code models}, {@code approvals}) signed by its
 * author ({@link RecordSignatures}, over the value bytes as written) and waits for the broker.
 */
final class ControlPublisher {

    /** The author's signing key, opened when a record is sent. */
    @FunctionalInterface
    interface AuthorKey {
        HybridSigner open() throws IOException;
    }

    private final KafkaClientSettings kafka;
    private final AuthorKey author;

    /** {@code author} null: records go unsigned (a stack without author checks). */
    ControlPublisher(KafkaClientSettings kafka, AuthorKey author) {
        this.kafka = kafka;
        this.author = author;
    }

    /** The author of the local stack's data directory {@code keys}. */
    static ControlPublisher of(KafkaClientSettings kafka, StackKeys keys, String author) {
        return new ControlPublisher(kafka, () -> keys.author(author).signer());
    }

    KafkaClientSettings kafka() {
        return kafka;
    }

    <T extends SpecificRecord> void send(Topic topic, String key, T record, Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        Properties properties = kafka.toProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                VigilHeaders.SCHEMA_FINGERPRINT, SchemaFingerprint.toBytes(codec.fingerprint()));
        byte[] value = codec.encode(record);
        if (author != null) {
            try {
                RecordSignatures.sign(author.open(), topic.topicName(), value, headers::add);
            } catch (IOException e) {
                throw new LaunchException("cannot open the author's key: " + e.getMessage(), e);
            }
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic.topicName(),
                                    null,
                                    key.getBytes(StandardCharsets.UTF_8),
                                    value,
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
