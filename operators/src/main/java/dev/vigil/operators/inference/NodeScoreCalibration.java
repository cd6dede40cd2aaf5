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
 * Judges each node's anomaly scores against the node's own usual scores as well as against the
 * threshold calibrated on the training fleet: a fleet whose load, mix or hardware differ from the
 * training data reconstructs worse everywhere and would otherwise look anomalous all the time.
 * Keyed by node, in the node's score order (event time), so the same scores give the same result.
 *
 * <p>Per node, a histogram of the log score ({@link #BIN_WIDTH} wide bins) whose weights decay with
 * a {@link #HALF_LIFE} half-life in event time; scores it flags are not added. From it, the node's
 * median and a robust spread ({@code (q90 - median) / 1.28}): an incident of minutes moves neither,
 * a fleet that is different for hours moves both. A node whose median lies below {@link
 * #FOREIGN_LEVEL} of the model's threshold resembles the training fleet and is judged by the
 * model's threshold exactly as trained; a node above it is judged by the larger of the model's
 * threshold and its own bound {@code exp(median + Z * max(spread, MIN_SPREAD))}. The score's {@code
 * threshold} is the one applied and its strength is recomputed against it ({@code score / (score +
 * threshold)}). For its first {@link #WARM_UP} scores a node is learned, not judged (it starts
 * quiet). Counted: {@code calibratedScores}, {@code calibratedAnomalous}, {@code
 * uncalibratedAnomalous} (scores above the model's threshold alone).
 */
public final class NodeScoreCalibration
        extends KeyedProcessFunction<String, AnomalyScore, AnomalyScore> {

    private static final long serialVersionUID = 1L;

    /** Scores a node is learned from before its scores are judged (one minute at 5 s). */
    public static final int WARM_UP = 12;

    /** Half-life of the histogram's weights, event time. */
    public static final Duration HALF_LIFE = Duration.ofHours(2);

    /** Robust standard deviations above the node's median log score that make a score unusual. */
    public static final double Z = 4.0;

    /** Least spread assumed (log scale). */
    public static final double MIN_SPREAD = 0.15;

    /**
     * A node whose median score is at least this share of the model's threshold is unlike the
     * training fleet and gets its own bound; below, the model's threshold stands as trained.
     */
    public static final double FOREIGN_LEVEL = 0.5;

    /** Log-score range and bin width of the histogram. */
    static final double LOW = -12;

    static final double BIN_WIDTH = 0.05;
    static final int BINS = 480;

    /**
     * [0] scores learned, [1] event time of the last, [2] the weights' scale exponent, then the
     * {@link #BINS} weights (stored relative to {@code exp(scale)} so decay is one number).
     */
    private static final ValueStateDescriptor<double[]> HISTOGRAM =
            new ValueStateDescriptor<>(
                    "score-histogram", PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final int HEAD = 3;

    private transient ValueState<double[]> histogram;
    private transient Counter scores;
    private transient Counter anomalous;
    private transient Counter uncalibrated;

    @Override
    public void open(OpenContext openContext) {
        histogram = getRuntimeContext().getState(HISTOGRAM);
        var metrics = getRuntimeContext().getMetricGroup();
        scores = metrics.counter("calibratedScores");
        anomalous = metrics.counter("calibratedAnomalous");
        uncalibrated = metrics.counter("uncalibratedAnomalous");
    }

    @Override
    public void processElement(AnomalyScore score, Context ctx, Collector<AnomalyScore> out)
            throws Exception {
        double[] h = histogram.value();
        if (h == null) {
            h = new double[HEAD + BINS];
            h[1] = Double.NaN;
        }
        double raw = score.getScore();
        double modelThreshold = score.getThreshold();
        long t = score.getEventTime().toEpochMilli();
        scores.inc();
        if (score.getAnomalous()) {
            uncalibrated.inc();
        }
        double threshold;
        boolean flagged;
        if (h[0] >= WARM_UP) {
            double median = quantile(h, 0.5);
            if (StrictMath.exp(median) >= FOREIGN_LEVEL * modelThreshold) {
                double spread = Math.max((quantile(h, 0.9) - median) / 1.2816, MIN_SPREAD);
                threshold = Math.max(modelThreshold, StrictMath.exp(median + Z * spread));
            } else {
                threshold = modelThreshold;
            }
            flagged = raw > threshold;
        } else {
            threshold =
                    h[0] == 0
                            ? modelThreshold
                            : Math.max(modelThreshold, StrictMath.exp(quantile(h, 0.5)));
            flagged = false;
        }
        if (!flagged) {
            add(h, StrictMath.log(Math.max(raw, 1e-300)), t);
            histogram.update(h);
        } else {
            anomalous.inc();
        }
        out.collect(
                AnomalyScore.newBuilder(score)
                        .setThreshold(threshold)
                        .setAnomalous(flagged)
                        .setAnomalyStrength(Scores.strength(raw, threshold))
                        .build());
    }

    /** Adds a log score at event time {@code t}: older weights count half per half-life. */
    static void add(double[] h, double x, long t) {
        double lambda = StrictMath.log(2) / HALF_LIFE.toMillis();
        if (!Double.isNaN(h[1]) && t > h[1]) {
            // the weights of earlier scores shrink by exp(-lambda * gap): raise the scale instead
            h[2] += lambda * (t - h[1]);
        }
        if (h[2] > 500) {
            // renormalise before the relative weights overflow
            double factor = StrictMath.exp(-h[2]);
            for (int i = HEAD; i < h.length; i++) {
                h[i] *= factor;
            }
            h[2] = 0;
        }
        int bin = (int) Math.floor((x - LOW) / BIN_WIDTH);
        bin = Math.max(0, Math.min(BINS - 1, bin));
        h[HEAD + bin] += StrictMath.exp(h[2]);
        h[0]++;
        h[1] = Double.isNaN(h[1]) ? t : Math.max(h[1], t);
    }

    /** The {@code p}-quantile of the log scores, at the centre of its bin. */
    static double quantile(double[] h, double p) {
        double total = 0;
        for (int i = HEAD; i < h.length; i++) {
            total += h[i];
        }
        double target = p * total;
        double sum = 0;
        for (int i = HEAD; i < h.length; i++) {
            sum += h[i];
            if (sum >= target) {
                return LOW + (i - HEAD + 0.5) * BIN_WIDTH;
            }
        }
        return LOW + (BINS - 0.5) * BIN_WIDTH;
    }
}
