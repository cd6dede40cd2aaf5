package dev.vigil.operators.remediation;

import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.ThreatAlert;

/**
 * Something that may call for remediation: an alert, or a failure prediction. A Flink POJO.
 *
 * <p>The target is the alert's node, else its group key (a region for {@code shift_workload}); a
 * prediction's target is its node.
 */
public class Trigger {
    public static final String ALERT = "ALERT";
    public static final String FAILURE_PREDICTION = "FAILURE_PREDICTION";

    public String kind;
    public String causeId;
    public String target;
    public long eventTime;
    public String ruleId;
    public String severity;
    public String groupBy;
    public String groupKey;
    public String feature;
    public double probability;

    public Trigger() {}

    public static Trigger of(ThreatAlert a) {
        Trigger t = new Trigger();
        t.kind = ALERT;
        t.causeId = a.getAlertId();
        t.target = a.getNodeId() != null ? a.getNodeId() : a.getGroupKey();
        t.eventTime = a.getLastEventTime().toEpochMilli();
        t.ruleId = a.getRuleId();
        t.severity = a.getSeverity();
        t.groupBy = a.getGroupBy();
        t.groupKey = a.getGroupKey();
        return t;
    }

    /** A prediction's trigger, or null when the score carries no failure probability. */
    public static Trigger of(AnomalyScore s) {
        if (s.getFailureProbability() == null) {
            return null;
        }
        Trigger t = new Trigger();
        t.kind = FAILURE_PREDICTION;
        t.causeId = "prediction-" + s.getNodeId() + "-" + s.getEventTime().toEpochMilli();
        t.target = s.getNodeId();
        t.eventTime = s.getEventTime().toEpochMilli();
        t.probability = s.getFailureProbability();
        t.feature = s.getTopFeatures().isEmpty() ? "" : s.getTopFeatures().get(0).getFeature();
        t.groupBy = "node";
        t.groupKey = s.getNodeId();
        return t;
    }
}
