package dev.vigil.operators.ingest;

import dev.vigil.schema.identity.NodeIdentity;
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
    private final int maxRecordBytes;
    private final NodeIdentity identity;
    private transient TelemetryDecoder decoder;

    public TelemetryDeserializationSchema(
            TelemetryValidator validator, DeadLetterFactory deadLetters) {
        this(validator, deadLetters, TelemetryDecoder.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param maxRecordBytes largest value accepted, larger ones are dead letters
     */
    public TelemetryDeserializationSchema(
            TelemetryValidator validator, DeadLetterFactory deadLetters, int maxRecordBytes) {
        this(validator, deadLetters, maxRecordBytes, null);
    }

    /**
     * @param identity when not null, every record must carry its node's MAC (see {@link
     *     TelemetryDecoder})
     */
    public TelemetryDeserializationSchema(
            TelemetryValidator validator,
            DeadLetterFactory deadLetters,
            int maxRecordBytes,
            NodeIdentity identity) {
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.maxRecordBytes = maxRecordBytes;
        this.identity = identity;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = newDecoder();
    }

    private TelemetryDecoder newDecoder() {
        return new TelemetryDecoder(
                validator,
                deadLetters,
                maxRecordBytes,
                dev.vigil.operators.ProcessingClock.SYSTEM,
                identity);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<IngestedTelemetry> out) {
        if (decoder == null) {
            decoder = newDecoder();
        }
        out.collect(decoder.decode(record));
    }

    @Override
    public TypeInformation<IngestedTelemetry> getProducedType() {
        return TypeInformation.of(IngestedTelemetry.class);
    }
}
