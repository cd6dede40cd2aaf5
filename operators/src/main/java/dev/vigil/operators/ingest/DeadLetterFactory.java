package dev.vigil.operators.ingest;

import dev.vigil.operators.ProcessingClock;
import dev.vigil.schema.DeadLetter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds {@link DeadLetter}s that keep a rejected record whole: raw key, value and headers, where
 * it was read from, and why it was rejected.
 */
public final class DeadLetterFactory implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final ProcessingClock clock;

    public DeadLetterFactory(String job) {
        this(job, ProcessingClock.SYSTEM);
    }

    public DeadLetterFactory(String job, ProcessingClock clock) {
        this.job = job;
        this.clock = clock;
    }

    /** A dead letter for a Kafka record rejected for {@code rejection}. */
    public DeadLetter of(ConsumerRecord<byte[], byte[]> record, Rejection rejection) {
        Map<String, ByteBuffer> headers = new HashMap<>();
        for (Header header : record.headers()) {
            byte[] value = header.value();
            headers.put(header.key(), ByteBuffer.wrap(value == null ? new byte[0] : value));
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(Instant.ofEpochMilli(Math.max(0L, record.timestamp())))
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setHeaders(headers)
                .setReasonCode(rejection.reason().name())
                .setReason(rejection.message())
                .setJob(job)
                .setDetectedAt(Instant.ofEpochMilli(clock.getAsLong()))
                .build();
    }

    /**
     * A dead letter for a record that was valid but arrived after its window closed: the value is
     * the event re-encoded in the current schema.
     */
    public DeadLetter late(
            String topic,
            int partition,
            long offset,
            Instant eventTime,
            byte[] key,
            byte[] value,
            Map<String, ByteBuffer> headers,
            String message) {
        return decoded(
                topic,
                partition,
                offset,
                eventTime,
                key,
                value,
                headers,
                new Rejection(RejectReason.LATE_EVENT, message));
    }

    /**
     * A dead letter for a record that decoded but was rejected later in the job (too late, a model
     * that does not load): the value is the record re-encoded in the current schema.
     */
    public DeadLetter decoded(
            String topic,
            int partition,
            long offset,
            Instant sourceTime,
            byte[] key,
            byte[] value,
            Map<String, ByteBuffer> headers,
            Rejection rejection) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(sourceTime)
                .setKey(ByteBuffer.wrap(key))
                .setValue(ByteBuffer.wrap(value))
                .setHeaders(headers)
                .setReasonCode(rejection.reason().name())
                .setReason(rejection.message())
                .setJob(job)
                .setDetectedAt(Instant.ofEpochMilli(clock.getAsLong()))
                .build();
    }
}
