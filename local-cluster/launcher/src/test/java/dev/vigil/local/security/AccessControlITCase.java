package dev.vigil.local.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.kafka.TopicSetup;
import dev.vigil.local.process.Ports;
import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's broker as {@code vigil up} configures it (TLS, SCRAM-SHA-512, StandardAuthorizer with
 * nothing allowed without an ACL, the principals of {@link StackPrincipals}), on a real broker
 * process: who is refused, and that each refusal is the ACL's and not a broken connection (the same
 * client succeeds where its role allows).
 */
class AccessControlITCase {

    @TempDir static Path dataDir;

    private static KafkaBroker broker;
    private static StackSecurity security;

    @BeforeAll
    static void start() {
        security = new StackSecurity(dataDir);
        int port = Ports.freePort();
        security.ensure("localhost:" + port);
        broker = new KafkaBroker(dataDir, port, Ports.freePort(), Duration.ofSeconds(90), security);
        broker.start();
        TopicSetup.createAll(broker.adminProperties());
        KafkaAccessSetup.apply(broker.adminProperties(), security);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() throws Exception {
        Properties plaintext = new Properties();
        plaintext.put("bootstrap.servers", broker.bootstrapServers());
        plaintext.put("request.timeout.ms", "3000");
        plaintext.put("default.api.timeout.ms", "6000");
        // plaintext against the TLS listener: the handshake never completes
        assertThatThrownBy(() -> listTopics(plaintext))
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        // TLS that trusts the broker, but no SASL credential
        Properties tlsOnly = new Properties();
        tlsOnly.putAll(plaintext);
        tlsOnly.put("security.protocol", "SSL");
        tlsOnly.put("ssl.truststore.location", security.trustStore().toString());
        tlsOnly.put("ssl.truststore.type", "PKCS12");
        tlsOnly.put("ssl.truststore.password", security.storePassword());
        assertThatThrownBy(() -> listTopics(tlsOnly)).isInstanceOf(Exception.class);

        // the right user with a wrong password
        Properties wrong =
                security.client(StackPrincipals.SENSOR, broker.bootstrapServers())
                        .with(
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                        + " username=\"sensor\" password=\"guessed\";")
                        .toProperties();
        wrong.put("request.timeout.ms", "3000");
        wrong.put("default.api.timeout.ms", "6000");
        assertThatThrownBy(() -> listTopics(wrong))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);

        // and the admin, for contrast, is served
        assertThat(listTopics(broker.adminProperties())).contains("telemetry", "audit");
    }

    @Test
    void aSensorWritesTelemetryAndNothingElse() throws Exception {
        KafkaClientSettings sensor = broker.client(StackPrincipals.SENSOR);
        assertThat(produce(sensor, Topic.TELEMETRY)).isNull();
        for (Topic forbidden :
                List.of(
                        Topic.RULES,
                        Topic.APPROVALS,
                        Topic.REMEDIATION_COMMANDS,
                        Topic.MODELS,
                        Topic.ALERTS,
                        Topic.AUDIT)) {
            assertThat(produce(sensor, forbidden))
                    .as(forbidden.topicName())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        for (Topic secret : List.of(Topic.AUDIT, Topic.GROUND_TRUTH, Topic.TELEMETRY)) {
            assertThat(read(sensor, secret))
                    .as(secret.topicName())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void analystsReadOutputsButWriteNothingAndReadNoRawTelemetry() throws Exception {
        KafkaClientSettings analyst = broker.client(StackPrincipals.ANALYST);
        assertThat(read(analyst, Topic.ALERTS)).isNull();
        assertThat(read(analyst, Topic.AUDIT)).isNull();
        assertThat(read(analyst, Topic.TELEMETRY)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(read(analyst, Topic.RULES)).isInstanceOf(TopicAuthorizationException.class);
        // a principal that may write no topic at all is refused an idempotent producer id
        assertThat(produce(analyst, Topic.ALERTS))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(produce(analyst, Topic.APPROVALS))
                .isInstanceOf(ClusterAuthorizationException.class);
    }

    @Test
    void onlyOperatorsPublishRulesAndOnlyApproversDecide() throws Exception {
        assertThat(produce(broker.client(StackPrincipals.OPERATOR), Topic.RULES)).isNull();
        assertThat(produce(broker.client(StackPrincipals.APPROVER), Topic.APPROVALS)).isNull();
        assertThat(produce(broker.client(StackPrincipals.OPERATOR), Topic.APPROVALS))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(broker.client(StackPrincipals.APPROVER), Topic.RULES))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(broker.client(StackPrincipals.AGENT), Topic.REMEDIATION_COMMANDS))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(broker.client(StackPrincipals.AGENT), Topic.REMEDIATION_RESULTS))
                .isNull();
        // a job writes its own outputs only: the threat job cannot forge commands
        KafkaClientSettings threat = broker.client(StackPrincipals.job("threat-detection"));
        assertThat(produce(threat, Topic.ALERTS)).isNull();
        assertThat(produce(threat, Topic.REMEDIATION_COMMANDS))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(produce(threat, Topic.AUDIT)).isInstanceOf(TopicAuthorizationException.class);
    }

    private static java.util.Set<String> listTopics(Properties properties) throws Exception {
        try (Admin admin = Admin.create(properties)) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends one record; returns the cause of the failure, or null when the broker took it. */
    private static Throwable produce(KafkaClientSettings client, Topic topic) {
        Properties p = client.toProperties();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic.topicName(), "probe".getBytes(StandardCharsets.UTF_8)))
                    .get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Reads partition 0 from the start; returns the cause of the failure, or null. */
    private static Throwable read(KafkaClientSettings client, Topic topic) {
        Properties p = client.toProperties();
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic.topicName(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ofSeconds(2));
            consumer.position(partition);
            return null;
        } catch (KafkaException e) {
            return e;
        }
    }
}
