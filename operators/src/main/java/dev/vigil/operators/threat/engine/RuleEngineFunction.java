package dev.vigil.operators.threat.engine;

import dev.vigil.operators.ProcessingClock;
import dev.vigil.operators.eventtime.EventTimeBuffer;
import dev.vigil.operators.threat.cep.CepRuleRunner;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.EventTypes;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.ThreatAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs every rule of one key shape inside one keyed operator, with rules arriving and changing
 * while it runs (from the {@code rules} topic, via broadcast state).
 *
 * <p>Per key, events wait in a time-ordered buffer until the watermark passes them (as in Flink's
 * own CEP operator), then each is offered only to the rules of its key shape whose scope admits its
 * type, and only to rules that either have an open partial match for the key or whose first step
 * the event satisfies: the cost of an event grows with the rules that can use it, not with the
 * rules loaded. A rule change drops the rule's state for all keys at once; a key whose matches all
 * closed keeps no rule state at all.
 *
 * <p>Side outputs: {@link #ACKS} (one {@code RuleAck} per command, from subtask 0) and {@link
 * #LATE} (events older than what their key has already evaluated, counted in {@code lateEvents}:
 * the ingest clock decides lateness by partition, and an event its partition had on time but that
 * finds the watermark past it — its partition was read after the others — still waits for the next
 * watermark and is evaluated in order). Per-rule metrics {@code rule.<id>.matches}, {@code
 * .suppressed}, {@code .overflows} (a key's partial matches passed {@link #MAX_PARTIAL_MATCHES} and
 * were dropped) and the gauge {@code .openKeys} (keys with partial matches on this subtask).
 */
