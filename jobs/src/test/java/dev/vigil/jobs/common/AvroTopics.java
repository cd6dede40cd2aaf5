package dev.vigil.jobs.common;

import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.schema.avro.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads Vigil's Avro records back from a topic, as a {@code read_committed} consumer sees them. */
public final class AvroTopics {

    private AvroTopics() {}

    /** Every committed record of {@code topic}, decoded. */
    public static <T extends SpecificRecord> List<T> read(
            KafkaEndpoint kafka, String topic, Class<T> type) throws Exception {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            out.add(codec.decode(record.value()));
        }
        return out;
    }

    /** The first committed record of {@code topic} that {@code wanted} accepts, within 60 s. */
    public static <T extends SpecificRecord> T await(
            KafkaEndpoint kafka, String topic, Class<T> type, Predicate<T> wanted)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (T record : read(kafka, topic, type)) {
                if (wanted.test(record)) {
                    return record;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no matching record on " + topic + " within 60 s");
    }
}
