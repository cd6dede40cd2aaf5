package dev.vigil.jobs.health;

import dev.vigil.local.testing.KafkaEndpoint;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link NodeHealthJobITCaseBase} against a containerised Kafka. Runs where a Docker engine is
 * available and is reported as skipped where none is (as on the project's CI machines).
 */
@Testcontainers(disabledWithoutDocker = true)
class NodeHealthJobContainerITCase extends NodeHealthJobITCaseBase {

    @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @Override
    KafkaEndpoint kafka() {
        return KAFKA::getBootstrapServers;
    }
}
