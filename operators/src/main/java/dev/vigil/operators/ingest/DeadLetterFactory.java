package dev.vigil.operators.ingest;

import dev.vigil.operators.ProcessingClock;
import dev.vigil.schema.DeadLetter;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds {@link DeadLetter}s that keep a rejected record: key, value and headers, where it was read
 * from, and why it was rejected — within fixed limits, so that a dead letter can always be written:
 * a record of any size (the broker accepts compressed batches whose records exceed a producer's
 * {@code max.request.size}) becomes a dead letter of at most a few tens of KiB. The value is kept
 * up to {@link #MAX_VALUE_BYTES}, the key up to {@link #MAX_KEY_BYTES}, headers up to {@link
 * #MAX_HEADER_BYTES} in all and reasons up to {@link #MAX_REASON_CHARS}; the whole value's size and
 * SHA-256 are always kept, and {@code truncated} says that something was cut.
 */
public final class DeadLetterFactory implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most value bytes a dead letter keeps. */
    public static final int MAX_VALUE_BYTES = 16 * 1024;

    /** Most key bytes a dead letter keeps. */
    public static final int MAX_KEY_BYTES = 1024;

    /** Most header bytes (names and values) a dead letter keeps. */
    public static final int MAX_HEADER_BYTES = 4096;

    /** Longest reason kept, in characters. */
    public static final int MAX_REASON_CHARS = 2048;

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
        Bounded b = new Bounded();
        Map<String, ByteBuffer> headers = new TreeMap<>();
        Map<String, byte[]> last = new HashMap<>();
        for (Header header : record.headers()) {
            last.put(header.key(), header.value() == null ? new byte[0] : header.value());
        }
        int budget = MAX_HEADER_BYTES;
        for (Map.Entry<String, byte[]> h : new TreeMap<>(last).entrySet()) {
            int size = h.getKey().getBytes(StandardCharsets.UTF_8).length + h.getValue().length;
            if (size > budget) {
                b.truncated = true;
                continue;
            }
            budget -= size;
            headers.put(h.getKey(), ByteBuffer.wrap(h.getValue()));
        }
        byte[] value = record.value();
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(Instant.ofEpochMilli(Math.max(0L, record.timestamp())))
                .setKey(b.cut(record.key(), MAX_KEY_BYTES))
                .setValue(b.cut(value, MAX_VALUE_BYTES))
                .setHeaders(headers)
                .setReasonCode(rejection.reason().name())
                .setReason(b.reason(rejection.message()))
                .setJob(job)
                .setDetectedAt(Instant.ofEpochMilli(clock.getAsLong()))
                .setValueSize(value == null ? null : (long) value.length)
                .setValueSha256(value == null ? null : ByteBuffer.wrap(sha256(value)))
                .setTruncated(b.truncated)
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
        Bounded b = new Bounded();
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setSourceTimestamp(sourceTime)
                .setKey(b.cut(key, MAX_KEY_BYTES))
                .setValue(b.cut(value, MAX_VALUE_BYTES))
                .setHeaders(headers)
                .setReasonCode(rejection.reason().name())
                .setReason(b.reason(rejection.message()))
                .setJob(job)
                .setDetectedAt(Instant.ofEpochMilli(clock.getAsLong()))
                .setValueSize((long) value.length)
                .setValueSha256(ByteBuffer.wrap(sha256(value)))
                .setTruncated(b.truncated)
                .build();
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cuts fields to the limits and remembers whether it had to. */
    private static final class Bounded {
        boolean truncated;

        ByteBuffer cut(byte[] bytes, int max) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length <= max) {
                return ByteBuffer.wrap(bytes);
            }
            truncated = true;
            return ByteBuffer.wrap(Arrays.copyOf(bytes, max));
        }

        String reason(String reason) {
            if (reason.length() <= MAX_REASON_CHARS) {
                return reason;
            }
            truncated = true;
            return reason.substring(0, MAX_REASON_CHARS - 1) + "…";
        }
    }
}
