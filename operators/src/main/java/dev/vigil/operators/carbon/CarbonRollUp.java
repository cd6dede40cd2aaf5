package dev.vigil.operators.carbon;

import dev.vigil.operators.eventtime.LateWork;
import dev.vigil.schema.CarbonReport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by roll-up window ({@link RollUpDelta#windowKey}): adds the node-minute changes addressed
 * to the window and reports it once the watermark is past its end plus the maximum gap (by then
 * every node-minute inside has closed), then once more, with {@code revision + 1}, after each
 * watermark that brought corrections (or a second after them, should the watermark not move). Sums
 * are exact integer sums of node-minute reports.
 */
public final class CarbonRollUp extends KeyedProcessFunction<String, RollUpDelta, CarbonReport> {

    private static final long serialVersionUID = 1L;

    /** State of one roll-up window. A Flink POJO. */
    public static class Window {
        public RollUpDelta address;
        public CarbonTotals totals = new CarbonTotals();
        public int revision = -1;
        public boolean dirty;

        public Window() {}
    }

    private final CarbonSettings settings;
    private transient ValueState<Window> windows;
    private transient Counter revisions;

    public CarbonRollUp(CarbonSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getState(new ValueStateDescriptor<>("roll-up", Window.class));
        revisions = getRuntimeContext().getMetricGroup().counter("revisions");
    }

    private long firstReport(RollUpDelta d) {
        return d.windowStart + d.windowSize - 1 + settings.maxGapMillis();
    }

    private long cleanup(RollUpDelta d) {
        // a node-minute is corrected at most allowed lateness + max gap after it closed
        return firstReport(d)
                + settings.allowedLatenessMillis()
                + 2 * settings.maxGapMillis()
                + 2 * NodeLedger.MINUTE;
    }

    @Override
    public void processElement(RollUpDelta d, Context ctx, Collector<CarbonReport> out)
            throws Exception {
        Window w = windows.value();
        if (w == null) {
            w = new Window();
            w.address = d;
            ctx.timerService().registerEventTimeTimer(firstReport(d));
            ctx.timerService().registerEventTimeTimer(cleanup(d));
        }
        w.totals.add(d.delta, 1);
        if (w.revision >= 0) {
            w.dirty = true;
            // the revision goes at the next watermark, taking every correction that came before
            // it; or at the next whole second, should the watermark not move again
            LateWork.schedule(ctx.timerService(), NodeCarbonFunction.CORRECTION_WAIT_MILLIS);
        }
        windows.update(w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CarbonReport> out)
            throws Exception {
        Window w = windows.value();
        if (w == null) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (w.revision >= 0 && w.dirty) {
                w.revision++;
                revisions.inc();
                report(w, out);
            }
            return;
        }
        if (timestamp >= cleanup(w.address)) {
            windows.clear();
            return;
        }
        if (w.revision < 0) {
            if (timestamp < firstReport(w.address)) {
                return;
            }
            w.revision = 0;
        } else if (w.dirty) {
            w.revision++;
            revisions.inc();
        } else {
            return;
        }
        report(w, out);
    }

    private void report(Window w, Collector<CarbonReport> out) throws Exception {
        w.dirty = false;
        RollUpDelta a = w.address;
        out.collect(
                CarbonReports.of(
                        a.level,
                        a.key,
                        a.hub,
                        a.region,
                        a.cluster,
                        a.windowStart,
                        a.windowSize,
                        w.totals,
                        w.revision,
                        settings));
        windows.update(w);
    }
}
