package dev.vigil.jobs.inference;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options of the node-inference job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class NodeInferenceJobOptions {

    public static final ConfigOption<String> MODELS_TOPIC =
            key("topic.models")
                    .stringType()
                    .defaultValue(Topic.MODELS.topicName())
                    .withDescription("Topic of model updates (PUBLISH, RETIRE, shadow).");

    public static final ConfigOption<String> ANOMALIES_TOPIC =
            key("topic.anomalies")
                    .stringType()
                    .defaultValue(Topic.ANOMALIES.topicName())
                    .withDescription("Topic the per-node scores are written to.");

    public static final ConfigOption<Duration> INTERVAL =
            key("inference.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Least event time between two scores of one node (a node samples its"
                                    + " metrics every second).");

    public static final ConfigOption<Duration> WARM_UP =
            key("inference.warm-up")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Event time a node's feature window must span before the node is"
                                    + " scored: the models are trained on 15 minutes of history.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            key("inference.batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Feature vectors scored together in one model call at most.");

    public static final ConfigOption<Duration> MAX_DELAY =
            key("inference.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(50))
                    .withDescription(
                            "Longest a feature vector waits for its batch to fill (processing"
                                    + " time); batches are also flushed before watermarks and"
                                    + " checkpoints.");

    public static final ConfigOption<Boolean> CALIBRATION =
            key("inference.calibration")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Judge each node's scores against its own recent scores as well as the"
                                    + " model's threshold (a fleet unlike the training data starts"
                                    + " quiet); false: the model's threshold alone.");

    public static final ConfigOption<Boolean> BUILT_IN_MODELS =
            key("models.builtin")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Serve the models built into Vigil until the models topic publishes"
                                    + " others; when false, scores are fallbacks until then.");

    /** Every option the job accepts. */
    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(
                    List.of(
                            MODELS_TOPIC,
                            ANOMALIES_TOPIC,
                            INTERVAL,
                            WARM_UP,
                            BATCH_SIZE,
                            MAX_DELAY,
                            CALIBRATION,
                            BUILT_IN_MODELS));

    private NodeInferenceJobOptions() {}
}
