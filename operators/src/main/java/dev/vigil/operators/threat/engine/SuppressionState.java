package dev.vigil.operators.threat.engine;

/** Alert suppression of one rule for one group key. A Flink POJO. */
public class SuppressionState {

    /** Matches completing before this event time are counted, not alerted. */
    public long until;

    /** Matches suppressed since the last alert. */
    public long suppressed;

    public SuppressionState() {}

    public SuppressionState(long until, long suppressed) {
        this.until = until;
        this.suppressed = suppressed;
    }
}
