package dev.vigil.operators.remediation;

import dev.vigil.schema.RemediationCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by target: triggers wait for the watermark and are planned in event-time order (time, then
 * cause id) by the {@link RemediationPlanner}, so a replay decides the same. Outcomes are counted
 * per kind ({@code issued}, {@code noPolicy}, {@code cooldown}, {@code duplicate}, {@code
 * rateLimited}); triggers behind the watermark are planned at the next one, or after a few seconds
 * should it not come ({@code lateTriggers}).
 */
public final class TargetRemediationFunction
        extends KeyedProcessFunction<String, Trigger, RemediationCommand> {

    private static final long serialVersionUID = 1L;

    static final Comparator<Trigger> ORDER =
            Comparator.comparingLong((Trigger t) -> t.eventTime).thenComparing(t -> t.causeId);

    private final PolicyCatalogue catalogue;
    private final RateLimits limits;
    private transient RemediationPlanner planner;
    private transient ListState<Trigger> pending;
    private transient ValueState<TargetState> states;
    private transient Counter[] outcomes;
    private transient Counter late;

    public TargetRemediationFunction(PolicyCatalogue catalogue, RateLimits limits) {
        this.catalogue = catalogue;
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        planner = new RemediationPlanner(catalogue, limits);
        pending =
                getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("pending", Trigger.class));
        states =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("target", TargetState.Type.INSTANCE));
        RemediationPlanner.Outcome[] kinds = RemediationPlanner.Outcome.values();
        outcomes = new Counter[kinds.length];
        for (RemediationPlanner.Outcome o : kinds) {
            String name = o.name().toLowerCase();
            int u = name.indexOf('_');
            String metric =
                    u < 0
                            ? name
                            : name.substring(0, u)
                                    + Character.toUpperCase(name.charAt(u + 1))
                                    + name.substring(u + 2);
            outcomes[o.ordinal()] = getRuntimeContext().getMetricGroup().counter(metric);
        }
        late = getRuntimeContext().getMetricGroup().counter("lateTriggers");
    }

    @Override
    public void processElement(Trigger t, Context ctx, Collector<RemediationCommand> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (t.eventTime > watermark) {
            pending.add(t);
            ctx.timerService().registerEventTimeTimer(t.eventTime);
            return;
        }
        late.inc();
        pending.add(t);
        if (!BehindWatermark.schedule(ctx.timerService())) {
            plan(watermark, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RemediationCommand> out)
            throws Exception {
        plan(BehindWatermark.upTo(timestamp, ctx.timeDomain(), ctx.timerService()), out);
    }

    private void plan(long upTo, Collector<RemediationCommand> out) throws Exception {
        TargetState s = states.value();
        if (s == null) {
            s = new TargetState();
        }
        List<Trigger> ready = new ArrayList<>();
        List<Trigger> waiting = new ArrayList<>();
        for (Trigger t : pending.get()) {
            (t.eventTime <= upTo || t.eventTime <= s.plannedUpTo ? ready : waiting).add(t);
        }
        if (ready.isEmpty()) {
            return;
        }
        ready.sort(ORDER);
        List<RemediationCommand> commands = new ArrayList<>();
        for (Trigger t : ready) {
            for (RemediationPlanner.Outcome o : planner.plan(t, s, commands)) {
                outcomes[o.ordinal()].inc();
            }
        }
        commands.forEach(out::collect);
        s.plannedUpTo = Math.max(s.plannedUpTo, upTo);
        pending.update(waiting);
        states.update(s);
    }
}
