package dev.vigil.operators.remediation;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A versioned remediation strategy: what triggers it and which actions it takes — all at once
 * ({@code mode = all}) or one more per trigger after each cooldown ({@code escalate}: the seed's
 * scale_up → redistribute_load → optimize_performance).
 */
public record RemediationPolicy(
        String id,
        int version,
        boolean escalate,
        List<String> actions,
        boolean requiresApproval,
        long cooldownMillis,
        long ttlMillis,
        Match match)
        implements Serializable {

    /** When a trigger matches. Empty sets match anything. */
    public record Match(
            String kind,
            Set<String> severities,
            Set<String> rules,
            double minProbability,
            List<String> featurePrefixes)
            implements Serializable {

        boolean test(Trigger t) {
            if (!kind.equals(t.kind)) {
                return false;
            }
            if (Trigger.ALERT.equals(kind)) {
                return (severities.isEmpty() || severities.contains(t.severity))
                        && (rules.isEmpty() || rules.contains(t.ruleId));
            }
            if (!(t.probability > minProbability)) {
                return false;
            }
            if (featurePrefixes.isEmpty()) {
                return true;
            }
            for (String p : featurePrefixes) {
                if (t.feature != null && t.feature.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    public boolean matches(Trigger t) {
        return match.test(t);
    }
}
