package dev.vigil.jobs.threat;

import dev.vigil.schema.EvidenceRef;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.ThreatAlert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores alerts against the simulator's ground truth, per rule: recall over the injected attacks of
 * the rule's scenario, precision of its alerts, and false-positive rate over the node-minutes
 * without such an attack.
 */
final class DetectionScore {

    /** An alert may complete this long after its label's last event. */
    static final long SLACK_MILLIS = 60_000;

    /** Scenario (and spoofing kind) → rule expected to detect it. */
    static String ruleFor(GroundTruthLabel label) {
        String scenario = label.getScenario();
        if (scenario.equals("sensor_spoofing")) {
            String kind = label.getAttributes().get("kind");
            return switch (kind == null ? "" : kind) {
                case "IMPOSSIBLE_READINGS" -> "sensor-impossible-reading";
                // exact copies of events: deduplication passes them to the replay rule only
                case "REPLAY" -> "sensor-replay";
                default -> "sensor-sequence-anomaly";
            };
        }
        if (scenario.equals("config_change")) {
            return "config-change-outside-window";
        }
        return scenario.replace('_', '-');
    }

    record Row(
            String rule,
            int attacks,
            int detected,
            int alerts,
            int truePositives,
            int falsePositives,
            long negativeUnits,
            long maxLatencyMs,
            int nearMisses,
            int nearMissesAlerted,
            List<String> missed,
            List<String> falseAlerts) {

        double recall() {
            return attacks == 0 ? 1.0 : (double) detected / attacks;
        }

        double precision() {
            return alerts == 0 ? 1.0 : (double) truePositives / alerts;
        }

        double falsePositiveRate() {
            return negativeUnits == 0 ? 0.0 : (double) falsePositives / negativeUnits;
        }
    }

    /**
     * Recall counts attacks that ended within the run (an attack cut off by the end of the input
     * may not have had time to show); an alert explained by any attack that started within the run
     * is not a false positive.
     */
    static Map<String, Row> score(
            List<String> rules,
            List<GroundTruthLabel> labels,
            List<ThreatAlert> alerts,
            int nodes,
            long runStart,
            long runMillis) {
        long runEnd = runStart + runMillis;
        Map<String, Row> rows = new TreeMap<>();
        for (String rule : rules) {
            List<GroundTruthLabel> started = new ArrayList<>();
            List<GroundTruthLabel> attacks = new ArrayList<>();
            for (GroundTruthLabel label : labels) {
                if (!label.getNearMiss()
                        && ruleFor(label).equals(rule)
                        && label.getStartTime().toEpochMilli() < runEnd) {
                    started.add(label);
                    if (label.getEndTime().toEpochMilli() + SLACK_MILLIS <= runEnd) {
                        attacks.add(label);
                    }
                }
            }
            List<ThreatAlert> ruleAlerts =
                    alerts.stream().filter(a -> a.getRuleId().equals(rule)).toList();
            Set<GroundTruthLabel> detected = new HashSet<>();
            int tp = 0;
            long maxLatency = 0;
            List<String> falseAlerts = new ArrayList<>();
            for (ThreatAlert alert : ruleAlerts) {
                GroundTruthLabel cause =
                        started.stream().filter(l -> explains(l, alert)).findFirst().orElse(null);
                if (cause != null) {
                    tp++;
                    if (attacks.contains(cause)) {
                        detected.add(cause);
                    }
                    maxLatency = Math.max(maxLatency, alert.getDetectionLatencyMs());
                } else {
                    falseAlerts.add(alert.getGroupKey() + "@" + alert.getFirstEventTime());
                }
            }
            long attackMinutes = 0;
            for (GroundTruthLabel attack : started) {
                attackMinutes +=
                        attack.getNodeIds().size()
                                * ((attack.getEndTime().toEpochMilli()
                                                        - attack.getStartTime().toEpochMilli())
                                                / 60_000
                                        + 1);
            }
            long negativeUnits = (long) nodes * (runMillis / 60_000) - attackMinutes;
            List<GroundTruthLabel> nearMisses =
                    labels.stream()
                            .filter(
                                    l ->
                                            l.getNearMiss()
                                                    && ruleFor(l).equals(rule)
                                                    && l.getEndTime().toEpochMilli() < runEnd)
                            .toList();
            int nearMissesAlerted =
                    (int)
                            nearMisses.stream()
                                    .filter(l -> ruleAlerts.stream().anyMatch(a -> explains(l, a)))
                                    .count();
            List<String> missed =
                    attacks.stream()
                            .filter(l -> !detected.contains(l))
                            .map(l -> l.getScenarioId() + " " + l.getDescription())
                            .toList();
            rows.put(
                    rule,
                    new Row(
                            rule,
                            attacks.size(),
                            detected.size(),
                            ruleAlerts.size(),
                            tp,
                            ruleAlerts.size() - tp,
                            negativeUnits,
                            maxLatency,
                            nearMisses.size(),
                            nearMissesAlerted,
                            missed,
                            falseAlerts));
        }
        return rows;
    }

    /** The alert's nodes are the label's and its time lies within the label's (plus slack). */
    static boolean explains(GroundTruthLabel label, ThreatAlert alert) {
        Set<String> alertNodes = new HashSet<>();
        for (EvidenceRef ref : alert.getEvidence()) {
            alertNodes.add(ref.getNodeId());
        }
        if (!label.getNodeIds().containsAll(alertNodes)) {
            return false;
        }
        long start = label.getStartTime().toEpochMilli();
        long end = label.getEndTime().toEpochMilli() + SLACK_MILLIS;
        return alert.getLastEventTime().toEpochMilli() >= start
                && alert.getFirstEventTime().toEpochMilli() <= end;
    }

    static String table(Map<String, Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "%-30s %7s %8s %6s %6s %4s %4s %9s %9s %10s %12s%n",
                        "rule",
                        "attacks",
                        "detected",
                        "recall",
                        "alerts",
                        "TP",
                        "FP",
                        "precision",
                        "FPR",
                        "latency ms",
                        "near misses"));
        for (Row r : rows.values()) {
            out.append(
                    String.format(
                            "%-30s %7d %8d %6.3f %6d %4d %4d %9.3f %9.5f %10d %5d (%d hit)%n",
                            r.rule(),
                            r.attacks(),
                            r.detected(),
                            r.recall(),
                            r.alerts(),
                            r.truePositives(),
                            r.falsePositives(),
                            r.precision(),
                            r.falsePositiveRate(),
                            r.maxLatencyMs(),
                            r.nearMisses(),
                            r.nearMissesAlerted()));
        }
        int attacks = rows.values().stream().mapToInt(Row::attacks).sum();
        int detected = rows.values().stream().mapToInt(Row::detected).sum();
        int fp = rows.values().stream().mapToInt(Row::falsePositives).sum();
        out.append(
                String.format(
                        "%-30s %7d %8d %6.3f %6s %4s %4d%n",
                        "all",
                        attacks,
                        detected,
                        attacks == 0 ? 1.0 : (double) detected / attacks,
                        "",
                        "",
                        fp));
        for (Row r : rows.values()) {
            r.missed()
                    .forEach(
                            m ->
                                    out.append("  missed by ")
                                            .append(r.rule())
                                            .append(": ")
                                            .append(m)
                                            .append('\n'));
            r.falseAlerts()
                    .forEach(
                            f ->
                                    out.append("  false alert of ")
                                            .append(r.rule())
                                            .append(": ")
                                            .append(f)
                                            .append('\n'));
        }
        return out.toString();
    }
}
