package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads one of Vigil's own output topics (e.g. {@code anomalies} into the threat job): each record
 * becomes {@code Right(record)}, or {@code Left(dead letter)} with the decoder's reason. {@link
 * EitherSplitter} sends the lefts to the dead letters.
 */
public final class AvroTopicDeserializationSchema<T extends SpecificRecord>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final ControlRecordDecoder<T> decoder;

    public AvroTopicDeserializationSchema(Class<T> type, DeadLetterFactory deadLetters) {
        this(type, deadLetters, RecordValidator.none());
    }

    /** Records failing {@code validator} become dead letters too. */
    public AvroTopicDeserializationSchema(
            Class<T> type, DeadLetterFactory deadLetters, RecordValidator<T> validator) {
        this(type, deadLetters, validator, null);
    }

    /** Records must also pass {@code signatures} (null: no author check). */
    public AvroTopicDeserializationSchema(
            Class<T> type,
            DeadLetterFactory deadLetters,
            RecordValidator<T> validator,
            ControlSignatures<T> signatures) {
        this.type = type;
        this.decoder =
                new ControlRecordDecoder<>(
                                type,
                                deadLetters,
                                ControlRecordDecoder.DEFAULT_MAX_RECORD_BYTES,
                                validator)
                        .withSignatures(signatures);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        T value = decoder.decode(record, d -> out.collect(Either.Left(d)));
        if (value != null) {
            out.collect(Either.Right(value));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), TypeInformation.of(type));
    }
}
