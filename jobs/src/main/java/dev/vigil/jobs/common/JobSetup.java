package dev.vigil.jobs.common;

import static dev.vigil.jobs.common.CommonJobOptions.*;

import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.eventtime.PositionedDeserializationSchema;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryDeserializationSchema;
import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.operators.kafka.AvroRecordSerializer;
import dev.vigil.operators.kafka.KafkaConnections;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.identity.NodeIdentity;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.state.CheckpointSettings;
import dev.vigil.state.StatePreset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.LoggerFactory;

/**
 * The parts every job main wires the same way: checkpointing, the telemetry source, Kafka sinks.
 */
public final class JobSetup {

    private final Configuration options;
    private final String jobName;

    /**
     * @param jobName short job name, e.g. {@code node-health}; prefixes transactional ids
     */
    public JobSetup(Configuration options, String jobName) {
        this.options = options;
        this.jobName = jobName;
    }

    public Configuration options() {
        return options;
    }

    /** The broker and client properties every source and sink of the job uses. */
    public KafkaClientSettings kafka() {
        return kafkaSettings(options);
    }

    /**
     * The Kafka settings of parsed job options: {@code --bootstrap.servers}, the {@code
     * --kafka.properties} file and {@code --kafka.<key>} pass-through options.
     */
    public static KafkaClientSettings kafkaSettings(Configuration options) {
        String file = options.get(KAFKA_PROPERTIES);
        return KafkaClientSettings.of(
                options.get(BOOTSTRAP_SERVERS),
                file == null ? null : Path.of(file),
                KafkaClientSettings.passThrough(options.toMap()));
    }

    /** Checkpointing, state backend, restarts and parallelism. */
    public void configure(StreamExecutionEnvironment env) {
        String dir = options.get(CHECKPOINT_DIR);
        CheckpointSettings checkpoints =
                new CheckpointSettings(
                        StatePreset.parse(options.get(STATE_PRESET)),
                        options.get(CHECKPOINT_INTERVAL),
                        dir == null ? null : URI.create(dir),
                        options.get(RESTART_ATTEMPTS),
                        Duration.ofSeconds(5));
        Configuration config = checkpoints.applyTo(new Configuration());
        config.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, options.get(WATERMARK_INTERVAL));
        env.configure(config);
        env.setParallelism(options.get(PARALLELISM));
    }

    /**
     * The trust store of control records' authors ({@code --control.trusted-authors}), checked to
     * be readable now; null when unset, which the job logs as a warning.
     */
    public String trustedAuthors() {
        String dir = options.get(TRUSTED_AUTHORS);
        if (dir == null) {
            LoggerFactory.getLogger(JobSetup.class)
                    .warn(
                            "--{} is not set: rule commands, model updates and approvals are"
                                    + " applied without checking who signed them",
                            TRUSTED_AUTHORS.key());
            return null;
        }
        try {
            dev.vigil.audit.TrustedAuthors.in(Path.of(dir));
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "option --" + TRUSTED_AUTHORS.key() + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** The fleet's node identity when {@code --ingest.node-keys} names a fleet key, else null. */
    private NodeIdentity nodeIdentity() {
        String file = options.get(NODE_KEYS);
        if (file == null) {
            return null;
        }
        try {
            return NodeIdentity.read(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "option --" + NODE_KEYS.key() + ": " + e.getMessage(), e);
        }
    }

    /** The telemetry source: every record decoded and validated, or a dead letter. */
    public KafkaSource<IngestedTelemetry> telemetrySource() {
        int maxBytes = options.get(MAX_RECORD_BYTES);
        if (maxBytes < 1) {
            throw new IllegalArgumentException(
                    "option --" + MAX_RECORD_BYTES.key() + " must be >= 1, was " + maxBytes);
        }
        return source(
                options.get(TELEMETRY_TOPIC),
                new TelemetryDeserializationSchema(
                        new TelemetryValidator(options.get(MAX_FUTURE_SKEW)),
                        new DeadLetterFactory(jobName),
                        maxBytes,
                        nodeIdentity()));
    }

    /** Out-of-orderness, idleness and deduplication horizon, validated. */
    public EventTimeSettings eventTime() {
        return new EventTimeSettings(
                options.get(OUT_OF_ORDERNESS), options.get(IDLENESS), options.get(DEDUP_HORIZON));
    }

    /**
     * A source over {@code topic} whose records carry their partition and reference time, for an
     * {@link EventTimeInput}.
     */
    public <T> KafkaSource<Positioned<T>> positionedSource(
            String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        return source(topic, new PositionedDeserializationSchema<>(deserializer));
    }

    /** A source over {@code topic} honouring the starting-offset and bounded options. */
    public <T> KafkaSource<T> source(
            String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaConnections.source(
                kafka(),
                topic,
                "vigil-" + jobName + "-" + topic,
                startingOffsets(options.get(STARTING_OFFSETS)),
                options.get(BOUNDED),
                deserializer);
    }

    /**
     * A sink of Avro records to {@code topic}; {@code name} distinguishes the sink's transactional
     * ids.
     */
    public <T extends SpecificRecord> KafkaSink<T> sink(
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            SerializableFunction<T, Long> timestamp,
            String name) {
        return sink(new AvroRecordSerializer<>(topic, type, key, timestamp), name);
    }

    /**
     * A sink with {@code serializer}, honouring the delivery option; {@code name} distinguishes the
     * sink's transactional ids.
     */
    public <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, String name) {
        return KafkaConnections.sink(
                kafka(),
                serializer,
                delivery(options.get(DELIVERY)),
                transactionalIdPrefix() + "-" + name);
    }

    /** The dead-letter sink. */
    public KafkaSink<DeadLetter> deadLetterSink() {
        return sink(
                options.get(DEAD_LETTER_TOPIC),
                DeadLetter.class,
                DeadLetter::getSourceTopic,
                d -> d.getSourceTimestamp().toEpochMilli(),
                "dead-letters");
    }

    private String transactionalIdPrefix() {
        return options.getOptional(TRANSACTIONAL_ID_PREFIX).orElse("vigil-" + jobName);
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
