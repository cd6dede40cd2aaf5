package dev.vigil.jobs.threat;

import dev.vigil.schema.EvidenceRef;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.ThreatAlert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores alerts against the simulator's ground truth. Per scenario type: recall over its attacks
 * (an attack counts as detected when an alert of one of the rules meant for it explains it) and how
 * many of its near misses (benign look-alikes) raised any alert at all. Per alert: an alert is a
 * true positive when an attack it explains is one its rule is meant for; every other alert — on a
 * near miss, on normal traffic, or of the wrong rule — is a false positive. Per rule: its alerts,
 * true and false positives, precision and the worst event-time detection latency.
 */
final class DetectionScore {

    /** An alert may complete this long after its label's last event. */
    static final long SLACK_MILLIS = 60_000;

    /** The rules meant to detect a label's scenario (and spoofing kind). */
    static Set<String> rulesFor(GroundTruthLabel label) {
        String scenario = label.getScenario();
        return switch (scenario) {
            case "sensor_spoofing" -> {
                String kind = label.getAttributes().get("kind");
                yield Set.of(
                        switch (kind == null ? "" : kind) {
                            case "IMPOSSIBLE_READINGS" -> "sensor-impossible-reading";
                            // exact copies of events: deduplication passes them to the replay
                            // rule only
                            case "REPLAY" -> "sensor-replay";
                            default -> "sensor-sequence-anomaly";
                        });
            }
            case "config_change" -> Set.of("config-change-outside-window");
            // a fast guess that ends in a success is also a slow one
            case "brute_force" -> Set.of("brute-force", "brute-force-slow");
            case "slow_brute_force" -> Set.of("brute-force-slow");
            // many accounts from one source on many nodes is also a spray
            case "credential_stuffing", "distributed_credential" ->
                    Set.of("credential-stuffing", "password-spray", "account-spray");
            case "malware_beaconing", "jittered_beaconing" ->
                    Set.of("malware-beaconing", "malware-beaconing-jittered");
            case "slow_exfiltration" -> Set.of("data-exfiltration");
            case "old_replay" -> Set.of("sensor-replay-old");
            case "frozen_sensor" -> Set.of("sensor-frozen");
            case "forged_temperature" -> Set.of("sensor-impossible-change");
            // root work with a new process and busy CPU outside any change window
            case "patch_rollout" -> Set.of("privilege-escalation", "crypto-mining");
            default -> Set.of(scenario.replace('_', '-'));
        };
    }

    /** One scenario type: its attacks and near misses. */
    record ScenarioRow(
            String scenario,
            int attacks,
            int detected,
            int nearMisses,
            int nearMissesAlerted,
            List<String> missed,
            List<String> nearMissAlerts) {

        double recall() {
            return attacks == 0 ? 1.0 : (double) detected / attacks;
        }
    }

    /** One rule: its alerts. */
    record RuleRow(
            String rule,
            int alerts,
            int truePositives,
            long maxLatencyMs,
            List<String> falseAlerts) {

        int falsePositives() {
            return alerts - truePositives;
        }

        double precision() {
            return alerts == 0 ? 1.0 : (double) truePositives / alerts;
        }
    }

    /** The whole score. */
    record Score(Map<String, ScenarioRow> scenarios, Map<String, RuleRow> rules) {

        int alerts() {
            return rules.values().stream().mapToInt(RuleRow::alerts).sum();
        }

        int truePositives() {
            return rules.values().stream().mapToInt(RuleRow::truePositives).sum();
        }

        /** True positives over all alerts. */
        double precision() {
            return alerts() == 0 ? 1.0 : (double) truePositives() / alerts();
        }

        int nearMisses() {
            return scenarios.values().stream().mapToInt(ScenarioRow::nearMisses).sum();
        }

        int nearMissesAlerted() {
            return scenarios.values().stream().mapToInt(ScenarioRow::nearMissesAlerted).sum();
        }

        /** Share of near misses and benign look-alikes that raised no alert. */
        double nearMissesQuiet() {
            return nearMisses() == 0 ? 1.0 : 1.0 - (double) nearMissesAlerted() / nearMisses();
        }
    }

