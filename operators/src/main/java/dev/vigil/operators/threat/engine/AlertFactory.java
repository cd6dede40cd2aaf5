package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.schema.EvidenceRef;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.ThreatAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns a match into a {@link ThreatAlert}: evidence, identity, times, risk. Pure Java. */
public final class AlertFactory {

    /** Evidence kept per alert; longer matches keep their first and last events. */
    public static final int MAX_EVIDENCE = 64;

    private AlertFactory() {}

    /**
     * @param key the routed key ({@code shape|values})
     * @param match step name → events, as CEP returns it
     * @param completionTime event time at which the match completed
     * @param emittedAt event time at which the engine emitted the alert (the timer it ran in)
     * @param detectedAt processing time of emission
     */
    public static ThreatAlert create(
            CompiledRule rule,
            String key,
            Map<String, List<EnrichedEvent>> match,
            long completionTime,
            long emittedAt,
            long detectedAt,
            long suppressedCount) {
        RuleDefinition definition = rule.definition();
        List<EnrichedEvent> events = new ArrayList<>();
        match.values().forEach(events::addAll);
        events.sort(
                Comparator.comparingLong(EnrichedEvent::timestamp)
                        .thenComparingLong(e -> e.event.getSequence()));
        long first = events.get(0).timestamp();
        long last = Math.max(events.get(events.size() - 1).timestamp(), completionTime);
        double risk =
                RiskScorer.score(definition.severity(), RiskScorer.NEUTRAL, RiskScorer.NEUTRAL);
        return ThreatAlert.newBuilder()
                .setAlertId(alertId(definition, key, events))
                .setRuleId(definition.id())
                .setRuleVersion(definition.version())
                .setTitle(definition.title())
                .setSeverity(definition.severity().name())
                .setMitreTechnique(definition.mitre())
                .setGroupBy(definition.keyShape())
                .setGroupKey(RoutedEvent.valuesOf(key))
                .setHub(shared(events, NodeIdentity::getHub))
                .setRegion(shared(events, NodeIdentity::getRegion))
                .setCluster(shared(events, NodeIdentity::getCluster))
                .setNodeId(shared(events, NodeIdentity::getNodeId))
                .setRiskScore(risk)
                .setRiskLevel(RiskScorer.level(risk))
                .setAnomalyComponent(RiskScorer.NEUTRAL)
                .setBehaviouralComponent(RiskScorer.NEUTRAL)
                .setEvidence(evidence(events))
                .setFirstEventTime(Instant.ofEpochMilli(first))
                .setLastEventTime(Instant.ofEpochMilli(last))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .setDetectionLatencyMs(Math.max(0, emittedAt - last))
                .setSuppressedCount(suppressedCount)
                .build();
    }

    private static List<EvidenceRef> evidence(List<EnrichedEvent> events) {
        List<EnrichedEvent> kept = events;
        if (events.size() > MAX_EVIDENCE) {
            kept = new ArrayList<>(events.subList(0, MAX_EVIDENCE / 2));
            kept.addAll(events.subList(events.size() - MAX_EVIDENCE / 2, events.size()));
        }
        List<EvidenceRef> refs = new ArrayList<>();
        for (EnrichedEvent e : kept) {
            refs.add(
                    EvidenceRef.newBuilder()
                            .setEventId(e.event.getEventId())
                            .setNodeId(e.event.getNode().getNodeId())
                            .setEventTime(e.event.getEventTime())
                            .build());
        }
        return refs;
    }

    /** The value every event shares, or null. */
    private static String shared(List<EnrichedEvent> events, Function<NodeIdentity, String> field) {
        String value = field.apply(events.get(0).event.getNode());
        for (EnrichedEvent e : events) {
            if (!value.equals(field.apply(e.event.getNode()))) {
                return null;
            }
        }
        return value;
    }

    /** Same rule version, key and triggering events → same id, also on replay. */
    static String alertId(RuleDefinition rule, String key, List<EnrichedEvent> events) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(
                    (rule.id() + "|" + rule.version() + "|" + key)
                            .getBytes(StandardCharsets.UTF_8));
            for (EnrichedEvent e : events) {
                sha.update((byte) 0);
                sha.update(e.event.getEventId().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
