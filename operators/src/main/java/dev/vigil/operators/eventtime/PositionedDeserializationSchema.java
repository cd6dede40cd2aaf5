package dev.vigil.operators.eventtime;

import dev.vigil.operators.ProcessingClock;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps a Kafka deserializer so that every record it produces carries its partition and reference
 * time ({@link Positioned}), for the {@link EventTimeClock} behind the source.
 */
public final class PositionedDeserializationSchema<T>
        implements KafkaRecordDeserializationSchema<Positioned<T>> {

    private static final long serialVersionUID = 1L;

    private final KafkaRecordDeserializationSchema<T> inner;
    private final ProcessingClock clock;

    public PositionedDeserializationSchema(KafkaRecordDeserializationSchema<T> inner) {
        this(inner, ProcessingClock.SYSTEM);
    }

    public PositionedDeserializationSchema(
            KafkaRecordDeserializationSchema<T> inner, ProcessingClock clock) {
        this.inner = inner;
        this.clock = clock;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        inner.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Positioned<T>> out)
            throws IOException {
        long reference =
                EventTimes.referenceTime(
                        record.timestamp(), record.timestampType(), clock.getAsLong());
        inner.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(T value) {
                        out.collect(
                                new Positioned<>(
                                        value, record.partition(), record.offset(), reference));
                    }

                    @Override
                    public void close() {}
                });
    }

    @Override
    public TypeInformation<Positioned<T>> getProducedType() {
        return Positioned.typeInfo(inner.getProducedType());
    }
}
