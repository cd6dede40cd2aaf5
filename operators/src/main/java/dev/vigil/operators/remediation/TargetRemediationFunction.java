package dev.vigil.operators.remediation;

import dev.vigil.operators.eventtime.EventTimeBuffer;
import dev.vigil.schema.RemediationCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by target: triggers wait for the watermark and are planned in event-time order (time, then
 * cause id) by the {@link RemediationPlanner}, so a replay decides the same. Outcomes are counted
 * per kind ({@code issued}, {@code noPolicy}, {@code cooldown}, {@code duplicate}, {@code
 * rateLimited}); triggers behind the watermark are planned in order at the next one, or after
 * {@link BehindWatermark#WAIT} should it not come ({@code lateTriggers}).
 */
public final class TargetRemediationFunction
        extends KeyedProcessFunction<String, Trigger, RemediationCommand> {

    private static final long serialVersionUID = 1L;

    static final Comparator<Trigger> ORDER =
            Comparator.comparingLong((Trigger t) -> t.eventTime).thenComparing(t -> t.causeId);

    private final PolicyCatalogue catalogue;
    private final RateLimits limits;
    private transient RemediationPlanner planner;
    private transient EventTimeBuffer<Trigger> pending;
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
                EventTimeBuffer.create(
                        getRuntimeContext(),
                        "waiting",
                        TypeInformation.of(Trigger.class),
                        ORDER,
                        EventTimeBuffer.Late.nextWatermarkOr(BehindWatermark.WAIT));
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
        if (t.eventTime <= ctx.timerService().currentWatermark()) {
            late.inc();
        }
        if (!pending.add(t, t.eventTime, ctx.timerService())) {
            plan(List.of(t), ctx.timerService(), out); // the input has ended: no watermark follows
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RemediationCommand> out)
            throws Exception {
        plan(pending.release(timestamp, ctx.timeDomain()), ctx.timerService(), out);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            TargetState s = states.value();
            if (s != null && timestamp >= planner.forgettableFrom(s) && pending.isEmpty()) {
                // the target has been quiet long enough that a fresh state decides the same
                states.clear();
            }
        }
    }

    private void plan(List<Trigger> ready, TimerService timers, Collector<RemediationCommand> out)
            throws Exception {
        if (ready.isEmpty()) {
            return;
        }
        TargetState s = states.value();
        if (s == null) {
            s = new TargetState();
        }
        List<RemediationCommand> commands = new ArrayList<>();
        for (Trigger t : ready) {
            for (RemediationPlanner.Outcome o : planner.plan(t, s, commands)) {
                outcomes[o.ordinal()].inc();
            }
        }
        commands.forEach(out::collect);
        states.update(s);
        long forgettable = planner.forgettableFrom(s);
        if (forgettable != Long.MIN_VALUE) {
            timers.registerEventTimeTimer(forgettable);
        }
    }
}
