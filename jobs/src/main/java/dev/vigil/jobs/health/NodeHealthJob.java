package dev.vigil.jobs.health;

import static dev.vigil.jobs.health.NodeHealthJobOptions.*;

import dev.vigil.jobs.common.JobArguments;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryDeserializationSchema;
import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.operators.kafka.AvroRecordSerializer;
import dev.vigil.operators.kafka.KafkaConnections;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.state.CheckpointSettings;
import dev.vigil.state.StatePreset;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the node-health job: Kafka in, Kafka out, exactly-once. Options are listed in
 * {@link NodeHealthJobOptions} and jobs/README.md.
 */
public final class NodeHealthJob {

    private NodeHealthJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options = JobArguments.parse(args, ALL, List.of(BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + NodeHealthPipeline.JOB_NAME);
    }

    /**
     * Applies {@code options} to {@code env} and adds the job's Kafka sources, operators and sinks.
     */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        String dir = options.get(CHECKPOINT_DIR);
        CheckpointSettings checkpoints =
                new CheckpointSettings(
                        StatePreset.parse(options.get(STATE_PRESET)),
                        options.get(CHECKPOINT_INTERVAL),
                        dir == null ? null : URI.create(dir),
                        options.get(RESTART_ATTEMPTS),
                        Duration.ofSeconds(5));
        env.configure(checkpoints.applyTo(new Configuration()));
        env.setParallelism(options.get(PARALLELISM));

        String bootstrap = options.get(BOOTSTRAP_SERVERS);
        DeliveryGuarantee guarantee = delivery(options.get(DELIVERY));
        String prefix = options.get(TRANSACTIONAL_ID_PREFIX);

        KafkaSource<IngestedTelemetry> source =
                KafkaConnections.source(
                        bootstrap,
                        options.get(TELEMETRY_TOPIC),
                        prefix + "-source",
                        startingOffsets(options.get(STARTING_OFFSETS)),
                        options.get(BOUNDED),
                        new TelemetryDeserializationSchema(
                                new TelemetryValidator(options.get(MAX_FUTURE_SKEW)),
                                new DeadLetterFactory(NodeHealthPipeline.JOB_NAME)));
        KafkaSink<NodeHealthSummary> health =
                KafkaConnections.sink(
                        bootstrap,
                        new AvroRecordSerializer<>(
                                options.get(HEALTH_TOPIC),
                                NodeHealthSummary.class,
                                NodeHealthSummary::getNodeId,
                                s -> s.getWindowEnd().toEpochMilli() - 1),
                        guarantee,
                        prefix + "-health");
        KafkaSink<DeadLetter> deadLetters =
                KafkaConnections.sink(
                        bootstrap,
                        new AvroRecordSerializer<>(
                                options.get(DEAD_LETTER_TOPIC),
                                DeadLetter.class,
                                DeadLetter::getSourceTopic,
                                d -> d.getSourceTimestamp().toEpochMilli()),
                        guarantee,
                        prefix + "-dead-letters");

        new NodeHealthPipeline(
                        options.get(TELEMETRY_TOPIC),
                        options.get(WINDOW_SIZE),
                        options.get(ALLOWED_LATENESS),
                        options.get(OUT_OF_ORDERNESS),
                        options.get(IDLENESS))
                .build(env, source, health, deadLetters);
    }

    private static DeliveryGuarantee delivery(String value) {
        switch (value) {
            case "exactly-once":
                return DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once":
                return DeliveryGuarantee.AT_LEAST_ONCE;
            default:
                throw new IllegalArgumentException(
                        "option --"
                                + DELIVERY.key()
                                + " must be exactly-once or at-least-once, was '"
                                + value
                                + "'");
        }
    }

    private static OffsetsInitializer startingOffsets(String value) {
        switch (value) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                throw new IllegalArgumentException(
                        "option --"
                                + STARTING_OFFSETS.key()
                                + " must be earliest or latest, was '"
                                + value
                                + "'");
        }
    }
}
