package dev.vigil.operators.inference;

import dev.vigil.operators.ingest.ControlRecordDecoder;
import dev.vigil.operators.ingest.ControlSignatures;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.ModelUpdate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the {@code models} topic; unreadable records, records over {@link #MAX_RECORD_BYTES} and
 * updates outside the bounds of {@link ModelUpdateLimits} become dead letters.
 */
public final class ModelUpdateDeserializationSchema
        implements KafkaRecordDeserializationSchema<IngestedModelUpdate> {

    private static final long serialVersionUID = 1L;

    private final ControlRecordDecoder<ModelUpdate> decoder;

    /** Largest model update accepted (ONNX artifact and metadata included). */
    public static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

    public ModelUpdateDeserializationSchema(DeadLetterFactory deadLetters) {
        this(deadLetters, null);
    }

    /**
     * @param trustedAuthors the trust store of authors' keys; when not null, only updates signed by
     *     an author who may sign {@code models} are served, the others are dead letters naming why,
     *     and {@code published_by} becomes the verified signer
     */
    public ModelUpdateDeserializationSchema(DeadLetterFactory deadLetters, String trustedAuthors) {
        this.decoder =
                new ControlRecordDecoder<>(
                                ModelUpdate.class,
                                deadLetters,
                                MAX_RECORD_BYTES,
                                ModelUpdateLimits::check)
                        .withSignatures(ControlSignatures.models(trustedAuthors));
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<IngestedModelUpdate> out) {
        ModelUpdate update =
                decoder.decode(record, d -> out.collect(IngestedModelUpdate.rejected(d)));
        if (update != null) {
            out.collect(
                    IngestedModelUpdate.of(
                            update,
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp()));
        }
    }

    @Override
    public TypeInformation<IngestedModelUpdate> getProducedType() {
        return TypeInformation.of(IngestedModelUpdate.class);
    }
}
