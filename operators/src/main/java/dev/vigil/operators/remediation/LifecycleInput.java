package dev.vigil.operators.remediation;

import dev.vigil.schema.Approval;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.avro.AvroCodec;

/**
 * One input of a command's lifecycle, keyed by command id: the planned command (its Avro bytes), an
 * approval decision, or an edge agent's report. A Flink POJO.
 */
public class LifecycleInput {
    public static final String COMMAND = "COMMAND";
    public static final String APPROVAL = "APPROVAL";
    public static final String REPORT = "REPORT";

    private static final ThreadLocal<AvroCodec<RemediationCommand>> COMMANDS =
            ThreadLocal.withInitial(() -> AvroCodec.of(RemediationCommand.class));
    private static final ThreadLocal<AvroCodec<Approval>> APPROVALS =
            ThreadLocal.withInitial(() -> AvroCodec.of(Approval.class));
    private static final ThreadLocal<AvroCodec<RemediationResult>> RESULTS =
            ThreadLocal.withInitial(() -> AvroCodec.of(RemediationResult.class));

    public String kind;
    public String commandId;
    public long time;

    /** The planned command (COMMAND). */
    public byte[] command;

    /** APPROVED / REJECTED (APPROVAL), or the agent's status (REPORT). */
    public String status;

    public String by;
    public int attempt;

    /** Where an approval or report was read, and its Avro bytes, for a dead letter. */
    public String sourceTopic;

    public int sourcePartition = -1;
    public long sourceOffset = -1;
    public byte[] payload;

    public LifecycleInput() {}

    public static LifecycleInput of(RemediationCommand c) {
        LifecycleInput in = new LifecycleInput();
        in.kind = COMMAND;
        in.commandId = c.getCommandId();
        in.time = c.getIssuedAt().toEpochMilli();
        in.command = COMMANDS.get().encode(c);
        return in;
    }

    /** An approval read from {@code topic} at {@code partition}/{@code offset}. */
    public static LifecycleInput of(Approval a, String topic, int partition, long offset) {
        LifecycleInput in = of(a);
        in.sourceTopic = topic;
        in.sourcePartition = partition;
        in.sourceOffset = offset;
        in.payload = APPROVALS.get().encode(a);
        return in;
    }

    /** A report read from {@code topic} at {@code partition}/{@code offset}. */
    public static LifecycleInput of(RemediationResult r, String topic, int partition, long offset) {
        LifecycleInput in = of(r);
        in.sourceTopic = topic;
        in.sourcePartition = partition;
        in.sourceOffset = offset;
        in.payload = RESULTS.get().encode(r);
        return in;
    }

    /** The fingerprint of the payload's schema. */
    public long payloadFingerprint() {
        return APPROVAL.equals(kind) ? APPROVALS.get().fingerprint() : RESULTS.get().fingerprint();
    }

    public static LifecycleInput of(Approval a) {
        LifecycleInput in = new LifecycleInput();
        in.kind = APPROVAL;
        in.commandId = a.getCommandId();
        in.time = a.getDecidedAt().toEpochMilli();
        in.status = a.getDecision();
        in.by = a.getApprover();
        return in;
    }

    public static LifecycleInput of(RemediationResult r) {
        LifecycleInput in = new LifecycleInput();
        in.kind = REPORT;
        in.commandId = r.getCommandId();
        in.time = r.getReportedAt().toEpochMilli();
        in.status = r.getStatus();
        in.by = r.getNodeId();
        in.attempt = r.getAttempt();
        return in;
    }
}
