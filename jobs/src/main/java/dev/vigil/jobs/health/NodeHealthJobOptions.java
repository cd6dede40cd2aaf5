package dev.vigil.jobs.health;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options of the node-health job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class NodeHealthJobOptions {

    public static final ConfigOption<String> HEALTH_TOPIC =
            key("topic.node-health")
                    .stringType()
                    .defaultValue(Topic.NODE_HEALTH.topicName())
                    .withDescription("Topic the per-node summaries are written to.");

    public static final ConfigOption<Duration> WINDOW_SIZE =
            key("window.size")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Length of the tumbling event-time windows.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            key("window.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How long after a window closed late events still revise it; later ones"
                                    + " become LATE_EVENT dead letters.");

    /** Every option the job accepts. */
    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(List.of(HEALTH_TOPIC, WINDOW_SIZE, ALLOWED_LATENESS));

    private NodeHealthJobOptions() {}
}
