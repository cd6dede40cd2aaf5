package dev.vigil.operators.inference;

import dev.vigil.models.Scores;
import dev.vigil.schema.AnomalyScore;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Judges each node's anomaly scores against the node's own recent scores, not only against the
 * threshold calibrated on the training fleet: a fleet whose load, mix or hardware differ from the
 * training data reconstructs worse everywhere, and would otherwise look anomalous all the time.
 * Keyed by node, in the node's score order (event time).
 *
 * <p>Per node, an exponentially weighted mean and variance of the log score ({@link #HALF_LIFE} in
 * event time) fed only with scores that were not anomalous (an incident does not teach the node
 * that it is normal). A node that resembles the training fleet (its typical score below {@link
 * #FOREIGN_LEVEL} of the model's threshold) is judged by the model's threshold exactly as trained;
 * a node unlike it is judged by the larger of the model's threshold and its own bound {@code
 * exp(mean + Z * max(sd, MIN_SD))}. The score's {@code threshold} is the one applied and its
 * strength is recomputed against it ({@code score / (score + threshold)}). For its first {@link
 * #WARM_UP} scores a node is learned, not judged: they are never anomalous (a node starts quiet),
 * and their strength is measured against the larger of the model's threshold and the mean so far.
 * Counted: {@code calibratedScores}, {@code calibratedAnomalous}, and {@code uncalibratedAnomalous}
 * (scores above the model's threshold alone).
 */
public final class NodeScoreCalibration
        extends KeyedProcessFunction<String, AnomalyScore, AnomalyScore> {

    private static final long serialVersionUID = 1L;

    /** Scores a node is learned from before its scores are judged (one minute at 5 s). */
    public static final int WARM_UP = 12;

    /** Half-life of the node's score statistics, event time. */
    public static final Duration HALF_LIFE = Duration.ofHours(6);

    /** Standard deviations above the node's mean log score that make a score unusual. */
    public static final double Z = 4.0;

    /** Standard deviations beyond which a learned score is clipped. */
    public static final double CLIP = 2.0;

    /** Least spread assumed (log scale): bounds stay at least e^(Z * MIN_SD) above the mean. */
    public static final double MIN_SD = 0.15;

    /**
     * A node whose typical score (geometric mean) is at least this share of the model's threshold
     * is unlike the training fleet and gets its own bound; below, the model's threshold stands
     * exactly as trained.
     */
    public static final double FOREIGN_LEVEL = 0.5;

    /**
     * [count, mean, variance, last event time] of the log score, and the share of the node's
     * learned scores above the model's threshold (reported, not used).
     */
    private static final ValueStateDescriptor<double[]> STATS =
            new ValueStateDescriptor<>(
                    "score-statistics", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient ValueState<double[]> stats;
    private transient Counter scores;
    private transient Counter anomalous;
    private transient Counter uncalibrated;

    @Override
    public void open(OpenContext openContext) {
        stats = getRuntimeContext().getState(STATS);
        var metrics = getRuntimeContext().getMetricGroup();
        scores = metrics.counter("calibratedScores");
        anomalous = metrics.counter("calibratedAnomalous");
        uncalibrated = metrics.counter("uncalibratedAnomalous");
    }

    @Override
    public void processElement(AnomalyScore score, Context ctx, Collector<AnomalyScore> out)
            throws Exception {
        double[] s = stats.value();
        if (s == null) {
            s = new double[] {0, 0, 0, Double.NaN, 0};
        }
        double raw = score.getScore();
        double modelThreshold = score.getThreshold();
        long t = score.getEventTime().toEpochMilli();
        double x = Math.log(Math.max(raw, 1e-12));
        scores.inc();
        if (score.getAnomalous()) {
            uncalibrated.inc();
        }
        boolean warm = s[0] >= WARM_UP;
        double threshold;
        boolean flagged;
        boolean foreign = Math.exp(s[1]) >= FOREIGN_LEVEL * modelThreshold;
        if (warm && foreign) {
            double sd = Math.max(Math.sqrt(s[2]), MIN_SD);
            threshold = Math.max(modelThreshold, Math.exp(s[1] + Z * sd));
            flagged = raw > threshold;
        } else if (warm) {
            // like the training fleet: judged exactly as trained
            threshold = modelThreshold;
            flagged = raw > threshold;
        } else {
            threshold = s[0] == 0 ? modelThreshold : Math.max(modelThreshold, Math.exp(s[1]));
            flagged = false;
        }
        if (!flagged) {
            learn(s, x, t, raw > modelThreshold);
            stats.update(s);
        }
        if (flagged) {
            anomalous.inc();
        }
        out.collect(
                AnomalyScore.newBuilder(score)
                        .setThreshold(threshold)
                        .setAnomalous(flagged)
                        .setAnomalyStrength(Scores.strength(raw, threshold))
                        .build());
    }

    /** Folds {@code x} into the statistics: a running mean first, then exponential decay. */
    static void learn(double[] s, double x, long t, boolean aboveModelThreshold) {
        double weight;
        if (s[0] < WARM_UP) {
            weight = 1.0 / (s[0] + 1);
        } else {
            double gap = Double.isNaN(s[3]) ? 5_000 : Math.max(1, t - s[3]);
            weight = 1 - Math.exp(-gap * Math.log(2) / HALF_LIFE.toMillis());
        }
        if (s[0] >= 3) {
            // winsorised: one wild score (an incident while the node is learned, a zero from a
            // fallback) moves the statistics by a bounded step, not to a bound nothing exceeds
            double sd = Math.max(Math.sqrt(s[2]), MIN_SD);
            x = Math.max(s[1] - CLIP * sd, Math.min(s[1] + CLIP * sd, x));
        }
        double delta = x - s[1];
        s[1] += weight * delta;
        s[2] = (1 - weight) * (s[2] + weight * delta * delta);
        s[4] += weight * ((aboveModelThreshold ? 1 : 0) - s[4]);
        s[0]++;
        s[3] = Double.isNaN(s[3]) ? t : Math.max(s[3], t);
    }
}
