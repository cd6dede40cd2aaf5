package dev.vigil.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The node feature set, version {@value #SPEC}: what a node's recent metric samples look like to a
 * model. Training and serving compute it with the same code ({@link NodeFeatureWindow}), and a
 * model's metadata names the features it reads, in order; a model that names a feature this class
 * does not compute is rejected.
 *
 * <p>For each of the ten {@linkplain #METRICS metrics} there are nine statistics:
 *
 * <ul>
 *   <li>{@code last}: the newest sample's value;
 *   <li>{@code mean_1m}, {@code mean_5m}, {@code mean_15m}: the mean over the last 1, 5 and 15
 *       minutes of event time (whole minutes, the newest one partial);
 *   <li>{@code delta}: {@code last − mean_5m}, how far the node just moved from its recent level;
 *   <li>{@code rate_5m}, {@code rate_15m}: change per minute between the newest minute's mean and
 *       the mean of the minute 4 (14) minutes earlier, or the oldest minute held when the window is
 *       still shorter;
 *   <li>{@code ewma_15s}: an exponentially weighted mean with a {@value #FAST_SECONDS}-second time
 *       constant in event time, over the samples that arrived in event-time order;
 *   <li>{@code trend}: {@code (ewma_15s − ewma_60s) / 45 s}, per minute, where {@code ewma_60s} is
 *       the same average with a 60-second time constant: for a steady ramp this is the ramp's own
 *       rate, seen within tens of seconds instead of minutes, and far less noisy than a difference
 *       of raw samples.
 * </ul>
 *
 * and three times to a limit, in minutes, capped at {@value #HORIZON_CAP_MINUTES}: memory and disk
 * to 100 % and temperature to {@value #HOT_C} °C at the faster of the 5-minute rate and the trend.
 * Network counters become bytes per second; network counters, latency and response time enter as
 * {@code ln(1 + x)} so that a 10× surge is a step of about 2.3, not of 10×.
 */
public final class NodeFeatures {

    /** Identifies this feature set in model metadata. */
    public static final String SPEC = "node-features-v1";

    /** The metrics read from a {@code MetricSample}, in feature order. */
    public static final List<String> METRICS =
            List.of(
                    "cpu",
                    "memory",
                    "disk",
                    "net_in",
                    "net_out",
                    "packet_loss",
                    "latency",
                    "temperature",
                    "error_rate",
                    "response_time");

    /** The statistics computed per metric, in feature order. */
    public static final List<String> STATS =
            List.of(
                    "last",
                    "mean_1m",
                    "mean_5m",
                    "mean_15m",
                    "delta",
                    "rate_5m",
                    "rate_15m",
                    "ewma_15s",
                    "trend");

    /** The times to a limit, after the per-metric statistics. */
    public static final List<String> LIMITS =
            List.of(
                    "memory.minutes_to_full",
                    "disk.minutes_to_full",
                    "temperature.minutes_to_" + (int) NodeFeatures.HOT_C + "c");

    /** Times to a limit are capped here, and are this value when the metric is not rising. */
    public static final double HORIZON_CAP_MINUTES = 60.0;

    /** Time constant of the fast moving average, seconds. */
    public static final double FAST_SECONDS = 15.0;

    /** Time constant of the slow moving average behind {@code trend}, seconds. */
    public static final double SLOW_SECONDS = 60.0;

    /** Temperature limit of the time-to-limit feature, °C. */
    public static final double HOT_C = 40.0;

    /** All feature names, in the order {@link NodeFeatureWindow#features} writes them. */
    public static final List<String> NAMES = names();

    /** Number of features. */
    public static final int SIZE = NAMES.size();

    static final int CPU = 0;
    static final int MEMORY = 1;
    static final int DISK = 2;
    static final int NET_IN = 3;
    static final int NET_OUT = 4;
    static final int PACKET_LOSS = 5;
    static final int LATENCY = 6;
    static final int TEMPERATURE = 7;
    static final int ERROR_RATE = 8;
    static final int RESPONSE_TIME = 9;

    private NodeFeatures() {}

    /** Position of {@code name} in {@link #NAMES}, or −1. */
    public static int indexOf(String name) {
        return NAMES.indexOf(name);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String metric : METRICS) {
            for (String stat : STATS) {
                names.add(metric + "." + stat);
            }
        }
        names.addAll(LIMITS);
        return Collections.unmodifiableList(names);
    }
}
