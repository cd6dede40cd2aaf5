package dev.vigil.operators.audit;

import dev.vigil.operators.ingest.ControlRecordDecoder;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.avro.AvroCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads one audited topic: each record is decoded (to learn its subject and event time, and to
 * reject what is not a readable record of the topic's schema as a dead letter) and passed on with
 * its original bytes, which are what the trail stores.
 */
public final class AuditInputDeserializationSchema<T extends SpecificRecord>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, AuditInput>> {

    private static final long serialVersionUID = 1L;

    private final ControlRecordDecoder<T> decoder;
    private final Class<T> type;
    private final AuditDescriber<T> describer;
    private transient AvroCodec<T> codec;

    public AuditInputDeserializationSchema(
            Class<T> type, AuditDescriber<T> describer, DeadLetterFactory deadLetters) {
        this.type = type;
        this.describer = describer;
        this.decoder = new ControlRecordDecoder<>(type, deadLetters);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, AuditInput>> out) {
        T value = decoder.decode(record, d -> out.collect(Either.Left(d)));
        if (value == null) {
            return;
        }
        AuditDescriber.Description d = describer.describe(value);
        if (d == null) {
            return;
        }
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        AuditInput in = new AuditInput();
        in.chainId = d.chainId();
        in.eventType = d.eventType();
        in.subjectId = d.subjectId();
        in.sourceTopic = record.topic();
        in.partition = record.partition();
        in.offset = record.offset();
        in.occurredAt = d.occurredAt();
        // the stored payload is the record in the current schema, so that every entry of a
        // topic decodes with the fingerprint it names
        in.payload = codec.encode(describer.forTrail(value));
        in.payloadFingerprint = codec.fingerprint();
        out.collect(Either.Right(in));
    }

    @Override
    public TypeInformation<Either<DeadLetter, AuditInput>> getProducedType() {
        return new EitherTypeInfo<>(
                TypeInformation.of(DeadLetter.class), TypeInformation.of(AuditInput.class));
    }
}