    /**
     * Recall counts attacks that ended within the run (an attack cut off by the end of the input
     * may not have had time to show); an alert explained by an attack that started within the run
     * is not a false positive.
     */
    static Score score(
            List<String> rules,
            List<GroundTruthLabel> labels,
            List<ThreatAlert> alerts,
            long runEnd) {
        List<GroundTruthLabel> started =
                labels.stream()
                        .filter(l -> !l.getNearMiss() && l.getStartTime().toEpochMilli() < runEnd)
                        .toList();
        Map<String, RuleRow> ruleRows = new TreeMap<>();
        Set<String> detectedIds = new HashSet<>();
        Map<String, List<ThreatAlert>> byRule = new TreeMap<>();
        for (String rule : rules) {
            byRule.put(rule, new ArrayList<>());
        }
        for (ThreatAlert a : alerts) {
            byRule.computeIfAbsent(a.getRuleId(), k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<String, List<ThreatAlert>> entry : byRule.entrySet()) {
            int tp = 0;
            long maxLatency = 0;
            List<String> falseAlerts = new ArrayList<>();
            for (ThreatAlert alert : entry.getValue()) {
                GroundTruthLabel cause =
                        started.stream()
                                .filter(
                                        l ->
                                                rulesFor(l).contains(alert.getRuleId())
                                                        && explains(l, alert))
                                .findFirst()
                                .orElse(null);
                if (cause != null) {
                    tp++;
                    detectedIds.add(cause.getScenarioId());
                    maxLatency = Math.max(maxLatency, alert.getDetectionLatencyMs());
                } else {
                    falseAlerts.add(
                            alert.getGroupKey()
                                    + " "
                                    + alert.getFirstEventTime()
                                    + " .. "
                                    + alert.getLastEventTime());
                }
            }
            ruleRows.put(
                    entry.getKey(),
                    new RuleRow(
                            entry.getKey(), entry.getValue().size(), tp, maxLatency, falseAlerts));
        }

        Map<String, List<GroundTruthLabel>> byScenario = new TreeMap<>();
        for (GroundTruthLabel l : labels) {
            byScenario.computeIfAbsent(l.getScenario(), k -> new ArrayList<>()).add(l);
        }
        Map<String, ScenarioRow> scenarioRows = new TreeMap<>();
        for (Map.Entry<String, List<GroundTruthLabel>> entry : byScenario.entrySet()) {
            int attacks = 0;
            int detected = 0;
            int nearMisses = 0;
            int nearMissesAlerted = 0;
            List<String> missed = new ArrayList<>();
            List<String> nearMissAlerts = new ArrayList<>();
            for (GroundTruthLabel l : entry.getValue()) {
                boolean ended = l.getEndTime().toEpochMilli() + SLACK_MILLIS <= runEnd;
                if (!ended) {
                    continue;
                }
                if (!l.getNearMiss()) {
                    attacks++;
                    if (detectedIds.contains(l.getScenarioId())) {
                        detected++;
                    } else {
                        missed.add(
                                l.getScenarioId()
                                        + " on "
                                        + l.getNodeIds()
                                        + " from "
                                        + l.getStartTime()
                                        + " to "
                                        + l.getEndTime()
                                        + ": "
                                        + l.getDescription());
                    }
                    continue;
                }
                nearMisses++;
                List<ThreatAlert> hits =
                        alerts.stream()
                                .filter(a -> explains(l, a))
                                .filter(a -> started.stream().noneMatch(s -> explains(s, a)))
                                .toList();
                if (!hits.isEmpty()) {
                    nearMissesAlerted++;
                    hits.forEach(
                            a ->
                                    nearMissAlerts.add(
                                            a.getRuleId()
                                                    + " on "
                                                    + l.getScenarioId()
                                                    + " "
                                                    + l.getDescription()));
                }
            }
            scenarioRows.put(
                    entry.getKey(),
                    new ScenarioRow(
                            entry.getKey(),
                            attacks,
                            detected,
                            nearMisses,
                            nearMissesAlerted,
                            missed,
                            nearMissAlerts));
        }
        return new Score(scenarioRows, ruleRows);
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

    /** Both tables as Markdown, then what was missed and what alerted falsely. */
    static String table(Score score) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| scenario | attacks | detected | recall | near misses | near misses alerted |\n");
        out.append("|---|---|---|---|---|---|\n");
        int attacks = 0;
        int detected = 0;
        for (ScenarioRow r : score.scenarios().values()) {
            attacks += r.attacks();
            detected += r.detected();
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %.3f | %d | %d |%n",
                            r.scenario(),
                            r.attacks(),
                            r.detected(),
                            r.recall(),
                            r.nearMisses(),
                            r.nearMissesAlerted()));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "| all | %d | %d | %.3f | %d | %d |%n%n",
                        attacks,
                        detected,
                        attacks == 0 ? 1.0 : (double) detected / attacks,
                        score.nearMisses(),
                        score.nearMissesAlerted()));
        out.append(
                "| rule | alerts | true positives | false positives | precision | max latency ms"
                        + " |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (RuleRow r : score.rules().values()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %d | %.3f | %d |%n",
                            r.rule(),
                            r.alerts(),
                            r.truePositives(),
                            r.falsePositives(),
                            r.precision(),
                            r.maxLatencyMs()));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "| all | %d | %d | %d | %.3f | |%n",
                        score.alerts(),
                        score.truePositives(),
                        score.alerts() - score.truePositives(),
                        score.precision()));
        for (ScenarioRow r : score.scenarios().values()) {
            r.missed().forEach(m -> out.append("\n- missed: ").append(m));
            r.nearMissAlerts().forEach(m -> out.append("\n- near miss alerted: ").append(m));
        }
        for (RuleRow r : score.rules().values()) {
            r.falseAlerts()
                    .forEach(
                            f ->
                                    out.append("\n- false alert of ")
                                            .append(r.rule())
                                            .append(": ")
                                            .append(f));
        }
        return out.append('\n').toString();
    }
}
