package dev.vigil.operators.remediation;

import dev.vigil.operators.ingest.ControlLimits;
import dev.vigil.operators.ingest.RejectReason;
import dev.vigil.operators.ingest.Rejection;
import dev.vigil.schema.Approval;
import dev.vigil.schema.RemediationResult;
import java.util.regex.Pattern;

/**
 * Bounds on the two inputs of a command's lifecycle that come from outside the job — approvals
 * (people) and agents' reports (edge nodes) — checked as they are read: a record outside them is a
 * dead letter naming the field, never state or a timer.
 */
public final class RemediationInputLimits {

    /** Command ids as {@link RemediationPlanner#commandId} makes them. */
    public static final Pattern COMMAND_ID = Pattern.compile("cmd-[0-9a-f]{32}");

    /** Highest attempt a report may name (the first send is 0). */
    public static final int MAX_ATTEMPT = CommandLifecycleFunction.MAX_RETRIES;

    private RemediationInputLimits() {}

    /** Why {@code a} is rejected, or null. */
    public static Rejection approval(Approval a, long referenceTime) {
        Rejection r;
        if ((r = commandId(a.getCommandId())) != null
                || (r = ControlLimits.name("approver", a.getApprover())) != null
                || (r = ControlLimits.oneOf("decision", a.getDecision(), "APPROVED", "REJECTED"))
                        != null
                || (r = ControlLimits.text("reason", a.getReason(), ControlLimits.MAX_TEXT_CHARS))
                        != null
                || (r = ControlLimits.time("decided_at", a.getDecidedAt(), referenceTime))
                        != null) {
            return r;
        }
        return null;
    }

    /** Why {@code r} is rejected, or null. */
    public static Rejection result(RemediationResult result, long referenceTime) {
        Rejection r;
        if ((r = commandId(result.getCommandId())) != null
                || (r = ControlLimits.name("node_id", result.getNodeId())) != null
                || (r =
                                ControlLimits.oneOf(
                                        "status",
                                        result.getStatus(),
                                        "DISPATCHED",
                                        "SUCCEEDED",
                                        "FAILED",
                                        "REJECTED",
                                        "EXPIRED",
                                        "RETRIES_EXHAUSTED"))
                        != null
                || (r = ControlLimits.range("attempt", result.getAttempt(), 0, MAX_ATTEMPT)) != null
                || (r =
                                ControlLimits.text(
                                        "detail", result.getDetail(), ControlLimits.MAX_TEXT_CHARS))
                        != null
                || (r = ControlLimits.time("reported_at", result.getReportedAt(), referenceTime))
                        != null) {
            return r;
        }
        return null;
    }

    private static Rejection commandId(CharSequence id) {
        if (id == null || id.length() == 0) {
            return new Rejection(RejectReason.MISSING_FIELD, "command_id is empty");
        }
        if (id.length() > ControlLimits.MAX_NAME_CHARS || !COMMAND_ID.matcher(id).matches()) {
            return new Rejection(
                    RejectReason.INVALID_VALUE,
                    "command_id: not a command id (cmd- and 32 hex digits)");
        }
        return null;
    }
}
