package dev.vigil.local.testing;

import dev.vigil.schema.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka cluster under test (the broker process here, a container where Docker exists) and the few
 * client operations integration tests need: create topics, produce, read committed.
 */
public interface KafkaEndpoint {

    String bootstrapServers();

    /** A cluster reached with {@code settings} (a secured stack's admin, for example). */
    static KafkaEndpoint of(KafkaClientSettings settings) {
        return new KafkaEndpoint() {
            @Override
            public String bootstrapServers() {
                return settings.bootstrapServers();
            }

            @Override
            public Properties clientProperties() {
                return settings.toProperties();
            }
        };
    }

    /** Connection (and security) settings every client here starts from. */
    default Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** Admin client settings. */
    default Properties adminProperties() {
        return clientProperties();
    }

    /** Creates topics (one replica) with {@code partitions} each; unique names avoid clashes. */
    default void createTopics(int partitions, String... names) {
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1));
        }
        dev.vigil.local.kafka.TopicSetup.create(adminProperties(), topics);
    }

    /** Produces records and waits until the broker acknowledged each. */
    default void produce(Collection<ProducerRecord<byte[], byte[]>> records) {
        Properties properties = clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("produce failed", e);
        }
    }

    /**
     * Every committed record of {@code topic}, read with {@code isolation.level=read_committed}
     * from the beginning up to the end offsets at the time of the call.
     */
    default List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties properties = clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = stableEnd(clientProperties(), consumer, partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * The last stable offsets (read_committed end offsets), once they have caught up with the high
     * watermarks, or after 10 s. A transaction's commit returns before the broker has written its
     * markers to the partitions, so just after a job finishes its last transaction may not be
     * readable yet; a transaction still open (a fenced writer's) is not waited for longer.
     */
    private static Map<TopicPartition, Long> stableEnd(
            Properties client,
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        Map<TopicPartition, Long> high;
        try (KafkaConsumer<byte[], byte[]> uncommitted =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            high = uncommitted.endOffsets(partitions, Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Map<TopicPartition, Long> stable =
                    consumer.endOffsets(partitions, Duration.ofSeconds(30));
            if (stable.equals(high) || System.nanoTime() > deadline) {
                return stable;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stable;
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
