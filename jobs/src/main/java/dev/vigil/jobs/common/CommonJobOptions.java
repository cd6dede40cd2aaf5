package dev.vigil.jobs.common;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Options every Vigil job takes; jobs/README.md lists them with examples. */
public final class CommonJobOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            key("bootstrap.servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers, e.g. localhost:9092.");

    public static final ConfigOption<String> KAFKA_PROPERTIES =
            key(KafkaClientSettings.PROPERTIES_FILE_OPTION)
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka client properties file (security.protocol, ssl.*, sasl.*) for"
                                    + " every source and sink; --kafka.<key> <value> options"
                                    + " override single properties.");

    public static final ConfigOption<String> TELEMETRY_TOPIC =
            key("topic.telemetry")
                    .stringType()
                    .defaultValue(Topic.TELEMETRY.topicName())
                    .withDescription("Topic the telemetry is read from.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            key("topic.dead-letters")
                    .stringType()
                    .defaultValue(Topic.DEAD_LETTERS.topicName())
                    .withDescription("Topic rejected and late records are written to.");

    public static final ConfigOption<String> STARTING_OFFSETS =
            key("source.starting-offsets")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "Where a fresh start reads from: earliest or latest. A restore from a"
                                    + " checkpoint continues where it left off.");

    public static final ConfigOption<Boolean> BOUNDED =
            key("source.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the offsets that are the latest at start (a replay), then"
                                    + " finish.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Bounded out-of-orderness of the event-time watermark.");

    public static final ConfigOption<Duration> IDLENESS =
            key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A partition without records for this long stops holding the watermark"
                                    + " back; once a whole input is idle, its out-of-orderness"
                                    + " bound is released so that waiting work completes; 0"
                                    + " disables.");

    public static final ConfigOption<Duration> DEDUP_HORIZON =
            key("ingest.dedup-horizon")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long (in event time) telemetry event ids are remembered to drop"
                                    + " resent copies; no job accepts an event further than this"
                                    + " behind its partition watermark.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            key("ingest.max-record-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription(
                            "Largest telemetry record value accepted; larger ones are"
                                    + " RECORD_TOO_LARGE dead letters.");

    public static final ConfigOption<String> NODE_KEYS =
            key("ingest.node-keys")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Fleet key file (Base64): every telemetry record must carry the"
                                    + " vigil.node.mac header of the node it names, or it becomes"
                                    + " an UNAUTHENTICATED or NODE_IDENTITY_MISMATCH dead letter;"
                                    + " unset, node identity is not checked.");

    /**
     * The key store password as a file (a mounted secret), for the jobs that sign; not in {@link
     * #ALL}: only the audit and remediation jobs take it.
     */
    public static final ConfigOption<String> KEYSTORE_PASSWORD_FILE =
            key("keystore.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File on the TaskManagers that holds the key store password (e.g. a"
                                    + " mounted Kubernetes secret); unset, the password comes from"
                                    + " VIGIL_KEYSTORE_PASSWORD in the TaskManagers' environment.");

    public static final ConfigOption<String> TRUSTED_AUTHORS =
            key("control.trusted-authors")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Trust store directory of authors' public keys (*.author files and"
                                    + " a revoked file): rule commands, model updates and"
                                    + " approvals must carry a signature of an author allowed to"
                                    + " sign them, or become UNSIGNED, UNKNOWN_SIGNER,"
                                    + " REVOKED_SIGNER, BAD_SIGNATURE, SIGNER_NOT_AUTHORIZED or"
                                    + " SIGNER_OUTSIDE_VALIDITY dead letters; unset, control"
                                    + " records are not checked (the job logs a warning).");

    public static final ConfigOption<Duration> WATERMARK_INTERVAL =
            key("watermark.interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "How often periodic watermark generators run (idleness detection,"
                                    + " control streams); telemetry watermarks rise with each"
                                    + " event.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            key("validation.max-future-skew")
                    .durationType()
                    .defaultValue(TelemetryValidator.DEFAULT_MAX_FUTURE_SKEW)
                    .withDescription(
                            "How far an event time may lie ahead of its reference time (the Kafka"
                                    + " record timestamp, LogAppendTime on Vigil's topics, capped"
                                    + " by the reader's clock).");

    public static final ConfigOption<String> DELIVERY =
            key("sink.delivery")
                    .stringType()
                    .defaultValue("exactly-once")
                    .withDescription("exactly-once (transactional) or at-least-once.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            key("sink.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the sinks' transactional ids, unique per job on a Kafka"
                                    + " cluster; default vigil-<job>.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Checkpoint interval; exactly-once output becomes visible at this"
                                    + " pace.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            key("checkpoint.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Checkpoint directory URI; defaults to the cluster's"
                                    + " execution.checkpointing.dir.");

    public static final ConfigOption<String> STATE_PRESET =
            key("state.preset")
                    .stringType()
                    .defaultValue("hashmap")
                    .withDescription("hashmap or rocksdb-incremental.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            key("restart.attempts")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Restarts (5 s apart) before the job fails for good.");

    public static final ConfigOption<Integer> PARALLELISM =
            key("parallelism")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Parallelism of every operator.");

    /** The common options, for {@link JobArguments#parse}. */
    public static final List<ConfigOption<?>> ALL =
            List.of(
                    BOOTSTRAP_SERVERS,
                    KAFKA_PROPERTIES,
                    TELEMETRY_TOPIC,
                    DEAD_LETTER_TOPIC,
                    STARTING_OFFSETS,
                    BOUNDED,
                    OUT_OF_ORDERNESS,
                    IDLENESS,
                    DEDUP_HORIZON,
                    MAX_RECORD_BYTES,
                    NODE_KEYS,
                    TRUSTED_AUTHORS,
                    WATERMARK_INTERVAL,
                    MAX_FUTURE_SKEW,
                    DELIVERY,
                    TRANSACTIONAL_ID_PREFIX,
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_DIR,
                    STATE_PRESET,
                    RESTART_ATTEMPTS,
                    PARALLELISM);

    private CommonJobOptions() {}

    /** The common options followed by a job's own. */
    public static List<ConfigOption<?>> with(List<ConfigOption<?>> own) {
        List<ConfigOption<?>> all = new java.util.ArrayList<>(ALL);
        all.addAll(own);
        return List.copyOf(all);
    }
}
