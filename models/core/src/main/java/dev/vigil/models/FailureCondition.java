package dev.vigil.models;

/**
 * When a node has failed, judged from its own telemetry: memory or disk at or above {@value
 * #FULL_PERCENT} %, or the hottest sensor at or above {@value #HOT_C} °C. Training labels and the
 * evaluation's incidents come from this condition, not from the simulator's scenario parameters, so
 * a predictor learns the failure, not one injection's shape.
 */
public final class FailureCondition {

    /** Memory or disk use at which a node counts as out of memory or disk, percent. */
    public static final double FULL_PERCENT = 97.0;

    /** Temperature at which a node counts as overheated, °C. */
    public static final double HOT_C = 38.0;

    private FailureCondition() {}

    /**
     * Whether a metric sample with these readings (null where absent) shows a failed node;
     * impossible readings (spoofing) do not count.
     */
    public static boolean failed(Double memoryPercent, Double diskPercent, Double temperatureC) {
        return atLeast(memoryPercent, FULL_PERCENT, 100.0)
                || atLeast(diskPercent, FULL_PERCENT, 100.0)
                || atLeast(temperatureC, HOT_C, 100.0);
    }

    private static boolean atLeast(Double value, double limit, double plausibleMax) {
        return value != null && value >= limit && value <= plausibleMax;
    }
}