public final class RuleEngineFunction
        extends KeyedBroadcastProcessFunction<String, RoutedEvent, RuleCommand, ThreatAlert> {

    private static final long serialVersionUID = 1L;

    /** Acknowledgements of rule commands. */
    public static final OutputTag<RuleAck> ACKS =
            new OutputTag<>("rule-acks", TypeInformation.of(RuleAck.class));

    /** Events that arrived behind their key's evaluation (its event time had passed them). */
    public static final OutputTag<EnrichedEvent> LATE =
            new OutputTag<>("late-rule-input", TypeInformation.of(EnrichedEvent.class));

    /** A stable order for events of equal time, whatever order partitions delivered them in. */
    private static final Comparator<EnrichedEvent> SAME_TIME_ORDER =
            Comparator.comparing(e -> e.event.getEventId());

    private static final MapStateDescriptor<String, Boolean> ACTIVE =
            new MapStateDescriptor<>("active-rules", Types.STRING, Types.BOOLEAN);
    private static final MapStateDescriptor<String, Long> SUPPRESSIONS =
            new MapStateDescriptor<>("suppressions", Types.STRING, Types.LONG);

    /**
     * Partial matches one rule may hold for one key; beyond, the rule starts afresh for the key
     * (counted in {@code rule.<id>.overflows}), so that no input can make an event's cost grow
     * without bound.
     */
    public static final int MAX_PARTIAL_MATCHES = 256;

    private static final ValueStateDescriptor<Long> EVALUATED_UP_TO =
            new ValueStateDescriptor<>("evaluated-up-to", Types.LONG);

    private final List<String> catalogue;
    private final ProcessingClock clock;

    private transient Map<String, RuleDefinition> builtIn;
    private transient RuleSet rules;
    private transient Map<String, CepRuleRunner> runners;
    private transient Map<String, ValueState<SuppressionState>> suppressionStates;
    private transient Map<String, RuleMetrics> metrics;
    private transient TypeSerializer<EnrichedEvent> serializer;
    private transient EventTimeBuffer<EnrichedEvent> pending;
    private transient MapState<String, Boolean> active;
    private transient MapState<String, Long> suppressions;
    private transient ValueState<Long> evaluatedUpTo;
    private transient Counter lateEvents;
    private transient Counter skippedEvents;
    private transient boolean acknowledging;
    private boolean verifiedCommands;

    public RuleEngineFunction(List<String> catalogue) {
        this(catalogue, ProcessingClock.SYSTEM);
    }

    public RuleEngineFunction(List<String> catalogue, ProcessingClock clock) {
        this.catalogue = List.copyOf(catalogue);
        this.clock = clock;
    }

    /**
     * Marks the commands this function receives as author-verified ({@link
     * dev.vigil.operators.ingest.ControlSignatures}, which puts the verified signer in {@code
     * issued_by}): acknowledgements then name it in {@code signed_by}.
     */
    public RuleEngineFunction verifiedCommands(boolean verified) {
        this.verifiedCommands = verified;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        builtIn = RuleBroadcast.parse(catalogue);
        runners = new HashMap<>();
        suppressionStates = new HashMap<>();
        metrics = new HashMap<>();
        serializer = getRuntimeContext().createSerializer(TypeInformation.of(EnrichedEvent.class));
        // the state name of the buffer this class kept before EventTimeBuffer, same layout
        pending =
                EventTimeBuffer.create(
                        getRuntimeContext(),
                        "pending",
                        TypeInformation.of(EnrichedEvent.class),
                        SAME_TIME_ORDER,
                        EventTimeBuffer.Late.nextWatermark());
        active = getRuntimeContext().getMapState(ACTIVE);
        suppressions = getRuntimeContext().getMapState(SUPPRESSIONS);
        evaluatedUpTo = getRuntimeContext().getState(EVALUATED_UP_TO);
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        skippedEvents = getRuntimeContext().getMetricGroup().counter("skippedEvents");
        acknowledging = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void close() throws Exception {
        if (runners != null) {
            for (CepRuleRunner runner : runners.values()) {
                runner.close();
            }
        }
    }

    @Override
    public void processElement(RoutedEvent routed, ReadOnlyContext ctx, Collector<ThreatAlert> out)
            throws Exception {
        long timestamp = routed.event.timestamp();
        // the ingest clock already judged the event on time in its partition; it is late here
        // only when this key's own evaluation has passed it. Behind the watermark (its partition
        // was read after others), it waits for the next one and is evaluated in order with the
        // key's other work, exactly as if it had come in time
        Long upTo = evaluatedUpTo.value();
        if (upTo != null && timestamp <= upTo) {
            lateEvents.inc();
            ctx.output(LATE, routed.event);
            return;
        }
        if (rules == null) {
            rules = RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        }
        // an event that can neither start a rule nor reach an open one cannot change anything:
        // most metric samples, for instance, while nothing is running hot
        boolean needed = false;
        String shape = RoutedEvent.shapeOf(routed.key);
        ConditionVerdicts verdicts = rules.verdicts(routed.event);
        for (CompiledRule rule : rules.rules(shape, EventTypes.of(routed.event))) {
            if (!rule.observes(routed.event, verdicts)) {
                continue;
            }
            if (rule.canStart(verdicts)) {
                // armed: later events must reach the rule even before this one is evaluated
                open(rule.id());
                needed = true;
            } else if (active.contains(rule.id())) {
                needed = true;
            }
        }
        if (!needed) {
            skippedEvents.inc();
            return;
        }
        if (!pending.add(routed.event, timestamp, ctx.timerService())) {
            // the input has ended (no watermark follows): evaluated now, as its timer would have
            evaluate(timestamp, List.of(routed.event), ctx.getCurrentKey(), ctx, out);
        }
    }

    /** Marks {@code id} as running for the current key. */
    private void open(String id) throws Exception {
        if (!active.contains(id)) {
            active.put(id, Boolean.TRUE);
            metrics(id).openKeys.incrementAndGet();
        }
    }

    /** Marks {@code id} as idle for the current key. */
    private void close(String id) throws Exception {
        if (active.contains(id)) {
            active.remove(id);
            metrics(id).openKeys.updateAndGet(v -> Math.max(0, v - 1));
        }
    }

    /** True when an event still waiting in the buffer can start {@code rule}. */
    private boolean startsLater(CompiledRule rule) throws Exception {
        for (EnrichedEvent event : pending.waiting()) {
            ConditionVerdicts verdicts = rules.verdicts(event);
            if (rule.types().contains(EventTypes.of(event))
                    && rule.observes(event, verdicts)
                    && rule.canStart(verdicts)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Works through event time up to this timer's {@code timestamp}: the events buffered for it
     * (timers fire in time order, so earlier ones are done), then the expiry and absence deadlines
     * that fall due. An alert's event time is the timer's, so its event-time latency is the
     * distance from its last triggering event to the moment the engine could know.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ThreatAlert> out)
            throws Exception {
        if (rules == null) {
            rules = RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        }
        evaluate(
                timestamp,
                pending.release(timestamp, ctx.timeDomain()),
                ctx.getCurrentKey(),
                ctx,
                out);
    }

    /** Evaluates the current key's {@code events} of time {@code timestamp}, then the deadlines. */
    private void evaluate(
            long timestamp,
            List<EnrichedEvent> events,
            String key,
            ReadOnlyContext ctx,
            Collector<ThreatAlert> out)
            throws Exception {
        evaluatedUpTo.update(timestamp);
        String shape = RoutedEvent.shapeOf(key);
        Map<String, CepRuleRunner.Session> sessions = new TreeMap<>();
        TreeSet<String> open = new TreeSet<>();
        for (String id : active.keys()) {
            open.add(id);
        }

        for (EnrichedEvent event : events) {
            ConditionVerdicts verdicts = rules.verdicts(event);
            for (CompiledRule rule : rules.rules(shape, EventTypes.of(event))) {
                if (!rule.observes(event, verdicts)) {
                    continue;
                }
                boolean running = open.contains(rule.id()) || sessions.containsKey(rule.id());
                if (!running && !rule.canStart(verdicts)) {
                    continue;
                }
                CepRuleRunner.Session session = session(sessions, rule);
                emit(rule, key, session, session.advanceTime(timestamp), timestamp, ctx, out);
                emit(rule, key, session, session.process(event, timestamp), timestamp, ctx, out);
                int partial = session.partialMatches();
                if (partial > MAX_PARTIAL_MATCHES) {
                    // a flood the rule's pattern branches on (every failure of a sustained
                    // attack starting a match of a slow rule): start afresh rather than let
                    // each further event cost more; the flood's own rules still see it
                    session.reset();
                    metrics(rule.id()).overflows.inc();
                    partial = 0;
                }
                if (partial > 0) {
                    // deadlines only where a partial match can expire or complete by them
                    for (long horizon : rule.horizons()) {
                        ctx.timerService().registerEventTimeTimer(timestamp + horizon);
                    }
                }
            }
        }

        open.addAll(sessions.keySet());
        for (String id : open) {
            CompiledRule rule = rules.enabled().get(id);
            if (rule == null) {
                // disabled or deleted meanwhile; its state went with the command
                active.remove(id);
                continue;
            }
            CepRuleRunner.Session session = session(sessions, rule);
            emit(rule, key, session, session.advanceTime(timestamp), timestamp, ctx, out);
        }
        for (Map.Entry<String, CepRuleRunner.Session> entry : sessions.entrySet()) {
            CepRuleRunner.Session session = entry.getValue();
            session.close();
            if (!session.idle() || startsLater(rules.enabled().get(entry.getKey()))) {
                open(entry.getKey());
            } else {
                close(entry.getKey());
            }
        }
        expireSuppressions(timestamp);
        if (active.isEmpty() && pending.isEmpty()) {
            // nothing open and nothing waiting: an older event could only start afresh, as it
            // would have in order, so the key keeps no state at all
            evaluatedUpTo.clear();
        }
    }

    @Override
    public void processBroadcastElement(
            RuleCommand command, Context ctx, Collector<ThreatAlert> out) throws Exception {
        RuleSet current =
                RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        RuleCommands.Outcome outcome =
                RuleBroadcast.apply(
                        current, command, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        String id = command.getRuleId();
        if (outcome.applied() && outcome.changed()) {
            dropState(id, ctx);
        }
        rules = RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        if (acknowledging) {
            ctx.output(
                    ACKS,
                    RuleAck.newBuilder()
                            .setCommandId(command.getCommandId())
                            .setRuleId(id)
                            .setVersion(command.getVersion())
                            .setStatus(outcome.applied() ? "APPLIED" : "REJECTED")
                            .setReason(
                                    outcome.reason() == null
                                            ? null
                                            : RuleCommands.bounded(outcome.reason()))
                            .setAckedAt(Instant.ofEpochMilli(clock.getAsLong()))
                            .setSignedBy(verifiedCommands ? command.getIssuedBy() : null)
                            .build());
        }
    }

    /** Removes every key's partial matches, buffers and suppression of rule {@code id}. */
    private void dropState(String id, Context ctx) throws Exception {
        CepRuleRunner old = runners.remove(id);
        if (old != null) {
            old.close();
        }
        suppressionStates.remove(id);
        for (StateDescriptor<?, ?> descriptor :
                CepRuleRunner.stateDescriptors(id, getRuntimeContext(), serializer)) {
            clearAll(ctx, descriptor);
        }
        clearAll(ctx, suppressionDescriptor(id));
        ctx.applyToKeyedState(ACTIVE, (k, map) -> map.remove(id));
        ctx.applyToKeyedState(SUPPRESSIONS, (k, map) -> map.remove(id));
        ctx.applyToKeyedState(
                EVALUATED_UP_TO,
                (k, upTo) -> {
                    if (active.isEmpty() && pending.isEmpty()) {
                        upTo.clear();
                    }
                });
        metrics(id).openKeys.set(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void clearAll(Context ctx, StateDescriptor<?, ?> descriptor) throws Exception {
        ctx.applyToKeyedState(
                (StateDescriptor) descriptor,
                (KeyedStateFunction<String, State>) (k, state) -> state.clear());
    }

    private CepRuleRunner.Session session(
            Map<String, CepRuleRunner.Session> sessions, CompiledRule rule) throws Exception {
        CepRuleRunner.Session session = sessions.get(rule.id());
        if (session == null) {
            session = runner(rule).session();
            sessions.put(rule.id(), session);
        }
        return session;
    }

    private CepRuleRunner runner(CompiledRule rule) {
        return runners.computeIfAbsent(
                rule.id(),
                id -> {
                    try {
                        return new CepRuleRunner(
                                rule.definition(), getRuntimeContext(), serializer);
                    } catch (RuleValidationException e) {
                        throw new IllegalStateException(
                                "rule " + id + " was accepted but does not compile", e);
                    }
                });
    }

    private void emit(
            CompiledRule rule,
            String key,
            CepRuleRunner.Session session,
            Collection<Map<String, List<EnrichedEvent>>> matches,
            long now,
            ReadOnlyContext ctx,
            Collector<ThreatAlert> out)
            throws Exception {
        if (matches.isEmpty()) {
            return;
        }
        // the earliest-starting match speaks for the burst; the rule starts afresh for this key
        session.reset();
        for (Map<String, List<EnrichedEvent>> match : earliest(matches)) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (List<EnrichedEvent> events : match.values()) {
                for (EnrichedEvent e : events) {
                    first = Math.min(first, e.timestamp());
                    last = Math.max(last, e.timestamp());
                }
            }
            long completion = rule.completionTime(first, last);
            RuleMetrics m = metrics(rule.id());
            ValueState<SuppressionState> suppression = suppressionState(rule.id());
            SuppressionState current = suppression.value();
            if (current != null && completion < current.until) {
                current.suppressed++;
                suppression.update(current);
                m.suppressed.inc();
                continue;
            }
            long suppressedBefore = current == null ? 0 : current.suppressed;
            long window = rule.definition().suppressFor().toMillis();
            if (window > 0) {
                suppression.update(new SuppressionState(completion + window, 0));
                // kept one more window after it ends, to carry a count to the next alert
                long expireAt = completion + 2 * window;
                suppressions.put(rule.id(), expireAt);
                ctx.timerService().registerEventTimeTimer(expireAt);
            } else if (current != null) {
                suppression.clear();
                suppressions.remove(rule.id());
            }
            m.matches.inc();
            out.collect(
                    AlertFactory.create(
                            rule,
                            key,
                            match,
                            completion,
                            now,
                            clock.getAsLong(),
                            suppressedBefore));
        }
    }

    private static List<Map<String, List<EnrichedEvent>>> earliest(
            Collection<Map<String, List<EnrichedEvent>>> matches) {
        Map<String, List<EnrichedEvent>> first = null;
        long firstTime = Long.MAX_VALUE;
        for (Map<String, List<EnrichedEvent>> match : matches) {
            long start = Long.MAX_VALUE;
            for (List<EnrichedEvent> events : match.values()) {
                for (EnrichedEvent e : events) {
                    start = Math.min(start, e.timestamp());
                }
            }
            if (start < firstTime) {
                first = match;
                firstTime = start;
            }
        }
        return List.of(first);
    }

    private void expireSuppressions(long now) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> entry : suppressions.entries()) {
            if (entry.getValue() <= now) {
                expired.add(entry.getKey());
            }
        }
        for (String id : expired) {
            suppressionState(id).clear();
            suppressions.remove(id);
        }
    }

    private ValueState<SuppressionState> suppressionState(String id) {
        return suppressionStates.computeIfAbsent(
                id, i -> getRuntimeContext().getState(suppressionDescriptor(i)));
    }

    private static ValueStateDescriptor<SuppressionState> suppressionDescriptor(String id) {
        return new ValueStateDescriptor<>(
                CepRuleRunner.statePrefix(id) + "suppression",
                TypeInformation.of(SuppressionState.class));
    }

    private RuleMetrics metrics(String id) {
        return metrics.computeIfAbsent(
                id, i -> new RuleMetrics(getRuntimeContext().getMetricGroup().addGroup("rule", i)));
    }

    /** Per-rule metrics of this subtask. */
    private static final class RuleMetrics {
        final Counter matches;
        final Counter suppressed;
        final Counter overflows;
        final AtomicLong openKeys = new AtomicLong();

        RuleMetrics(MetricGroup group) {
            matches = group.counter("matches");
            suppressed = group.counter("suppressed");
            overflows = group.counter("overflows");
            group.gauge("openKeys", (Gauge<Long>) openKeys::get);
        }
    }
}
