package dev.vigil.operators.threat.engine;

import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.RejectReason;
import dev.vigil.operators.ingest.Rejection;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.util.OptionalLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads the {@code rules} topic: decodable commands go on to be applied (and acknowledged);
 * anything else becomes a dead letter, since an unreadable command cannot even be acknowledged.
 */
public final class RuleCommandDeserializationSchema
        implements KafkaRecordDeserializationSchema<IngestedRuleCommand> {

    private static final long serialVersionUID = 1L;

    private final DeadLetterFactory deadLetters;
    private transient AvroCodec<RuleCommand> codec;

    public RuleCommandDeserializationSchema(DeadLetterFactory deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<IngestedRuleCommand> out) {
        if (codec == null) {
            codec = AvroCodec.of(RuleCommand.class);
        }
        if (record.value() == null || record.value().length == 0) {
            out.collect(
                    IngestedRuleCommand.rejected(
                            deadLetters.of(
                                    record,
                                    new Rejection(
                                            RejectReason.EMPTY_VALUE, "the record has no value"))));
            return;
        }
        try {
            Header header = record.headers().lastHeader(VigilHeaders.SCHEMA_FINGERPRINT);
            OptionalLong fingerprint =
                    header == null
                            ? OptionalLong.empty()
                            : SchemaFingerprint.fromBytes(header.value());
            out.collect(IngestedRuleCommand.of(codec.decode(record.value(), fingerprint)));
        } catch (AvroDecodeException e) {
            out.collect(
                    IngestedRuleCommand.rejected(
                            deadLetters.of(
                                    record,
                                    new Rejection(
                                            RejectReason.valueOf(e.failure().name()),
                                            e.getMessage()))));
        }
    }

    @Override
    public TypeInformation<IngestedRuleCommand> getProducedType() {
        return TypeInformation.of(IngestedRuleCommand.class);
    }
}
