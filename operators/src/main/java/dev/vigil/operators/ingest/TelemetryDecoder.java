package dev.vigil.operators.ingest;

import dev.vigil.operators.ProcessingClock;
import dev.vigil.operators.eventtime.EventTimes;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.avro.DecodeFailure;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.TelemetryBinaryReader;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.identity.NodeIdentity;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a raw telemetry record into a valid event or a dead letter. Never throws on input: every
 * way a record can be unreadable or invalid ends in a {@link Rejection}.
 *
 * <p>Each event is judged against its reference time ({@link EventTimes#ofOwnRecord}): the broker's
 * {@code LogAppendTime} on the topic Vigil sets up, or, should the topic keep producers' {@code
 * CreateTime}, that time; either capped by this reader's clock, so a producer cannot vouch for its
 * own future-dated events.
 *
 * <p>Plain Java, no Flink types. Not thread-safe (it reuses an {@link AvroCodec}): one per subtask.
 */
public final class TelemetryDecoder {

    /** Default largest telemetry value accepted (a telemetry event is a few hundred bytes). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    private final AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
    private final TelemetryValidator validator;
    private final DeadLetterFactory deadLetters;
    private final int maxRecordBytes;
    private final ProcessingClock clock;
    private final NodeIdentity identity;

    public TelemetryDecoder(TelemetryValidator validator, DeadLetterFactory deadLetters) {
        this(validator, deadLetters, DEFAULT_MAX_RECORD_BYTES, ProcessingClock.SYSTEM);
    }

    public TelemetryDecoder(
            TelemetryValidator validator,
            DeadLetterFactory deadLetters,
            int maxRecordBytes,
            ProcessingClock clock) {
        this(validator, deadLetters, maxRecordBytes, clock, null);
    }

    /**
     * @param maxRecordBytes largest value accepted; larger ones are {@code RECORD_TOO_LARGE} dead
     *     letters
     * @param clock this reader's clock, the cap of every reference time
     * @param identity when not null, every record must carry the MAC of the node it claims to come
     *     from ({@link NodeIdentity}); others become {@code UNAUTHENTICATED} or {@code
     *     NODE_IDENTITY_MISMATCH} dead letters
     */
    public TelemetryDecoder(
            TelemetryValidator validator,
            DeadLetterFactory deadLetters,
            int maxRecordBytes,
            ProcessingClock clock,
            NodeIdentity identity) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("max record bytes must be >= 1");
        }
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.maxRecordBytes = maxRecordBytes;
        this.clock = clock;
        this.identity = identity;
    }

    /** Decodes and validates {@code record}. */
    public IngestedTelemetry decode(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value != null && value.length > maxRecordBytes) {
            return reject(
                    record,
                    new Rejection(
                            RejectReason.RECORD_TOO_LARGE,
                            "the value has "
                                    + value.length
                                    + " bytes, more than the "
                                    + maxRecordBytes
                                    + " a telemetry record may have"));
        }
        if (value == null || value.length == 0) {
            return reject(
                    record,
                    new Rejection(
                            RejectReason.EMPTY_VALUE,
                            value == null
                                    ? "the record has no value (tombstone)"
                                    : "the value is empty"));
        }
        TelemetryEvent event;
        try {
            OptionalLong writer = writerFingerprint(record);
            // the fast path for the current schema; what it declines, the codec decodes or names
            event =
                    writer.isEmpty() || writer.getAsLong() == codec.fingerprint()
                            ? TelemetryBinaryReader.read(value)
                            : null;
            if (event == null) {
                event = codec.decode(value, writer);
            }
        } catch (AvroDecodeException e) {
            return reject(
                    record,
                    new Rejection(RejectReason.valueOf(e.failure().name()), e.getMessage()));
        }
        if (identity != null) {
            Header mac = record.headers().lastHeader(NodeIdentity.HEADER);
            if (mac == null) {
                return reject(
                        record,
                        new Rejection(
                                RejectReason.UNAUTHENTICATED,
                                "no " + NodeIdentity.HEADER + " header: the node is not known"));
            }
            // over the bytes received, with the key of the node the event names
            if (!identity.verify(event.getNode().getNodeId(), value, mac.value())) {
                return reject(
                        record,
                        new Rejection(
                                RejectReason.NODE_IDENTITY_MISMATCH,
                                "the "
                                        + NodeIdentity.HEADER
                                        + " header is not "
                                        + event.getNode().getNodeId()
                                        + "'s MAC over this value"));
            }
        }
        long referenceTime = EventTimes.ofOwnRecord(record.timestamp(), clock.getAsLong());
        Optional<Rejection> rejection = validator.validate(event, referenceTime);
        if (rejection.isPresent()) {
            return reject(record, rejection.get());
        }
        return IngestedTelemetry.valid(event, record.partition(), record.offset(), referenceTime);
    }

    /** The fingerprint header, if the producer wrote one; empty means the current schema. */
    private static OptionalLong writerFingerprint(ConsumerRecord<byte[], byte[]> record)
            throws AvroDecodeException {
        Header header = record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT);
        if (header == null) {
            return OptionalLong.empty();
        }
        OptionalLong fingerprint = SchemaFingerprint.fromBytes(header.value());
        if (fingerprint.isEmpty()) {
            throw new AvroDecodeException(
                    DecodeFailure.UNKNOWN_SCHEMA,
                    "header "
                            + VigilHeaders.SCHEMA_FINGERPRINT
                            + " must hold 8 bytes, found "
                            + (header.value() == null ? 0 : header.value().length));
        }
        return fingerprint;
    }

    private IngestedTelemetry reject(ConsumerRecord<byte[], byte[]> record, Rejection rejection) {
        return IngestedTelemetry.rejected(deadLetters.of(record, rejection));
    }
}
