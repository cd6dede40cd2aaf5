package dev.vigil.jobs.health;

import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.local.testing.KafkaEndpoint;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NodeHealthJobITCaseBase} against a real Kafka broker process. */
class NodeHealthJobITCase extends NodeHealthJobITCaseBase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Override
    KafkaEndpoint kafka() {
        return KAFKA;
    }
}
