package dev.vigil.operators.audit;

import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.ThreatAlert;
import java.io.Serializable;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the audit trail records of one kind of record: its chain, event type, subject and event
 * time, or null when the record is not audited (anomaly scores below their threshold).
 */
@FunctionalInterface
public interface AuditDescriber<T extends SpecificRecord> extends Serializable {

    /**
     * Chain, event type, subject id and event time (ms) of an audited record, and the verified
     * author the record itself names (a rule acknowledgement's), or null.
     */
    record Description(
            String chainId, String eventType, String subjectId, long occurredAt, String signedBy) {

        public Description(String chainId, String eventType, String subjectId, long occurredAt) {
            this(chainId, eventType, subjectId, occurredAt, null);
        }
    }

    Description describe(T record);

    /**
     * The record as the trail stores it; the record itself unless a describer leaves out bulk that
     * another field identifies (a model's ONNX bytes, identified by their SHA-256).
     */
    default T forTrail(T record) {
        return record;
    }

    static AuditDescriber<ThreatAlert> alerts() {
        return a ->
                new Description(
                        "alerts", "ALERT", a.getAlertId(), a.getLastEventTime().toEpochMilli());
    }

    /** Anomalous scores and failure predictions above the seed's 0.8 trigger. */
    static AuditDescriber<AnomalyScore> anomalies() {
        return s ->
                s.getAnomalous()
                                || (s.getFailureProbability() != null
                                        && s.getFailureProbability() > 0.8)
                        ? new Description(
                                "anomalies",
                                s.getAnomalous() ? "ANOMALY" : "FAILURE_PREDICTED",
                                s.getNodeId() + "@" + s.getEventTime().toEpochMilli(),
                                s.getEventTime().toEpochMilli())
                        : null;
    }

    static AuditDescriber<RemediationCommand> commands() {
        return c ->
                new Description(
                        "commands",
                        c.getAttempt() == 0 ? "COMMAND_ISSUED" : "COMMAND_RETRIED",
                        c.getCommandId(),
                        c.getIssuedAt().toEpochMilli());
    }

    static AuditDescriber<RemediationResult> results() {
        return r ->
                new Description(
                        "commands",
                        "COMMAND_" + r.getStatus(),
                        r.getCommandId(),
                        r.getReportedAt().toEpochMilli());
    }

    static AuditDescriber<Approval> approvals() {
        return a ->
                new Description(
                        "commands",
                        "COMMAND_" + a.getDecision(),
                        a.getCommandId(),
                        a.getDecidedAt().toEpochMilli());
    }

    /** Model publications and retirements; the trail keeps the metadata and artifact SHA-256. */
    static AuditDescriber<ModelUpdate> models() {
        return new AuditDescriber<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public Description describe(ModelUpdate m) {
                return new Description(
                        "models",
                        "MODEL_" + m.getAction(),
                        m.getModelName() + "@" + m.getModelVersion(),
                        m.getPublishedAt().toEpochMilli());
            }

            @Override
            public ModelUpdate forTrail(ModelUpdate m) {
                ModelUpdate copy = ModelUpdate.newBuilder(m).build();
                copy.setArtifact(null);
                return copy;
            }
        };
    }

    static AuditDescriber<RuleAck> ruleAcks() {
        return a ->
                new Description(
                        "rules",
                        "RULE_" + a.getStatus(),
                        a.getRuleId() + "@" + a.getVersion(),
                        a.getAckedAt().toEpochMilli(),
                        a.getSignedBy());
    }
}
