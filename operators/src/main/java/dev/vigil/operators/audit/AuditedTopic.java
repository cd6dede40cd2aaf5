package dev.vigil.operators.audit;

import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic the audit trail records: its default name, record type and {@link AuditDescriber}. The
 * audit job reads these topics; {@link AuditCompleteness} checks that each of their records has its
 * entry. The one list of what is audited.
 */
public record AuditedTopic<T extends SpecificRecord>(
        Topic topic, Class<T> type, AuditDescriber<T> describer) implements Serializable {

    /** Every audited topic, in the order the audit job reads them. */
    public static List<AuditedTopic<?>> all() {
        return List.of(
                new AuditedTopic<>(Topic.ALERTS, ThreatAlert.class, AuditDescriber.alerts()),
                new AuditedTopic<>(Topic.ANOMALIES, AnomalyScore.class, AuditDescriber.anomalies()),
                new AuditedTopic<>(
                        Topic.REMEDIATION_COMMANDS,
                        RemediationCommand.class,
                        AuditDescriber.commands()),
                new AuditedTopic<>(
                        Topic.REMEDIATION_RESULTS,
                        RemediationResult.class,
                        AuditDescriber.results()),
                new AuditedTopic<>(Topic.APPROVALS, Approval.class, AuditDescriber.approvals()),
                new AuditedTopic<>(Topic.RULE_ACKS, RuleAck.class, AuditDescriber.ruleAcks()),
                new AuditedTopic<>(Topic.MODELS, ModelUpdate.class, AuditDescriber.models()));
    }
}
