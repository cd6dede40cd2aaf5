package dev.vigil.operators.carbon;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.ThreatAlert;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by region: when the marginal grid intensity rises to or above the threshold (from below, or
 * on the region's first record), emits a {@code shift_workload} recommendation as an operational
 * alert (rule {@value #RULE_ID}, severity BENIGN, grouped by region) for the remediation job.
 * Records are taken in {@code valid_from} order per region; an older one than the newest seen is
 * counted ({@code outOfOrderIntensities}) and ignored. Records without a marginal intensity leave
 * the state as it is.
 */
public final class ShiftWorkloadSignal
        extends KeyedProcessFunction<String, GridIntensity, ThreatAlert> {

    private static final long serialVersionUID = 1L;

    public static final String RULE_ID = "carbon.shift-workload";

    private final double thresholdGPerKwh;
    private transient ValueState<Long> newest;
    private transient ValueState<Boolean> above;
    private transient Counter outOfOrder;

    public ShiftWorkloadSignal(double thresholdGPerKwh) {
        this.thresholdGPerKwh = thresholdGPerKwh;
    }

    @Override
    public void open(OpenContext openContext) {
        newest = getRuntimeContext().getState(new ValueStateDescriptor<>("newest", Types.LONG));
        above = getRuntimeContext().getState(new ValueStateDescriptor<>("above", Types.BOOLEAN));
        outOfOrder = getRuntimeContext().getMetricGroup().counter("outOfOrderIntensities");
    }

    @Override
    public void processElement(GridIntensity g, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long validFrom = g.getValidFrom().toEpochMilli();
        Long last = newest.value();
        if (last != null && validFrom <= last) {
            outOfOrder.inc();
            return;
        }
        newest.update(validFrom);
        Double marginal = g.getMarginalGPerKwh();
        if (marginal == null) {
            return;
        }
        boolean now = marginal >= thresholdGPerKwh;
        boolean before = Boolean.TRUE.equals(above.value());
        above.update(now);
        if (now && !before) {
            out.collect(alert(g, marginal, ctx.timerService().currentWatermark()));
        }
    }

    private ThreatAlert alert(GridIntensity g, double marginal, long watermark) {
        long validFrom = g.getValidFrom().toEpochMilli();
        return ThreatAlert.newBuilder()
                .setAlertId("shift-workload-" + g.getRegion() + "-" + validFrom)
                .setRuleId(RULE_ID)
                .setRuleVersion(1)
                .setTitle(
                        String.format(
                                "shift_workload: marginal grid intensity in %s is %.1f g/kWh, at"
                                        + " or above %.1f g/kWh; move deferrable work to a cleaner"
                                        + " region or later",
                                g.getRegion(), marginal, thresholdGPerKwh))
                .setSeverity("BENIGN")
                .setMitreTechnique(null)
                .setGroupBy("region")
                .setGroupKey(g.getRegion())
                .setRegion(g.getRegion())
                .setRiskScore(0)
                .setRiskLevel("LOW")
                .setAnomalyComponent(0)
                .setBehaviouralComponent(0)
                .setEvidence(List.of())
                .setFirstEventTime(g.getValidFrom())
                .setLastEventTime(g.getValidFrom())
                .setDetectedAt(Instant.now())
                .setDetectionLatencyMs(
                        watermark == Long.MIN_VALUE ? 0 : Math.max(0, watermark - validFrom))
                .build();
    }
}
