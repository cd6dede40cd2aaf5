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
 */
public final class NodeFeatureFunction
        extends KeyedProcessFunction<String, IngestedTelemetry, NodeFeatureVector> {

    private static final long serialVersionUID = 1L;

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
        boolean added = w.add(t, NodeFeatureWindow.values(m));
        if (!added) {
            tooOld.inc();
            return;
        }
        window.update(w);
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
}
