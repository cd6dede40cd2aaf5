package dev.vigil.operators.kafka;

import dev.vigil.schema.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place where Vigil configures Flink's Kafka connector, so that a connector upgrade touches
 * one file. Sources read committed records only; exactly-once sinks use pooled transactional ids
 * and a transaction timeout below the broker's default maximum (15 minutes).
 */
public final class KafkaConnections {

    /** Producer transaction timeout: below the broker's default transaction.max.timeout.ms. */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    private KafkaConnections() {}

    /**
     * A source over {@code topic} reading committed records from {@code start}; when {@code
     * bounded}, it stops at the offsets that are the latest when the job starts (a replay).
     */
    public static <T> KafkaSource<T> source(
            String bootstrapServers,
            String topic,
            String clientIdPrefix,
            OffsetsInitializer start,
            boolean bounded,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return source(
                KafkaClientSettings.plaintext(bootstrapServers),
                topic,
                clientIdPrefix,
                start,
                bounded,
                deserializer);
    }

    /**
     * A source over {@code topic} on the broker {@code kafka} names, with its client (security)
     * properties; Vigil's own settings (committed reads) are applied after them.
     */
    public static <T> KafkaSource<T> source(
            KafkaClientSettings kafka,
            String topic,
            String clientIdPrefix,
            OffsetsInitializer start,
            boolean bounded,
            KafkaRecordDeserializationSchema<T> deserializer) {
        var builder =
                KafkaSource.<T>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setProperties(kafka.toProperties())
                        .setTopics(topic)
                        .setClientIdPrefix(clientIdPrefix)
                        .setStartingOffsets(start)
                        .setDeserializer(deserializer)
                        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A sink with {@code guarantee}. Exactly-once sinks need checkpointing and a {@code
     * transactionalIdPrefix} unique per sink and job on the cluster.
     */
    public static <T> KafkaSink<T> sink(
            String bootstrapServers,
            KafkaRecordSerializationSchema<T> serializer,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return sink(
                KafkaClientSettings.plaintext(bootstrapServers),
                serializer,
                guarantee,
                transactionalIdPrefix);
    }

    /**
     * A sink on the broker {@code kafka} names, with its client (security) properties; Vigil's
     * producer settings are applied after them.
     */
    public static <T> KafkaSink<T> sink(
            KafkaClientSettings kafka,
            KafkaRecordSerializationSchema<T> serializer,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        Properties producer = kafka.toProperties();
        producer.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        producer.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(serializer)
                        .setDeliveryGuarantee(guarantee)
                        .setKafkaProducerConfig(producer);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix)
                    .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING);
        }
        return builder.build();
    }
}
