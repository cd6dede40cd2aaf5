package dev.vigil.operators.remediation;

import java.util.HashMap;

/** What the planner remembers of one target. A Flink POJO. */
public class TargetState {
    /** Event time of the last command per policy. */
    public HashMap<String, Long> lastIssued = new HashMap<>();

    /** Next escalation step per policy. */
    public HashMap<String, Integer> step = new HashMap<>();

    /** Command ids issued, with the event time until which they are remembered. */
    public HashMap<String, Long> seen = new HashMap<>();

    public TokenBucket bucket = new TokenBucket();

    /** Event time up to which triggers have been planned. */
    public long plannedUpTo = Long.MIN_VALUE;

    public TargetState() {}
}
