package dev.vigil.operators.threat.enrich;

import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by node, in the node's own order of arrival: attaches {@link DerivedFeatures} to each event
 * — the sequence delta and time gap to the node's previous event, traffic relative to the node's
 * own baseline, and the previous metric sample of the same sensor. A node silent for {@link
 * #IDLE_AFTER} leaves no state.
 *
 * <p>Baselines are exponentially weighted means in event time, warmed up over {@link
 * #WARM_UP_SAMPLES} samples (no ratio until then) and not fed samples more than {@link
 * #OUTLIER_RATIO} times the baseline, so an attack cannot teach the baseline that it is normal.
 * They fall with a {@link #BASELINE_HALF_LIFE} half-life but rise with a {@link
 * #BASELINE_RISE_HALF_LIFE} one: traffic that creeps up over tens of minutes (an exfiltration that
 * ramps up) stays measured against what the node did before, while a node's daily rise in load
 * still moves it within hours.
 */
public final class TelemetryEnricher
        extends KeyedProcessFunction<String, IngestedTelemetry, EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    public static final Duration IDLE_AFTER = Duration.ofHours(1);
    public static final Duration BASELINE_HALF_LIFE = Duration.ofMinutes(30);
    public static final Duration BASELINE_RISE_HALF_LIFE = Duration.ofHours(6);
    public static final int WARM_UP_SAMPLES = 60;
    public static final double OUTLIER_RATIO = 3.0;

    /**
     * Traffic below this many bytes per second counts as this many, so tiny baselines do not
     * explode ratios.
     */
    private static final double FLOOR_BYTES_PER_SECOND = 1024;

    private final OperationsContext operations;

    private transient ValueState<NodeContext> node;
    private transient MapState<String, PreviousMetric> previous;

    /** An enricher with the default operations context (02:00-04:00 UTC, no automation). */
    public TelemetryEnricher() {
        this(OperationsContext.DEFAULT);
    }

    /**
     * @param operations the change windows and automation accounts operations declared
     */
    public TelemetryEnricher(OperationsContext operations) {
        this.operations = operations;
    }

    @Override
    public void open(OpenContext openContext) {
        node =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "node-context", TypeInformation.of(NodeContext.class)));
        previous =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "previous-metric",
                                        Types.STRING,
                                        TypeInformation.of(PreviousMetric.class)));
    }

    @Override
    public void processElement(IngestedTelemetry in, Context ctx, Collector<EnrichedEvent> out)
            throws Exception {
        TelemetryEvent event = in.event;
        long time = event.getEventTime().toEpochMilli();
        NodeContext context = node.value();
        if (context == null) {
            context = new NodeContext();
        }
        DerivedFeatures derived = new DerivedFeatures();
        long flags = operations.flags(event);
        derived.contextFlags = flags == 0 ? null : flags;
        if (context.lastSequence != null) {
            derived.sequenceDelta = event.getSequence() - context.lastSequence;
            derived.gapMs = time - context.lastEventTime;
        }
        if (in.copy > 0) {
            // a copy of an event already enriched: evidence of a retry or a replay, never a
            // new sample for the node's context
            derived.copy = (long) in.copy;
            long newest =
                    context.lastEventTime == null ? time : Math.max(time, context.lastEventTime);
            derived.copyAgeMs = newest - time;
            derived.arrivedAt = newest;
            out.collect(new EnrichedEvent(event, derived, in.partition, in.offset));
            return;
        }
        context.lastSequence =
                context.lastSequence == null
                        ? event.getSequence()
                        : Math.max(context.lastSequence, event.getSequence());
        context.lastEventTime =
                context.lastEventTime == null ? time : Math.max(context.lastEventTime, time);

        MetricSample metric = event.getMetric();
        if (metric != null) {
            double seconds = Math.max(1, metric.getIntervalMs()) / 1000.0;
            if (metric.getNetworkOutBytes() != null) {
                double perSecond = metric.getNetworkOutBytes() / seconds;
                derived.egressRatio =
                        ratio(perSecond, context.egressBaseline, context.baselineSamples);
                context.egressBaseline =
                        learn(
                                context.egressBaseline,
                                perSecond,
                                context.baselineSamples,
                                metric.getIntervalMs());
            }
            if (metric.getNetworkInBytes() != null) {
                double perSecond = metric.getNetworkInBytes() / seconds;
                derived.ingressRatio =
                        ratio(perSecond, context.ingressBaseline, context.baselineSamples);
                context.ingressBaseline =
                        learn(
                                context.ingressBaseline,
                                perSecond,
                                context.baselineSamples,
                                metric.getIntervalMs());
            }
            if (metric.getNetworkOutBytes() != null || metric.getNetworkInBytes() != null) {
                context.baselineSamples++;
            }
            String sensor = event.getSensorId();
            PreviousMetric last = previous.get(sensor);
            if (last != null) {
                derived.previousCpuPercent = last.cpuPercent;
                derived.previousMemoryPercent = last.memoryPercent;
                derived.previousDiskPercent = last.diskPercent;
                derived.previousTemperatureC = last.temperatureC;
                derived.previousPacketLossPercent = last.packetLossPercent;
                derived.previousEgressRatio = last.egressRatio;
                derived.previousIngressRatio = last.ingressRatio;
            }
            PreviousMetric now = new PreviousMetric();
            now.cpuPercent = metric.getCpuPercent();
            now.memoryPercent = metric.getMemoryPercent();
            now.diskPercent = metric.getDiskPercent();
            now.temperatureC = metric.getTemperatureC();
            now.packetLossPercent = metric.getPacketLossPercent();
            now.egressRatio = derived.egressRatio;
            now.ingressRatio = derived.ingressRatio;
            previous.put(sensor, now);
        }

        long idleAt = context.lastEventTime + IDLE_AFTER.toMillis();
        if (idleAt > context.cleanupAt + IDLE_AFTER.toMillis() / 4) {
            context.cleanupAt = idleAt;
            ctx.timerService().registerEventTimeTimer(idleAt);
        }
        node.update(context);
        out.collect(new EnrichedEvent(event, derived, in.partition, in.offset));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedEvent> out)
            throws Exception {
        NodeContext context = node.value();
        if (context != null && context.lastEventTime + IDLE_AFTER.toMillis() <= timestamp) {
            node.clear();
            previous.clear();
        }
    }

    private static Double ratio(double value, Double baseline, long samples) {
        if (baseline == null || samples < WARM_UP_SAMPLES) {
            return null;
        }
        return value / Math.max(baseline, FLOOR_BYTES_PER_SECOND);
    }

    private static Double learn(Double baseline, double value, long samples, long intervalMs) {
        if (baseline == null) {
            return value;
        }
        if (samples < WARM_UP_SAMPLES) {
            return baseline + (value - baseline) / (samples + 1);
        }
        if (value > OUTLIER_RATIO * Math.max(baseline, FLOOR_BYTES_PER_SECOND)) {
            return baseline;
        }
        double tau =
                (value > baseline ? BASELINE_RISE_HALF_LIFE : BASELINE_HALF_LIFE).toMillis()
                        / StrictMath.log(2);
        double alpha = 1 - StrictMath.exp(-Math.max(1, intervalMs) / tau);
        return baseline + alpha * (value - baseline);
    }
}
