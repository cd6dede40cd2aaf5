package dev.vigil.operators.threat;

import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.threat.engine.KeyShapeRouter;
import dev.vigil.operators.threat.engine.RoutedEvent;
import dev.vigil.operators.threat.engine.RuleBroadcast;
import dev.vigil.operators.threat.engine.RuleEngineFunction;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.enrich.TelemetryEnricher;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The threat pipeline's three real functions (enricher → key-shape router → rule engine), each in
 * its Flink test harness, chained by hand. Watermarks follow the job: the highest event time seen
 * minus 5 s.
 */
final class RuleBench implements AutoCloseable {

    static final long BOUND = 5_000;

    private final List<String> catalogue;
    private KeyedOneInputStreamOperatorTestHarness<String, IngestedTelemetry, EnrichedEvent>
            enricher;
    private BroadcastOperatorTestHarness<EnrichedEvent, RuleCommand, RoutedEvent> router;
    private KeyedBroadcastOperatorTestHarness<String, RoutedEvent, RuleCommand, ThreatAlert> engine;
    private final Map<String, Long> sequences = new HashMap<>();
    private long offset;
    private final java.util.Map<String, Integer> copies = new java.util.HashMap<>();
    private long maxTime = Long.MIN_VALUE;
    private int enricherSeen;
    private int routerSeen;
    private final boolean verifiedCommands;

    RuleBench(List<String> catalogue) throws Exception {
        this(catalogue, false);
    }

    /**
     * @param verifiedCommands whether the commands come author-verified, as from a rules source
     *     with a trust store
     */
    RuleBench(List<String> catalogue, boolean verifiedCommands) throws Exception {
        this.catalogue = catalogue;
        this.verifiedCommands = verifiedCommands;
        enricher =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new TelemetryEnricher(), IngestedTelemetry::nodeId, Types.STRING);
        router =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new KeyShapeRouter(catalogue), RuleBroadcast.OVERRIDES);
        engine = newEngine();
        engine.open();
        rulesStreamNeverHoldsBackTime();
    }

    /**
     * As in the job, the rules stream emits the final watermark at once: rules are not event-time
     * data.
     */
    private void rulesStreamNeverHoldsBackTime() throws Exception {
        router.processBroadcastWatermark(Long.MAX_VALUE);
        engine.processBroadcastWatermark(Long.MAX_VALUE);
    }

    /** A new, not yet opened engine harness. */
    private KeyedBroadcastOperatorTestHarness<String, RoutedEvent, RuleCommand, ThreatAlert>
            newEngine() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new RuleEngineFunction(catalogue, () -> 1_000L)
                                .verifiedCommands(verifiedCommands),
                        List.of(RuleBroadcast.OVERRIDES)),
                RoutedEvent::key,
                Types.STRING,
                1,
                1,
                0);
    }

    /**
     * Sends an event with the node's next sequence number; advances the watermark as the job does.
     */
    RuleBench send(TelemetryEvent event) throws Exception {
        String node = event.getNode().getNodeId();
        long seq = sequences.merge(node, 1L, Long::sum) - 1;
        event.setSequence(seq);
        event.setEventId(node + "-" + seq);
        return sendAsIs(event);
    }

    /** Sends an event keeping its sequence number and id (for replays and forgeries). */
    RuleBench sendAsIs(TelemetryEvent event) throws Exception {
        return sendAsIs(event, false);
    }

    /**
     * Sends an exact copy of an event already sent, as deduplication passes it to the threat job
     * (marked resent).
     */
    RuleBench sendResent(TelemetryEvent event) throws Exception {
        return sendAsIs(event, true);
    }

    private RuleBench sendAsIs(TelemetryEvent event, boolean resent) throws Exception {
        if (resent) {
            copies.merge(event.getEventId(), 1, Integer::sum);
        }
        long time = event.getEventTime().toEpochMilli();
        IngestedTelemetry in = IngestedTelemetry.valid(event, 0, offset++);
        in.copy = resent ? copies.get(event.getEventId()) : 0;
        enricher.processElement(in, time);
        List<EnrichedEvent> enriched = enricher.extractOutputValues();
        for (; enricherSeen < enriched.size(); enricherSeen++) {
            router.processElement(enriched.get(enricherSeen), time);
        }
        List<RoutedEvent> routed = router.extractOutputValues();
        for (; routerSeen < routed.size(); routerSeen++) {
            engine.processElement(routed.get(routerSeen), time);
        }
        if (time > maxTime) {
            maxTime = time;
            watermark(time - BOUND - 1);
        }
        return this;
    }

    RuleBench sendAll(List<TelemetryEvent> events) throws Exception {
        for (TelemetryEvent e : events) {
            send(e);
        }
        return this;
    }

    void watermark(long time) throws Exception {
        enricher.processWatermark(time);
        router.processWatermark(time);
        engine.processWatermark(time);
    }

    /** End of input: the watermark jumps to the end of time. */
    void finish() throws Exception {
        watermark(Long.MAX_VALUE);
    }

    void command(RuleCommand command) throws Exception {
        router.processBroadcastElement(command, 0);
        engine.processBroadcastElement(command, 0);
    }

    List<ThreatAlert> alerts() {
        return engine.extractOutputValues();
    }

    List<ThreatAlert> alerts(String ruleId) {
        return alerts().stream().filter(a -> a.getRuleId().equals(ruleId)).toList();
    }

    /** Events the engine dead-lettered as late. */
    List<EnrichedEvent> late() {
        List<EnrichedEvent> out = new ArrayList<>();
        if (engine.getSideOutput(RuleEngineFunction.LATE) != null) {
            for (StreamRecord<EnrichedEvent> r : engine.getSideOutput(RuleEngineFunction.LATE)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    List<RuleAck> acks() {
        List<RuleAck> acks = new ArrayList<>();
        if (engine.getSideOutput(RuleEngineFunction.ACKS) != null) {
            for (StreamRecord<RuleAck> r : engine.getSideOutput(RuleEngineFunction.ACKS)) {
                acks.add(r.getValue());
            }
        }
        return acks;
    }

    /** Keyed state entries (all keys, all rules) the engine holds, timers not counted. */
    int engineStateEntries() {
        KeyedStateBackend<?> backend =
                ((AbstractStreamOperator<?>) engine.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** Event-time timers the engine holds. */
    int engineTimers() {
        return engine.numEventTimeTimers();
    }

    /** Snapshots the engine and continues with a fresh engine restored from it. */
    void failOverEngine() throws Exception {
        OperatorSubtaskState snapshot = engine.snapshot(1L, 1L);
        List<ThreatAlert> before = new ArrayList<>(engine.extractOutputValues());
        engine.close();
        engine = newEngine();
        engine.initializeState(snapshot);
        engine.open();
        engine.processBroadcastWatermark(Long.MAX_VALUE);
        restoredAlerts = before;
    }

    List<ThreatAlert> restoredAlerts = List.of();

    static RuleCommand command(String id, String action, int version, String definition) {
        return RuleCommand.newBuilder()
                .setCommandId("cmd-" + id + "-" + action + "-" + version)
                .setRuleId(id)
                .setAction(action)
                .setVersion(version)
                .setDefinition(definition)
                .setIssuedBy("test")
                .setIssuedAt(Instant.ofEpochMilli(0))
                .build();
    }

    @Override
    public void close() throws Exception {
        enricher.close();
        router.close();
        engine.close();
    }
}
