package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.rules.Severity;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each node's anomaly scores into the risk of its alerts, in event time: an alert whose last
 * event happened at {@code t} takes the anomaly strength of the node's newest score at or before
 * {@code t} (no older than {@code staleness}), and its risk is recomputed with it. Keyed by node
 * id; alerts without a single node pass by this operator.
 *
 * <p>The inference job scores a node in event-time order, writes its scores to one partition and
 * scores a node at most once per {@code interval} of event time (its {@code inference.interval}).
 * So once a score of the node at {@code s} has arrived, every score up to {@code s} is here and the
 * next one will be at {@code s + interval} or later: an alert with {@code t < s + interval} knows
 * its newest score at or before {@code t} and is released at once, with the risk a replay of the
 * same topics gives too. Otherwise it waits for the node's next score, at most for a wait derived
 * from the inference job's output cadence: scores become visible when the inference job commits
 * (its checkpoints), so the operator measures the processing time between batches of arriving
 * scores, and an alert waits twice the longest of the recent gaps plus a second (until a gap is
 * measured, twice {@code expectedCadence}), never more than {@code maxWait}. An alert that waited
 * out uses what has arrived (counted in {@code risk.anomalyJoinTimeouts}); without any score in
 * range the anomaly input stays at the documented neutral value {@link RiskScorer#NEUTRAL} (counted
 * in {@code risk.neutralAlerts}, out of {@code risk.alerts}). At the end of a bounded input every
 * waiting alert goes out.
 *
 * <p><b>Restarts.</b> A wait only runs out while scores are arriving. After a (re)start the
 * inference job restores and reads its backlog before its first scores come, and the measured
 * cadence is gone: an alert of a node that has been scored, restored from state or arriving before
 * any score has arrived since the start, waits until scores flow again and then one more wait, at
 * most {@code outageWait} after the start (the inference job down for good: alerts then go out at
 * their usual wait). Without this, an alert restored from a checkpoint found its processing-time
 * deadline already past and went out without its score, with another risk than in an uninterrupted
 * run. A node never scored (still warming up) has nothing to wait for.
 *
 * <p><b>State.</b> Strengths are indexed by event time in buckets of {@code staleness}: a score
 * touches its own bucket, an alert reads at most two, and buckets older than twice the staleness
 * behind the node's newest score are dropped as scores arrive. A node whose scores stop (removed,
 * renamed) keeps nothing once event time is {@link #QUIET_RETENTION_MILLIS} past its last score
 * plus twice the staleness; an alert that arrives after that with a last event that old takes the
 * neutral value.
 *
 * <p>Readiness is the node's own scores, not the watermark: the anomalies topic falls idle whenever
 * the inference job pauses or lags, and an idle input no longer holds the operator's watermark, so
 * a watermark past {@code t} would not mean the scores up to {@code t} have arrived.
 */
public final class AnomalyRiskJoin
        extends KeyedCoProcessFunction<String, ThreatAlert, AnomalyScore, ThreatAlert> {

    private static final long serialVersionUID = 1L;

    /** Arrivals closer than this belong to one batch of scores (one commit of the scores). */
    static final long BATCH_GAP_MS = 250;

    /** Gaps between score batches the wait is derived from. */
    static final int CADENCE_SAMPLES = 16;

    /** Event time a node's scores are kept beyond their use, once its scores stopped. */
    public static final long QUIET_RETENTION_MILLIS = 3_600_000L;

    /** Beyond this many buckets to drop, the bucket keys are scanned instead of counted. */
    private static final int MAX_BUCKET_STEPS = 64;

    private final long staleness;
    private final long interval;
    private final long expectedCadence;
    private final long maxWait;
    private final long outageWait;

    /**
     * Anomaly strengths by bucket of {@code staleness} event time: (time, strength) pairs sorted by
     * time ({@link StrengthBucket}).
     */
    private transient MapState<Long, long[]> strengths;

    /** The oldest bucket that may hold strengths. */
    private transient ValueState<Long> oldestBucket;

    /** The node's newest score time: every score up to it has arrived. */
    private transient ValueState<Long> scoredUpTo;

    /** Alerts waiting for scores, by alert id. */
    private transient MapState<String, ThreatAlert> pending;

    /** When each waiting alert goes out regardless (processing time), by alert id. */
    private transient MapState<String, Long> deadlines;

    private transient Counter timeouts;
    private transient Counter joined;
    private transient Counter alertsOut;
    private transient Counter neutral;

    /** Processing time the current batch of scores started arriving; MIN_VALUE before any. */
    private transient long batchStart;

    /** Processing time of the newest score's arrival. */
    private transient long lastArrival;

    /** The recent gaps between score batches, a ring. */
    private transient long[] gaps;

    private transient int gapCount;

    /** Processing time of the first callback since this instance opened; MIN_VALUE before. */
    private transient long openedAt;

    /** Processing time the first score arrived since this instance opened; MIN_VALUE before. */
    private transient long liveSince;

    /**
     * @param staleness oldest score (before the alert's last event) that still counts
     * @param interval least event time between two scores of one node (the inference job's {@code
     *     inference.interval}, or less)
     * @param expectedCadence processing time between the inference job's commits assumed until
     *     measured (its {@code checkpoint.interval})
     * @param maxWait the longest any alert waits while scores are arriving, whatever the measured
     *     cadence
     * @param outageWait the longest an alert waits after a (re)start while no score has arrived
     *     since
     */
    public AnomalyRiskJoin(
            Duration staleness,
            Duration interval,
            Duration expectedCadence,
            Duration maxWait,
            Duration outageWait) {
        this.staleness = staleness.toMillis();
        this.interval = interval.toMillis();
        this.expectedCadence = expectedCadence.toMillis();
        this.maxWait = maxWait.toMillis();
        this.outageWait = outageWait.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        strengths =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "anomaly-strength-buckets",
                                        Types.LONG,
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        oldestBucket =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("oldest-strength-bucket", Types.LONG));
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
        alertsOut = metrics.counter("alerts");
        neutral = metrics.counter("neutralAlerts");
        metrics.gauge("anomalyWaitMs", (Gauge<Long>) this::currentWait);
        batchStart = Long.MIN_VALUE;
        lastArrival = Long.MIN_VALUE;
        gaps = new long[CADENCE_SAMPLES];
        gapCount = 0;
        openedAt = Long.MIN_VALUE;
        liveSince = Long.MIN_VALUE;
    }

    private void opened(long now) {
        if (openedAt == Long.MIN_VALUE) {
            openedAt = now;
        }
    }

    /**
     * When an alert whose own deadline is {@code deadline} may go out without its score: for a node
     * that has been scored ({@code scored} not null), not before scores have flowed for a whole
     * wait since the start, or the outage bound passed; a node never scored (still warming up) has
     * nothing to wait for beyond its wait.
     */
    private long effectiveDeadline(long deadline, Long scored) {
        if (scored == null) {
            return deadline;
        }
        if (liveSince == Long.MIN_VALUE) {
            return Math.max(deadline, openedAt + outageWait);
        }
        return Math.max(deadline, Math.min(liveSince + currentWait(), openedAt + outageWait));
    }

    /**
     * How long an alert arriving now may wait for its node's next score: twice the longest recent
     * gap between score batches plus a second, at most {@code maxWait}.
     */
    long currentWait() {
        long longest = 0;
        for (int i = 0; i < Math.min(gapCount, CADENCE_SAMPLES); i++) {
            longest = Math.max(longest, gaps[i]);
        }
        long cadence = gapCount == 0 ? expectedCadence : longest;
        return Math.min(maxWait, 2 * cadence + 1_000);
    }

    private void scoreArrived(long now) {
        if (liveSince == Long.MIN_VALUE) {
            liveSince = now;
        }
        if (batchStart != Long.MIN_VALUE && now - lastArrival > BATCH_GAP_MS) {
            gaps[gapCount % CADENCE_SAMPLES] = now - batchStart;
            gapCount++;
            batchStart = now;
        } else if (batchStart == Long.MIN_VALUE) {
            batchStart = now;
        }
        lastArrival = now;
    }

    /** True when every score that can decide the alert's risk has arrived. */
    private boolean decided(long alertTime, Long scoredUpTo) {
        return scoredUpTo != null && (alertTime <= scoredUpTo || alertTime < scoredUpTo + interval);
    }

    @Override
    public void processElement1(ThreatAlert alert, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        opened(now);
        long t = alert.getLastEventTime().toEpochMilli();
        if (decided(t, scoredUpTo.value())) {
            out.collect(withRisk(alert));
            return;
        }
        long deadline = now + currentWait();
        pending.put(alert.getAlertId(), alert);
        deadlines.put(alert.getAlertId(), deadline);
        ctx.timerService()
                .registerProcessingTimeTimer(effectiveDeadline(deadline, scoredUpTo.value()));
        // processing-time timers do not fire once a bounded input has ended: the final watermark
        // releases what still waits
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void processElement2(AnomalyScore score, Context ctx, Collector<ThreatAlert> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        opened(now);
        scoreArrived(now);
        long t = score.getEventTime().toEpochMilli();
        long bucket = Math.floorDiv(t, staleness);
        strengths.put(
                bucket, StrengthBucket.with(strengths.get(bucket), t, score.getAnomalyStrength()));
        Long oldest = oldestBucket.value();
        if (oldest == null || bucket < oldest) {
            oldestBucket.update(bucket);
        }
        Long upTo = scoredUpTo.value();
        if (upTo == null || t > upTo) {
            scoredUpTo.update(t);
            upTo = t;
            // forgotten once the node has been quiet long enough (whole buckets: one timer per
            // node per bucket)
            ctx.timerService()
                    .registerEventTimeTimer(
                            (Math.floorDiv(forgetAfter(upTo), staleness) + 1) * staleness);
        }
        dropBucketsBefore(Math.floorDiv(cutoff(upTo), staleness));
        release(upTo, Long.MIN_VALUE, ctx.timerService(), out);
    }

    /** Scores older than this, for a node scored up to {@code upTo}, no longer count. */
    private long cutoff(long upTo) {
        return upTo - 2 * staleness;
    }

    /** When a node scored up to {@code upTo} and quiet since is forgotten (event time). */
    private long forgetAfter(long upTo) {
        return upTo + 2 * staleness + QUIET_RETENTION_MILLIS;
    }

    /** Removes the strength buckets below {@code limit}. */
    private void dropBucketsBefore(long limit) throws Exception {
        Long oldest = oldestBucket.value();
        if (oldest == null || oldest >= limit) {
            return;
        }
        if (limit - oldest > MAX_BUCKET_STEPS) {
            List<Long> old = new ArrayList<>();
            for (Long b : strengths.keys()) {
                if (b < limit) {
                    old.add(b);
                }
            }
            for (Long b : old) {
                strengths.remove(b);
            }
        } else {
            for (long b = oldest; b < limit; b++) {
                strengths.remove(b);
            }
        }
        oldestBucket.update(limit);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ThreatAlert> out)
            throws Exception {
        opened(ctx.timerService().currentProcessingTime());
        Long upTo = scoredUpTo.value();
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME && timestamp != Long.MAX_VALUE) {
            forgetIfQuiet(upTo, ctx.timerService());
            return;
        }
        release(upTo, timestamp, ctx.timerService(), out);
    }

    /**
     * Releases the waiting alerts whose scores have arrived (decided by the node's scores up to
     * {@code scored}) or whose wait ended (its {@link #effectiveDeadline} at or before {@code
     * now}), in event-time order, then by id: the same order in a replay. An alert whose own
     * deadline passed while no scores flow is checked again a wait later.
     */
    private void release(Long scored, long now, TimerService timers, Collector<ThreatAlert> out)
            throws Exception {
        List<ThreatAlert> released = new ArrayList<>();
        int waitedOut = 0;
        long recheck = Long.MAX_VALUE;
        for (ThreatAlert alert : pending.values()) {
            if (decided(alert.getLastEventTime().toEpochMilli(), scored)) {
                released.add(alert);
            } else {
                Long deadline = deadlines.get(alert.getAlertId());
                long effective = deadline == null ? now : effectiveDeadline(deadline, scored);
                if (effective <= now) {
                    released.add(alert);
                    waitedOut++;
                } else if (deadline <= now) {
                    recheck = Math.min(recheck, Math.min(effective, now + currentWait()));
                }
            }
        }
        if (recheck != Long.MAX_VALUE) {
            timers.registerProcessingTimeTimer(recheck);
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
        if (!released.isEmpty()) {
            forgetIfQuiet(scored, timers);
        }
    }

    /**
     * Forgets a node whose scores stopped: once event time is past {@link #forgetAfter} its newest
     * score and no alert waits (the release of the last one calls this again).
     */
    private void forgetIfQuiet(Long upTo, TimerService timers) throws Exception {
        if (upTo != null && timers.currentWatermark() > forgetAfter(upTo) && pending.isEmpty()) {
            strengths.clear();
            oldestBucket.clear();
            scoredUpTo.clear();
        }
    }

    private ThreatAlert withRisk(ThreatAlert alert) throws Exception {
        alertsOut.inc();
        long t = alert.getLastEventTime().toEpochMilli();
        Long upTo = scoredUpTo.value();
        // the newest score in [t - staleness, t] not yet pruned; the range spans two buckets
        long from = Math.max(t - staleness, upTo == null ? Long.MIN_VALUE : cutoff(upTo));
        long bucket = Math.floorDiv(t, staleness);
        Double strength = StrengthBucket.newest(strengths.get(bucket), from, t);
        if (strength == null) {
            strength = StrengthBucket.newest(strengths.get(bucket - 1), from, t);
        }
        if (strength == null) {
            neutral.inc();
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
