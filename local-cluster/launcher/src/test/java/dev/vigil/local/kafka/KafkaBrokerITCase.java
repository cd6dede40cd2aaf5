package dev.vigil.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.schema.Topic;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker launcher against a real broker process: start, topics, transactions, restart, stop.
 */
class KafkaBrokerITCase {

    @TempDir Path dataDir;

    @Test
    void startsCreatesTopicsServesTransactionsAndStopsWithoutTrace() throws Exception {
        KafkaBroker broker = KafkaBroker.onFreePorts(dataDir);
        ManagedProcess process = broker.start();
        try {
            assertThat(TopicSetup.createAll(broker.adminProperties()))
                    .hasSize(Topic.values().length);
            assertThat(TopicSetup.createAll(broker.adminProperties())).isEmpty();
            assertCompacted(broker, Topic.GRID_INTENSITY.topicName());
            assertThat(partitions(broker, Topic.TELEMETRY.topicName())).isEqualTo(4);

            produceOneCommittedAndOneAborted(broker);
            var endpoint = (dev.vigil.local.testing.KafkaEndpoint) broker::bootstrapServers;
            var records = endpoint.readCommitted(Topic.RULES.topicName());
            assertThat(records)
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("committed");
            assertThat(broker.running()).map(ManagedProcess::pid).hasValue(process.pid());
        } finally {
            broker.stop();
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(Ports.isListening(broker.port())).isFalse();
        assertThat(broker.running()).isEmpty();
    }

    @Test
    void refusesATakenPortWithAMessageThatSaysWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            KafkaBroker broker =
                    new KafkaBroker(
                            dataDir, taken.getLocalPort(), Ports.freePort(), Duration.ofSeconds(5));

            assertThatThrownBy(broker::start)
                    .isInstanceOf(LaunchException.class)
                    .hasMessageStartingWith(
                            "port "
                                    + taken.getLocalPort()
                                    + ", needed by the Kafka broker, is already in use")
                    .hasMessageContaining("--kafka-port");
        }
    }

    private static void produceOneCommittedAndOneAborted(KafkaBroker broker) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record("committed"));
            producer.commitTransaction();
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>(
                Topic.RULES.topicName(),
                "k".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertCompacted(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(broker.adminProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(resource).get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static int partitions(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(broker.adminProperties())) {
            return admin.describeTopics(Set.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        }
    }
}
