package dev.vigil.operators.remediation;

import dev.vigil.operators.eventtime.EventTimeBuffer;
import dev.vigil.schema.RemediationCommand;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The fleet-wide gate (one key): commands wait for the watermark, are taken in (issued at, command
 * id) order and pass the per-action and global token buckets. Commands over a limit are counted
 * ({@code rateLimited}) and not sent; the others go on to their lifecycle, which signs them.
 */
public final class CommandDispatchFunction
        extends KeyedProcessFunction<Integer, RemediationCommand, RemediationCommand> {

    private static final long serialVersionUID = 1L;

    static final Comparator<RemediationCommand> ORDER =
            Comparator.comparing(RemediationCommand::getIssuedAt)
                    .thenComparing(RemediationCommand::getCommandId);

    private final RateLimits limits;
    private transient EventTimeBuffer<RemediationCommand> pending;
    private transient MapState<String, TokenBucket> perAction;
    private transient ValueState<TokenBucket> global;
    private transient Counter dispatched;
    private transient Counter rateLimited;

    public CommandDispatchFunction(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending =
                EventTimeBuffer.create(
                        getRuntimeContext(),
                        "waiting",
                        TypeInformation.of(RemediationCommand.class),
                        ORDER,
                        EventTimeBuffer.Late.nextWatermarkOr(BehindWatermark.WAIT));
        perAction =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "per-action",
                                        Types.STRING,
                                        TypeInformation.of(TokenBucket.class)));
        global =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("global", TokenBucket.class));
        dispatched = getRuntimeContext().getMetricGroup().counter("dispatched");
        rateLimited = getRuntimeContext().getMetricGroup().counter("rateLimited");
    }

    @Override
    public void processElement(RemediationCommand c, Context ctx, Collector<RemediationCommand> out)
            throws Exception {
        if (!pending.add(c, c.getIssuedAt().toEpochMilli(), ctx.timerService())) {
            dispatch(List.of(c), out); // the input has ended: no watermark follows
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RemediationCommand> out)
            throws Exception {
        dispatch(pending.release(timestamp, ctx.timeDomain()), out);
    }

    private void dispatch(List<RemediationCommand> ready, Collector<RemediationCommand> out)
            throws Exception {
        if (ready.isEmpty()) {
            return;
        }
        TokenBucket all = global.value();
        if (all == null) {
            all = new TokenBucket();
        }
        for (RemediationCommand c : ready) {
            long at = c.getIssuedAt().toEpochMilli();
            TokenBucket action = perAction.get(c.getAction());
            if (action == null) {
                action = new TokenBucket();
            }
            boolean ok =
                    action.take(at, limits.perAction(), limits.periodMillis())
                            && all.take(at, limits.global(), limits.periodMillis());
            perAction.put(c.getAction(), action);
            if (!ok) {
                rateLimited.inc();
                continue;
            }
            out.collect(c);
            dispatched.inc();
        }
        global.update(all);
    }
}
