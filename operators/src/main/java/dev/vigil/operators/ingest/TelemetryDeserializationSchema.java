package dev.vigil.operators.ingest;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka source deserializer for the telemetry topic: every record becomes an {@link
 * IngestedTelemetry}, valid or dead letter; none is dropped and none fails the source.
 */
public final class TelemetryDeserializationSchema
        implements KafkaRecordDeserializationSchema<IngestedTelemetry> {

    private static final long serialVersionUID = 1L;

    private final TelemetryValidator validator;
    private final DeadLetterFactory deadLetters;
    private transient TelemetryDecoder decoder;

    public TelemetryDeserializationSchema(
            TelemetryValidator validator, DeadLetterFactory deadLetters) {
        this.validator = validator;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = new TelemetryDecoder(validator, deadLetters);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<IngestedTelemetry> out) {
        if (decoder == null) {
            decoder = new TelemetryDecoder(validator, deadLetters);
        }
        out.collect(decoder.decode(record));
    }

    @Override
    public TypeInformation<IngestedTelemetry> getProducedType() {
        return TypeInformation.of(IngestedTelemetry.class);
    }
}
