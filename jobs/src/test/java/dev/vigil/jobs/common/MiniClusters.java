package dev.vigil.jobs.common;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The Flink MiniCluster the job integration tests run on. */
public final class MiniClusters {

    private MiniClusters() {}

    /** One TaskManager with two slots, for {@code @RegisterExtension static final} fields. */
    public static MiniClusterExtension twoSlots() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
