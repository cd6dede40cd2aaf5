package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.rules.Severity;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each node's anomaly scores into the risk of its alerts, in event time: an alert whose last
 * event happened at {@code t} takes the anomaly strength of the node's newest score at or before
 * {@code t} (no older than {@code staleness}), and its risk is recomputed with it. Keyed by node
 * id; alerts without a single node pass by this operator.
 *
 * <p>An alert is released as soon as the watermark of both inputs has passed {@code t} — every
 * score up to {@code t} has then arrived, so a replay of the same topics gives the same risk — or
 * after {@code maxWait} of processing time, whichever comes first, so that a slow or stopped
 * inference job delays alerts by at most {@code maxWait} (the alert then uses what has arrived; the
 * {@code risk.anomalyJoinTimeouts} metric counts these). Without any score in range the anomaly
 * input stays at the documented neutral value {@link RiskScorer#NEUTRAL}.
 */
public final class AnomalyRiskJoin
        extends KeyedCoProcessFunction<String, ThreatAlert, AnomalyScore, ThreatAlert> {

    private static final long serialVersionUID = 1L;

    private final long staleness;
    private final long maxWait;

    /** Anomaly strength by score event time; scores older than the staleness are pruned. */
    private transient MapState<Long, Double> strengths;

    /** Alerts waiting for scores, by alert id. */
    private transient MapState<String, ThreatAlert> pending;

    private transient Counter timeouts;
    private transient Counter joined;

    public AnomalyRiskJoin(Duration staleness, Duration maxWait) {
        this.staleness = staleness.toMillis();
        this.maxWait = maxWait.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        strengths =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "anomaly-strengths", Types.LONG, Types.DOUBLE));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alerts-awaiting-scores",
                                        Types.STRING,
                                        TypeInformation.of(ThreatAlert.class)));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("risk");
        timeouts = metrics.counter("anomalyJoinTimeouts");
        joined = metrics.counter("anomalyJoined");
    }

    @Override
    public void processElement1(ThreatAlert alert, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long t = alert.getLastEventTime().toEpochMilli();
        if (ctx.timerService().currentWatermark() >= t) {
            out.collect(withRisk(alert));
            return;
        }
        pending.put(alert.getAlertId(), alert);
        ctx.timerService().registerEventTimeTimer(t);
        ctx.timerService()
                .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + maxWait);
    }

    @Override
    public void processElement2(AnomalyScore score, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long t = score.getEventTime().toEpochMilli();
        strengths.put(t, score.getAnomalyStrength());
        // keep what an alert can still ask for: scores within the staleness of the newest
        List<Long> old = new ArrayList<>();
        for (Long time : strengths.keys()) {
            if (time < t - 2 * staleness) {
                old.add(time);
            }
        }
        for (Long time : old) {
            strengths.remove(time);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ThreatAlert> out)
            throws Exception {
        boolean byWatermark = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        List<String> released = new ArrayList<>();
        for (Map.Entry<String, ThreatAlert> entry : pending.entries()) {
            ThreatAlert alert = entry.getValue();
            long t = alert.getLastEventTime().toEpochMilli();
            if (!byWatermark || t <= timestamp) {
                if (!byWatermark && ctx.timerService().currentWatermark() < t) {
                    timeouts.inc();
                }
                released.add(entry.getKey());
                out.collect(withRisk(alert));
            }
        }
        for (String id : released) {
            pending.remove(id);
        }
    }

    private ThreatAlert withRisk(ThreatAlert alert) throws Exception {
        long t = alert.getLastEventTime().toEpochMilli();
        long best = Long.MIN_VALUE;
        Double strength = null;
        for (Map.Entry<Long, Double> e : strengths.entries()) {
            long time = e.getKey();
            if (time <= t && time >= t - staleness && time > best) {
                best = time;
                strength = e.getValue();
            }
        }
        if (strength == null) {
            return alert;
        }
        joined.inc();
        double risk =
                RiskScorer.score(
                        Severity.valueOf(alert.getSeverity()),
                        strength,
                        alert.getBehaviouralComponent());
        return ThreatAlert.newBuilder(alert)
                .setAnomalyComponent(strength)
                .setRiskScore(risk)
                .setRiskLevel(RiskScorer.level(risk))
                .build();
    }
}
