package dev.vigil.jobs.health;

import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.local.testing.KafkaEndpoint;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NodeHealthJobITCaseBase} against a real Kafka broker process. */
class NodeHealthJobITCase extends NodeHealthJobITCaseBase {

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Override
    KafkaEndpoint kafka() {
        return KAFKA;
    }
}
