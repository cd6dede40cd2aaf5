package dev.vigil.schema;

import java.util.Map;
import org.apache.avro.Schema;

/**
 * Every Kafka topic Vigil reads or writes: its name, value schema, default partition count and
 * settings, and the event-time field that SQL tables use as their time attribute. Topic names
 * appear nowhere else in code.
 */
public enum Topic {
    // written by edge producers: the broker stamps each record, so that event time is judged
    // against a clock no producer sets (and a replay judges it the same way)
    TELEMETRY(
            "telemetry",
            TelemetryEvent.getClassSchema(),
            4,
            "event_time",
            Map.of("message.timestamp.type", "LogAppendTime")),
    GRID_INTENSITY(
            "grid-intensity",
            GridIntensity.getClassSchema(),
            1,
            "valid_from",
            Map.of("cleanup.policy", "compact")),
    RULES("rules", RuleCommand.getClassSchema(), 1, "issued_at", Map.of()),
    RULE_ACKS("rule-acks", RuleAck.getClassSchema(), 1, "acked_at", Map.of()),
    MODELS(
            "models",
            ModelUpdate.getClassSchema(),
            1,
            "published_at",
            Map.of("max.message.bytes", String.valueOf(64 * 1024 * 1024))),
    ALERTS("alerts", ThreatAlert.getClassSchema(), 4, "last_event_time", Map.of()),
    ANOMALIES("anomalies", AnomalyScore.getClassSchema(), 4, "event_time", Map.of()),
    CARBON("carbon", CarbonReport.getClassSchema(), 4, "window_end", Map.of()),
    REMEDIATION_COMMANDS(
            "remediation-commands", RemediationCommand.getClassSchema(), 4, "issued_at", Map.of()),
    REMEDIATION_RESULTS(
            "remediation-results", RemediationResult.getClassSchema(), 4, "reported_at", Map.of()),
    APPROVALS(
            "approvals",
            Approval.getClassSchema(),
            1,
            "decided_at",
            Map.of("message.timestamp.type", "LogAppendTime")),
    AUDIT("audit", AuditEvent.getClassSchema(), 4, "occurred_at", Map.of()),
    AUDIT_CHECKPOINTS(
            "audit-checkpoints", AuditCheckpoint.getClassSchema(), 1, "created_at", Map.of()),
    DEAD_LETTERS("dead-letters", DeadLetter.getClassSchema(), 1, "source_timestamp", Map.of()),
    NODE_HEALTH("node-health", NodeHealthSummary.getClassSchema(), 4, "window_end", Map.of()),
    GROUND_TRUTH("ground-truth", GroundTruthLabel.getClassSchema(), 1, "start_time", Map.of());

    private final String topicName;
    private final Schema valueSchema;
    private final int defaultPartitions;
    private final String timeField;
    private final Map<String, String> config;

    Topic(
            String topicName,
            Schema valueSchema,
            int defaultPartitions,
            String timeField,
            Map<String, String> config) {
        this.topicName = topicName;
        this.valueSchema = valueSchema;
        this.defaultPartitions = defaultPartitions;
        this.timeField = timeField;
        this.config = config;
    }

    /** The Kafka topic name. */
    public String topicName() {
        return topicName;
    }

    /** Avro schema of the record values. */
    public Schema valueSchema() {
        return valueSchema;
    }

    /** Partitions created by {@code vigil up}; parallelism of the jobs follows them. */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** Topic-level settings beyond the broker defaults (e.g. compaction). */
    public Map<String, String> config() {
        return config;
    }

    /** The timestamp field of the value that SQL tables use for their watermark. */
    public String timeField() {
        return timeField;
    }

    /** Name of the pre-registered SQL table over this topic (e.g. {@code dead_letters}). */
    public String sqlTableName() {
        return topicName.replace('-', '_');
    }
}
