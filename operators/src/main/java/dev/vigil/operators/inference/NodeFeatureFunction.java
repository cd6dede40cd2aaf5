package dev.vigil.operators.inference;

import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each node's {@link NodeFeatureWindow} in keyed state and emits the node's feature vector at
 * most once per {@code interval} of event time, once every metric has been seen. Keyed by node id;
 * only metric samples matter, other telemetry passes by untouched.
 *
 * <p>A sample older than the window holds (more than 16 minutes behind the node's newest) is not
 * added; it is counted in the {@code featureSamplesTooOld} metric, and the telemetry itself stays
 * on the {@code telemetry} topic for every other consumer.
 *
 * <p>A node without metric samples for {@link #QUIET_RETENTION} of event time (removed, renamed, or
 * down) is forgotten: its window held nothing younger anyway, and should it come back it warms up
 * afresh, as the models expect of a window. One timer per node per minute of samples.
 */
public final class NodeFeatureFunction
        extends KeyedProcessFunction<String, IngestedTelemetry, NodeFeatureVector> {

    private static final long serialVersionUID = 1L;

    /** Event time without metric samples after which a node's window is dropped. */
    public static final Duration QUIET_RETENTION = Duration.ofHours(1);

    private static final long MINUTE = 60_000L;

    private final long intervalMillis;
    private final long warmUpMillis;

    private transient ValueState<NodeFeatureWindow> window;
    private transient ValueState<Long> lastEmitted;
    private transient Counter tooOld;

    /**
     * @param interval least event time between two vectors of one node
     * @param warmUp event time a node's window must span before its first vector (the models are
     *     trained on windows with 15 minutes of history; a younger window looks anomalous)
     */
    public NodeFeatureFunction(Duration interval, Duration warmUp) {
        this.intervalMillis = interval.toMillis();
        this.warmUpMillis = warmUp.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        window =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "feature-window",
                                        NodeFeatureWindowSerializer.TypeInfo.INSTANCE));
        lastEmitted =
                getRuntimeContext().getState(new ValueStateDescriptor<>("last-vector", Long.class));
        tooOld = getRuntimeContext().getMetricGroup().counter("featureSamplesTooOld");
    }

    @Override
    public void processElement(IngestedTelemetry in, Context ctx, Collector<NodeFeatureVector> out)
            throws Exception {
        TelemetryEvent event = in.event;
        MetricSample m = event.getMetric();
        if (m == null) {
            return;
        }
        NodeFeatureWindow w = window.value();
        if (w == null) {
            w = new NodeFeatureWindow();
        }
        long t = event.getEventTime().toEpochMilli();
        long newestBefore = w.lastTime();
        boolean added = w.add(t, NodeFeatureWindow.values(m));
        if (!added) {
            tooOld.inc();
            return;
        }
        window.update(w);
        if (w.lastTime() > newestBefore
                && (newestBefore == Long.MIN_VALUE
                        || Math.floorDiv(w.lastTime(), MINUTE)
                                != Math.floorDiv(newestBefore, MINUTE))) {
            // a new minute of samples: the node is forgotten unless a sample comes by then
            ctx.timerService()
                    .registerEventTimeTimer(
                            (Math.floorDiv(w.lastTime(), MINUTE) + 1) * MINUTE
                                    + QUIET_RETENTION.toMillis());
        }
        Long last = lastEmitted.value();
        if (!w.complete()
                || t != w.lastTime()
                || w.historyMillis() < warmUpMillis
                || (last != null && t - last < intervalMillis)) {
            return;
        }
        lastEmitted.update(t);
        NodeIdentity node = event.getNode();
        out.collect(
                new NodeFeatureVector(
                        node.getHub(),
                        node.getRegion(),
                        node.getCluster(),
                        node.getNodeId(),
                        t,
                        w.features()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NodeFeatureVector> out)
            throws Exception {
        NodeFeatureWindow w = window.value();
        if (w != null && timestamp >= w.lastTime() + QUIET_RETENTION.toMillis()) {
            window.clear();
            lastEmitted.clear();
        }
    }
}
