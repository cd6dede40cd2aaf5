package dev.vigil.operators.audit;

import dev.vigil.audit.TrustedAuthors;
import dev.vigil.operators.ingest.ControlRecordDecoder;
import dev.vigil.operators.ingest.ControlSignatures;
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
    private final ControlSignatures<T> signatures;
    private transient AvroCodec<T> codec;

    public AuditInputDeserializationSchema(
            Class<T> type, AuditDescriber<T> describer, DeadLetterFactory deadLetters) {
        this(type, describer, deadLetters, null);
    }

    /**
     * @param signatures when not null, the author check of the topic's records: an entry names the
     *     verified signer of a record that passes it (one that does not is still recorded, without
     *     a signer: the trail is complete, the job that acts on the topic rejects the record)
     */
    public AuditInputDeserializationSchema(
            Class<T> type,
            AuditDescriber<T> describer,
            DeadLetterFactory deadLetters,
            ControlSignatures<T> signatures) {
        this.type = type;
        this.describer = describer;
        this.decoder = new ControlRecordDecoder<>(type, deadLetters);
        this.signatures = signatures;
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
        in.signedBy = d.signedBy();
        if (signatures != null) {
            TrustedAuthors.Verdict verdict = signatures.verify(record);
            in.signedBy = verdict.valid() ? verdict.signer() : null;
        }
        out.collect(Either.Right(in));
    }

    @Override
    public TypeInformation<Either<DeadLetter, AuditInput>> getProducedType() {
        return new EitherTypeInfo<>(
                TypeInformation.of(DeadLetter.class), TypeInformation.of(AuditInput.class));
    }
}
