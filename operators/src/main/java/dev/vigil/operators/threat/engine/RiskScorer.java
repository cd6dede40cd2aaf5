package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.rules.Severity;

/**
 * The seed's risk formula: risk = 0.3 · anomaly + 0.4 · severity weight + 0.3 · behavioural risk,
 * every input in [0, 1], levels LOW < 0.3 ≤ MEDIUM < 0.6 ≤ HIGH < 0.8 ≤ CRITICAL.
 *
 * <p>The seed adds (1 + isolation-forest score), which grows as data looks <em>more</em> normal;
 * Vigil instead takes an anomaly <em>strength</em> in [0, 1] with 1 most anomalous (the inference
 * job's {@code AnomalyScore.anomaly_strength}, joined in by {@link AnomalyRiskJoin}). Without a
 * score for the node, and without a behavioural model, both inputs take the neutral value {@link
 * #NEUTRAL} = 0.5: "no evidence either way", which leaves the ordering to severity (a CRITICAL rule
 * alone scores 0.7, HIGH).
 */
public final class RiskScorer {

    /** Value of an input nothing is known about. */
    public static final double NEUTRAL = 0.5;

    private RiskScorer() {}

    /** Risk in [0, 1]. */
    public static double score(Severity severity, double anomalyStrength, double behaviouralRisk) {
        double risk =
                0.3 * clamp(anomalyStrength)
                        + 0.4 * severity.weight()
                        + 0.3 * clamp(behaviouralRisk);
        // round away binary noise so that equal inputs give equal, readable scores
        return Math.round(risk * 1e9) / 1e9;
    }

    /** LOW, MEDIUM, HIGH or CRITICAL. */
    public static String level(double risk) {
        if (risk < 0.3) {
            return "LOW";
        }
        if (risk < 0.6) {
            return "MEDIUM";
        }
        if (risk < 0.8) {
            return "HIGH";
        }
        return "CRITICAL";
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
