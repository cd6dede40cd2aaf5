package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.rules.Severity;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each node's anomaly scores into the risk of its alerts, in event time: an alert whose last
 * event happened at {@code t} takes the anomaly strength of the node's newest score at or before
 * {@code t} (no older than {@code staleness}), and its risk is recomputed with it. Keyed by node
 * id; alerts without a single node pass by this operator.
 *
 * <p>An alert is released as soon as a score of its own node at or after {@code t} has arrived —
 * the inference job scores a node in event-time order and writes its scores to one partition, so
 * every score up to {@code t} is then here and a replay of the same topics gives the same risk — or
 * after {@code maxWait} of processing time, whichever comes first, so that a slow or stopped
 * inference job (or a node still warming up) delays alerts by at most {@code maxWait}: the alert
 * then uses what has arrived (the {@code risk.anomalyJoinTimeouts} metric counts these). Without
 * any score in range the anomaly input stays at the documented neutral value {@link
 * RiskScorer#NEUTRAL}. At the end of a bounded input every waiting alert goes out.
 *
 * <p>Readiness is the node's own scores, not the watermark: the anomalies topic falls idle whenever
 * the inference job pauses or lags, and an idle input no longer holds the operator's watermark, so
 * a watermark past {@code t} would not mean the scores up to {@code t} have arrived.
 */
public final class AnomalyRiskJoin
        extends KeyedCoProcessFunction<String, ThreatAlert, AnomalyScore, ThreatAlert> {

    private static final long serialVersionUID = 1L;

    private final long staleness;
    private final long maxWait;

    /** Anomaly strength by score event time; scores older than the staleness are pruned. */
    private transient MapState<Long, Double> strengths;

    /** The node's newest score time: every score up to it has arrived. */
    private transient ValueState<Long> scoredUpTo;

    /** Alerts waiting for scores, by alert id. */
    private transient MapState<String, ThreatAlert> pending;

    /** When each waiting alert goes out regardless (processing time), by alert id. */
    private transient MapState<String, Long> deadlines;

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
        scoredUpTo =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("scored-up-to", Types.LONG));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alerts-awaiting-scores",
                                        Types.STRING,
                                        TypeInformation.of(ThreatAlert.class)));
        deadlines =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "alert-deadlines", Types.STRING, Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("risk");
        timeouts = metrics.counter("anomalyJoinTimeouts");
        joined = metrics.counter("anomalyJoined");
    }

    @Override
    public void processElement1(ThreatAlert alert, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long t = alert.getLastEventTime().toEpochMilli();
        Long upTo = scoredUpTo.value();
        if (upTo != null && upTo >= t) {
            out.collect(withRisk(alert));
            return;
        }
        long deadline = ctx.timerService().currentProcessingTime() + maxWait;
        pending.put(alert.getAlertId(), alert);
        deadlines.put(alert.getAlertId(), deadline);
        ctx.timerService().registerProcessingTimeTimer(deadline);
        // processing-time timers do not fire once a bounded input has ended: the final watermark
        // releases what still waits
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void processElement2(AnomalyScore score, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long t = score.getEventTime().toEpochMilli();
        strengths.put(t, score.getAnomalyStrength());
        Long upTo = scoredUpTo.value();
        if (upTo == null || t > upTo) {
            scoredUpTo.update(t);
            upTo = t;
        }
        // keep what an alert can still ask for: scores within the staleness of the newest
        List<Long> old = new ArrayList<>();
        for (Long time : strengths.keys()) {
            if (time < upTo - 2 * staleness) {
                old.add(time);
            }
        }
        for (Long time : old) {
            strengths.remove(time);
        }
        release(upTo, Long.MIN_VALUE, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ThreatAlert> out)
            throws Exception {
        Long upTo = scoredUpTo.value();
        release(upTo == null ? Long.MIN_VALUE : upTo, timestamp, out);
    }

    /**
     * Releases the waiting alerts whose scores have arrived (last event at or before {@code
     * scored}) or whose wait ended (deadline at or before {@code now}), in event-time order, then
     * by id: the same order in a replay.
     */
    private void release(long scored, long now, Collector<ThreatAlert> out) throws Exception {
        List<ThreatAlert> released = new ArrayList<>();
        int waitedOut = 0;
        for (ThreatAlert alert : pending.values()) {
            if (alert.getLastEventTime().toEpochMilli() <= scored) {
                released.add(alert);
            } else {
                Long deadline = deadlines.get(alert.getAlertId());
                if (deadline == null || deadline <= now) {
                    released.add(alert);
                    waitedOut++;
                }
            }
        }
        timeouts.inc(waitedOut);
        released.sort(
                Comparator.comparing(ThreatAlert::getLastEventTime)
                        .thenComparing(ThreatAlert::getAlertId));
        for (ThreatAlert alert : released) {
            pending.remove(alert.getAlertId());
            deadlines.remove(alert.getAlertId());
            out.collect(withRisk(alert));
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
