package dev.vigil.operators.ingest;

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
 * Decodes the records of a control topic ({@code rules}, {@code models}): a readable record is
 * returned, anything else becomes a dead letter with the decoder's reason, since an unreadable
 * command cannot even be acknowledged.
 */
public final class ControlRecordDecoder<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final DeadLetterFactory deadLetters;
    private transient AvroCodec<T> codec;

    public ControlRecordDecoder(Class<T> type, DeadLetterFactory deadLetters) {
        this.type = type;
        this.deadLetters = deadLetters;
    }

    /**
     * @return the decoded record, or null after handing the record's dead letter to {@code
     *     rejected}
     */
    public T decode(ConsumerRecord<byte[], byte[]> record, Consumer<DeadLetter> rejected) {
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        if (record.value() == null || record.value().length == 0) {
            rejected.accept(
                    deadLetters.of(
                            record,
                            new Rejection(RejectReason.EMPTY_VALUE, "the record has no value")));
            return null;
        }
        try {
            Header header = record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT);
            OptionalLong fingerprint =
                    header == null
                            ? OptionalLong.empty()
                            : SchemaFingerprint.fromBytes(header.value());
            return codec.decode(record.value(), fingerprint);
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
