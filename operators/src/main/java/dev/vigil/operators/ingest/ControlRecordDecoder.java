package dev.vigil.operators.ingest;

import dev.vigil.audit.TrustedAuthors;
import dev.vigil.operators.eventtime.EventTimes;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.io.Serializable;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes the records of a control or side topic ({@code rules}, {@code models}, {@code approvals},
 * agents' reports, Vigil's own outputs read back): a readable record within the size limit that
 * passes its {@link RecordValidator} is returned; anything else becomes a dead letter with the
 * reason, since an unreadable or absurd command cannot even be acknowledged. With {@link
 * #withSignatures} a record must also carry a trusted author's signature over its bytes.
 */
public final class ControlRecordDecoder<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default largest value of a control record. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    private final Class<T> type;
    private final DeadLetterFactory deadLetters;
    private final int maxRecordBytes;
    private final RecordValidator<T> validator;
    private final ControlSignatures<T> signatures;
    private transient AvroCodec<T> codec;

    public ControlRecordDecoder(Class<T> type, DeadLetterFactory deadLetters) {
        this(type, deadLetters, DEFAULT_MAX_RECORD_BYTES, RecordValidator.none());
    }

    /**
     * @param maxRecordBytes largest value accepted; larger ones are {@code RECORD_TOO_LARGE} dead
     *     letters
     * @param validator bounds beyond the schema
     */
    public ControlRecordDecoder(
            Class<T> type,
            DeadLetterFactory deadLetters,
            int maxRecordBytes,
            RecordValidator<T> validator) {
        this(type, deadLetters, maxRecordBytes, validator, null);
    }

    private ControlRecordDecoder(
            Class<T> type,
            DeadLetterFactory deadLetters,
            int maxRecordBytes,
            RecordValidator<T> validator,
            ControlSignatures<T> signatures) {
        this.type = type;
        this.deadLetters = deadLetters;
        this.maxRecordBytes = maxRecordBytes;
        this.validator = validator;
        this.signatures = signatures;
    }

    /**
     * This decoder, also requiring an author signature that {@code signatures} accepts (checked
     * over the bytes received, before decoding); null {@code signatures} leaves it unchanged.
     */
    public ControlRecordDecoder<T> withSignatures(ControlSignatures<T> signatures) {
        return signatures == null
                ? this
                : new ControlRecordDecoder<>(
                        type, deadLetters, maxRecordBytes, validator, signatures);
    }

    /**
     * @return the decoded record, or null after handing the record's dead letter to {@code
     *     rejected}
     */
    public T decode(ConsumerRecord<byte[], byte[]> record, Consumer<DeadLetter> rejected) {
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        if (record.value() != null && record.value().length > maxRecordBytes) {
            rejected.accept(
                    deadLetters.of(
                            record,
                            new Rejection(
                                    RejectReason.RECORD_TOO_LARGE,
                                    "the value has "
                                            + record.value().length
                                            + " bytes, more than the "
                                            + maxRecordBytes
                                            + " a record of this topic may have")));
            return null;
        }
        if (record.value() == null || record.value().length == 0) {
            rejected.accept(
                    deadLetters.of(
                            record,
                            new Rejection(RejectReason.EMPTY_VALUE, "the record has no value")));
            return null;
        }
        TrustedAuthors.Verdict verdict = null;
        if (signatures != null) {
            verdict = signatures.verify(record);
            if (!verdict.valid()) {
                rejected.accept(
                        deadLetters.of(
                                record,
                                new Rejection(
                                        ControlSignatures.reason(verdict.outcome()),
                                        signatures.kind() + ": " + verdict.detail())));
                return null;
            }
        }
        try {
            Header header = record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT);
            OptionalLong fingerprint =
                    header == null
                            ? OptionalLong.empty()
                            : SchemaFingerprint.fromBytes(header.value());
            T value = codec.decode(record.value(), fingerprint);
            Rejection rejection =
                    validator.check(
                            value,
                            EventTimes.referenceTime(
                                    record.timestamp(),
                                    record.timestampType(),
                                    System.currentTimeMillis()));
            if (rejection != null) {
                rejected.accept(deadLetters.of(record, rejection));
                return null;
            }
            if (verdict != null) {
                signatures.stamp(value, verdict);
            }
            return value;
        } catch (AvroDecodeException e) {
            rejected.accept(
                    deadLetters.of(
                            record,
                            new Rejection(
                                    RejectReason.valueOf(e.failure().name()), e.getMessage())));
            return null;
        }
    }

    /** The factory that made this decoder's dead letters, for later rejections of the record. */
    public DeadLetterFactory deadLetters() {
        return deadLetters;
    }
}
