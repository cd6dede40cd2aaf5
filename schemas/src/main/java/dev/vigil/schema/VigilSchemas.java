package dev.vigil.schema;

import java.util.List;
import org.apache.avro.Schema;

/** Every record type of Vigil's public contract, in one list. */
public final class VigilSchemas {

    /** Top-level record schemas, one per topic value type. */
    public static final List<Schema> ALL =
            List.of(
                    TelemetryEvent.getClassSchema(),
                    GridIntensity.getClassSchema(),
                    RuleCommand.getClassSchema(),
                    RuleAck.getClassSchema(),
                    ModelUpdate.getClassSchema(),
                    ThreatAlert.getClassSchema(),
                    AnomalyScore.getClassSchema(),
                    CarbonReport.getClassSchema(),
                    RemediationCommand.getClassSchema(),
                    RemediationResult.getClassSchema(),
                    Approval.getClassSchema(),
                    AuditEvent.getClassSchema(),
                    AuditCheckpoint.getClassSchema(),
                    DeadLetter.getClassSchema(),
                    NodeHealthSummary.getClassSchema(),
                    GroundTruthLabel.getClassSchema());

    private VigilSchemas() {}
}
