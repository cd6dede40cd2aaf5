package dev.vigil.operators.audit;

import dev.vigil.audit.AuditChain;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks that the audit trail is complete, not only intact: every record on the audited topics
 * ({@link AuditedTopic}) that its describer audits and whose event time a signed tree head of its
 * chain has passed must have its entry in that chain — same chain, event type, subject, source
 * topic and payload. The chain's hashes prove nothing was changed after it was appended; this
 * proves nothing was left out. Records the newest head has not reached yet are counted as pending,
 * not as missing. Plain Java.
 */
public final class AuditCompleteness {

    /** A record of an audited topic, as read. */
    public record Source(String topic, int partition, long offset, byte[] value) {}

    /** An audited record without its entry. */
    public record Missing(
            String topic,
            int partition,
            long offset,
            String chainId,
            String eventType,
            String subjectId,
            long occurredAt) {
        @Override
        public String toString() {
            return String.format(
                    "%s partition %d offset %d (%s %s at %s) has no entry in chain %s",
                    topic,
                    partition,
                    offset,
                    eventType,
                    subjectId,
                    Instant.ofEpochMilli(occurredAt),
                    chainId);
        }
    }

    /**
     * @param audited records that must have an entry, and had one
     * @param pending audited records past their chain's newest signed head
     * @param waiting those of the pending records that have no entry yet: the audit job appends
     *     them once its event time passes them (at the latest when its inputs fall idle)
     * @param missing audited records without an entry, in topic order
     * @param unreadable records of an audited topic that do not decode (the audit job dead-letters
     *     them)
     */
    public record Report(
            long audited, long pending, long waiting, List<Missing> missing, long unreadable) {
        public boolean complete() {
            return missing.isEmpty();
        }
    }

    private AuditCompleteness() {}

    /**
     * @param topics the audited topics, each under the name it was read from
     * @param sources the records of each audited topic, by topic name
     */
    public static Report check(
            Map<String, AuditedTopic<?>> topics,
            Map<String, List<Source>> sources,
            List<AuditEvent> entries,
            List<AuditCheckpoint> heads) {
        Map<String, Integer> found = new HashMap<>();
        for (AuditEvent e : entries) {
            found.merge(
                    key(
                            e.getChainId(),
                            e.getEventType(),
                            e.getSubjectId(),
                            e.getSourceTopic(),
                            AuditChain.bytes(e.getPayload())),
                    1,
                    Integer::sum);
        }
        Map<String, Long> headTime = new HashMap<>();
        for (AuditCheckpoint h : heads) {
            headTime.merge(h.getChainId(), h.getCreatedAt().toEpochMilli(), Math::max);
        }
        long audited = 0;
        long pending = 0;
        long waiting = 0;
        long unreadable = 0;
        List<Missing> missing = new ArrayList<>();
        for (Map.Entry<String, List<Source>> topic : sources.entrySet()) {
            AuditedTopic<?> spec = topics.get(topic.getKey());
            if (spec == null) {
                throw new IllegalArgumentException(topic.getKey() + " is not an audited topic");
            }
            Expectation<?> expect = new Expectation<>(spec);
            for (Source s : topic.getValue()) {
                Expected x;
                try {
                    x = expect.of(s);
                } catch (AvroDecodeException e) {
                    unreadable++;
                    continue;
                }
                if (x == null) {
                    continue;
                }
                String k = key(x.chainId, x.eventType, x.subjectId, s.topic(), x.payload);
                Integer left = found.get(k);
                boolean has = left != null && left > 0;
                if (has) {
                    found.put(k, left - 1);
                }
                Long head = headTime.get(x.chainId);
                if (head == null || x.occurredAt > head) {
                    pending++;
                    if (!has) {
                        waiting++;
                    }
                    continue;
                }
                if (!has) {
                    missing.add(
                            new Missing(
                                    s.topic(),
                                    s.partition(),
                                    s.offset(),
                                    x.chainId,
                                    x.eventType,
                                    x.subjectId,
                                    x.occurredAt));
                } else {
                    audited++;
                }
            }
        }
        return new Report(audited, pending, waiting, List.copyOf(missing), unreadable);
    }

    private record Expected(
            String chainId, String eventType, String subjectId, long occurredAt, byte[] payload) {}

    /** Decodes a topic's records and describes them as the audit job does. */
    private static final class Expectation<T extends SpecificRecord> {
        private final AuditedTopic<T> spec;
        private final AvroCodec<T> codec;

        Expectation(AuditedTopic<T> spec) {
            this.spec = spec;
            this.codec = AvroCodec.of(spec.type());
        }

        Expected of(Source s) throws AvroDecodeException {
            T record = codec.decode(s.value());
            AuditDescriber.Description d = spec.describer().describe(record);
            if (d == null) {
                return null;
            }
            return new Expected(
                    d.chainId(),
                    d.eventType(),
                    d.subjectId(),
                    d.occurredAt(),
                    codec.encode(spec.describer().forTrail(record)));
        }
    }

    private static String key(
            String chain, String type, String subject, String topic, byte[] payload) {
        return chain
                + '\u0000'
                + type
                + '\u0000'
                + subject
                + '\u0000'
                + topic
                + '\u0000'
                + sha256(payload);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
