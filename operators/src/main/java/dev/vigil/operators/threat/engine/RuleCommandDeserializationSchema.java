package dev.vigil.operators.threat.engine;

import dev.vigil.operators.ingest.ControlRecordDecoder;
import dev.vigil.operators.ingest.ControlSignatures;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.RuleCommand;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the {@code rules} topic: decodable commands go on to be applied (and acknowledged);
 * anything else becomes a dead letter, since an unreadable command cannot even be acknowledged.
 */
public final class RuleCommandDeserializationSchema
        implements KafkaRecordDeserializationSchema<IngestedRuleCommand> {

    private static final long serialVersionUID = 1L;

    private final ControlRecordDecoder<RuleCommand> decoder;

    public RuleCommandDeserializationSchema(DeadLetterFactory deadLetters) {
        this(deadLetters, null);
    }

    /**
     * @param trustedAuthors the trust store of authors' keys; when not null, only commands signed
     *     by an author who may sign {@code rules} are applied, the others are dead letters naming
     *     why, and {@code issued_by} becomes the verified signer
     */
    public RuleCommandDeserializationSchema(DeadLetterFactory deadLetters, String trustedAuthors) {
        this.decoder =
                new ControlRecordDecoder<>(RuleCommand.class, deadLetters)
                        .withSignatures(ControlSignatures.rules(trustedAuthors));
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<IngestedRuleCommand> out) {
        RuleCommand command =
                decoder.decode(record, d -> out.collect(IngestedRuleCommand.rejected(d)));
        if (command != null) {
            out.collect(IngestedRuleCommand.of(command));
        }
    }

    @Override
    public TypeInformation<IngestedRuleCommand> getProducedType() {
        return TypeInformation.of(IngestedRuleCommand.class);
    }
}
