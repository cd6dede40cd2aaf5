package dev.vigil.operators.carbon;

import dev.vigil.operators.eventtime.LateWork;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.TelemetryEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by node: keeps the node's {@link NodeLedger} and the broadcast grid-intensity timelines of
 * all regions, and emits one {@link NodeMinute} per closed minute plus one per correction.
 *
 * <p>Samples wait for the watermark (timers on whole seconds), so reports depend on event time
 * only. A late sample is corrected at the next watermark, or at the next second of processing time
 * when the watermark has not moved by then. Events later than the allowed lateness go to {@link
 * #TOO_LATE} (counted as {@code tooLateEvents}); the job turns them into dead letters. Grid
 * intensities arriving after their validity began are counted ({@code lateGridChanges}) and make
 * every node of the region recompute what it still holds.
 */
public final class NodeCarbonFunction
        extends KeyedBroadcastProcessFunction<
                String, IngestedTelemetry, GridIntensity, NodeMinute> {

    private static final long serialVersionUID = 1L;

    /** Events later than the allowed lateness. */
    public static final OutputTag<IngestedTelemetry> TOO_LATE =
            new OutputTag<>("carbon-too-late", TypeInformation.of(IngestedTelemetry.class));

    /** Grid-intensity timelines by region. */
    public static final MapStateDescriptor<String, GridTimeline> TIMELINES =
            new MapStateDescriptor<>(
                    "grid-timelines", Types.STRING, CarbonStateSerializers.TimelineType.INSTANCE);

    private final CarbonSettings settings;
    private transient ValueState<NodeLedger> ledgers;
    private transient Counter tooLate;
    private transient Counter lateSamples;
    private transient Counter revisions;
    private transient Counter lateGridChanges;

    public NodeCarbonFunction(CarbonSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        ledgers =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "node-ledger", CarbonStateSerializers.LedgerType.INSTANCE));
        tooLate = getRuntimeContext().getMetricGroup().counter("tooLateEvents");
        lateSamples = getRuntimeContext().getMetricGroup().counter("lateEvents");
        revisions = getRuntimeContext().getMetricGroup().counter("revisions");
        lateGridChanges = getRuntimeContext().getMetricGroup().counter("lateGridChanges");
    }

    @Override
    public void processElement(IngestedTelemetry in, ReadOnlyContext ctx, Collector<NodeMinute> out)
            throws Exception {
        TelemetryEvent e = in.event;
        long time = e.getEventTime().toEpochMilli();
        NodeLedger ledger = ledgers.value();
        if (ledger == null) {
            ledger = new NodeLedger();
        }
        NodeIdentity id = e.getNode();
        String series = null;
        long milliwatts = -1;
        long microjoules = -1;
        PowerSample power = e.getPower();
        if (power != null) {
            series = power.getSource();
            milliwatts = PowerIntegrator.milliwatts(power.getPowerW());
            microjoules = PowerIntegrator.microjoules(power.getEnergyJ());
        } else if (e.getMetric() != null && e.getMetric().getCpuPercent() != null) {
            series = NodeLedger.UTILISATION;
            milliwatts =
                    settings.nodeClass(id.getNodeClass())
                            .estimateMilliwatts(e.getMetric().getCpuPercent());
        }
        NodeLedger.Offer offer =
                ledger.offer(time, e.getSequence(), series, milliwatts, microjoules, settings);
        if (offer == NodeLedger.Offer.TOO_LATE) {
            tooLate.inc();
            ctx.output(TOO_LATE, in);
            return;
        }
        ledger.identify(
                id.getHub(),
                id.getRegion(),
                id.getCluster(),
                id.getNodeId(),
                id.getSiteId(),
                id.getNodeClass());
        if (offer == NodeLedger.Offer.LATE) {
            lateSamples.inc();
            // corrected at the next watermark, or at the next whole second should it not move
            // again (the input ended or paused): corrections made then are the same, only sooner
            LateWork.schedule(ctx.timerService(), CORRECTION_WAIT_MILLIS);
        } else {
            ctx.timerService().registerEventTimeTimer(Math.floorDiv(time, 1000) * 1000 + 999);
        }
        ledgers.update(ledger);
    }

    /** How long a correction waits for the next watermark (processing time, to a whole second). */
    static final long CORRECTION_WAIT_MILLIS = 1000;

    /**
     * Event-time timers, and the processing-time fallback for late samples: both advance to the
     * watermark.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NodeMinute> out)
            throws Exception {
        NodeLedger ledger = ledgers.value();
        if (ledger == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        ReadOnlyBroadcastState<String, GridTimeline> timelines = ctx.getBroadcastState(TIMELINES);
        List<NodeMinute> reports =
                ledger.advance(watermark, timelines.get(ledger.region()), settings);
        for (NodeMinute r : reports) {
            if (r.revision > 0) {
                revisions.inc();
            }
            out.collect(r);
        }
        if (ledger.idle(settings)) {
            ledgers.clear();
            return;
        }
        long next = ledger.nextCloseTime(settings);
        if (next != Long.MAX_VALUE && next > watermark) {
            ctx.timerService().registerEventTimeTimer(next);
        }
        ledgers.update(ledger);
    }

    @Override
    public void processBroadcastElement(GridIntensity g, Context ctx, Collector<NodeMinute> out)
            throws Exception {
        BroadcastState<String, GridTimeline> timelines = ctx.getBroadcastState(TIMELINES);
        GridTimeline timeline = timelines.get(g.getRegion());
        if (timeline == null) {
            timeline = new GridTimeline();
        }
        long watermark = ctx.currentWatermark();
        long before = timeline.lateChanges();
        timeline.add(g, watermark);
        if (timeline.lateChanges() > before) {
            lateGridChanges.inc();
        }
        if (watermark != Long.MIN_VALUE) {
            timeline.pruneBefore(
                    watermark
                            - settings.allowedLatenessMillis()
                            - settings.maxGapMillis()
                            - NodeLedger.MINUTE);
        }
        timelines.put(g.getRegion(), timeline);
    }
}
