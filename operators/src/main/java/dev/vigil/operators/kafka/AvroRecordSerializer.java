package dev.vigil.operators.kafka;

import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.RecordSignatures;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes records of one Avro type to one topic as plain Avro binary, with the writer schema's
 * fingerprint and name in the record headers. It names its topic (a {@link
 * KafkaDatasetFacetProvider}), which the pooled transactional-id strategy requires.
 */
public final class AvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Long> timestamp;
    private final SignerSource signerSource;
    private transient AvroCodec<T> codec;
    private transient HybridSigner signer;
    private transient byte[] fingerprint;
    private transient byte[] schemaName;

    /**
     * @param key extracts the record key (UTF-8 encoded)
     * @param timestamp extracts the Kafka record timestamp; deterministic values keep replays
     *     byte-identical
     */
    public AvroRecordSerializer(
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, Long> timestamp) {
        this(topic, type, key, timestamp, null);
    }

    private AvroRecordSerializer(
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, Long> timestamp,
            SignerSource signerSource) {
        this.topic = topic;
        this.type = type;
        this.key = key;
        this.timestamp = timestamp;
        this.signerSource = signerSource;
    }

    /**
     * The same serializer that also signs each value as written, for its topic, with the key of
     * {@code signer} ({@link RecordSignatures} headers): readers verify the bytes they receive.
     */
    public AvroRecordSerializer<T> signedWith(SignerSource signer) {
        return new AvroRecordSerializer<>(topic, type, key, timestamp, signer);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        if (signerSource != null) {
            signer = signerSource.open();
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long ignored) {
        if (codec == null) {
            codec = AvroCodec.of(type);
            fingerprint = SchemaFingerprint.toBytes(codec.fingerprint());
            schemaName = codec.schema().getFullName().getBytes(StandardCharsets.UTF_8);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(VigilHeaders.SCHEMA_FINGERPRINT, fingerprint));
        headers.add(new RecordHeader(VigilHeaders.SCHEMA_NAME, schemaName));
        Long ts = timestamp.apply(element);
        byte[] value = codec.encode(element);
        if (signerSource != null) {
            if (signer == null) {
                throw new IllegalStateException("serializer for " + topic + " not opened");
            }
            RecordSignatures.sign(
                    signer,
                    topic,
                    value,
                    (name, bytes) -> headers.add(new RecordHeader(name, bytes)));
        }
        return new ProducerRecord<>(
                topic,
                null,
                ts != null && ts >= 0 ? ts : null,
                key.apply(element).getBytes(StandardCharsets.UTF_8),
                value,
                headers);
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
