package dev.vigil.operators.remediation;

/** Where one command is in its lifecycle. A Flink POJO. */
public class LifecycleState {
    /**
     * AWAITING_APPROVAL, DISPATCHED (sent, no report yet), RECEIVED (the agent has it), SUCCEEDED,
     * FAILED, REJECTED (by an approver or the agent), EXPIRED, RETRIES_EXHAUSTED.
     */
    public String status;

    public int attempt;
    public long sentAt;
    public long expiresAt;
    public byte[] command;

    public LifecycleState() {}

    public boolean isFinal() {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "REJECTED", "EXPIRED", "RETRIES_EXHAUSTED" -> true;
            default -> false;
        };
    }
}
