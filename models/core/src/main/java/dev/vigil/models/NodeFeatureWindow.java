package dev.vigil.models;

import static dev.vigil.models.NodeFeatures.DISK;
import static dev.vigil.models.NodeFeatures.HORIZON_CAP_MINUTES;
import static dev.vigil.models.NodeFeatures.HOT_C;
import static dev.vigil.models.NodeFeatures.LATENCY;
import static dev.vigil.models.NodeFeatures.MEMORY;
import static dev.vigil.models.NodeFeatures.NET_IN;
import static dev.vigil.models.NodeFeatures.NET_OUT;
import static dev.vigil.models.NodeFeatures.RESPONSE_TIME;
import static dev.vigil.models.NodeFeatures.TEMPERATURE;

import dev.vigil.schema.MetricSample;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One node's recent metric samples, kept as per-minute sums over the last {@value #MINUTES} minutes
 * of event time, from which {@link #features} computes the {@link NodeFeatures} vector. Small and
 * fixed-size (about 2 KB), so it fits keyed state for every node of a large fleet.
 *
 * <p>Samples may arrive out of order: a sample is added to the bucket of its own minute as long as
 * that minute is still held; an older sample is refused and counted by the caller. {@code last} is
 * the sample with the newest event time, not the one that arrived last, so the minute statistics
 * depend only on which samples arrived, not on their arrival order (up to floating-point summation
 * order). The fast moving average takes only samples newer than the ones it has seen: a sample that
 * arrives after a newer one counts in the minute sums, not in {@code ewma_15s}.
 */
public final class NodeFeatureWindow {

    /** Minutes of history held. */
    public static final int MINUTES = 16;

    private static final int M = NodeFeatures.METRICS.size();
    private static final long MINUTE_MILLIS = 60_000L;

    /** Epoch minute held in each slot, or {@link Long#MIN_VALUE} for an empty slot. */
    private final long[] minute = new long[MINUTES];

    private final double[] sum = new double[MINUTES * M];
    private final int[] count = new int[MINUTES * M];
    private final double[] last = new double[M];
    private final double[] ewma = new double[M];
    private final double[] slow = new double[M];
    private final long[] ewmaTime = new long[M];
    private long lastTime = Long.MIN_VALUE;
    private long firstTime = Long.MAX_VALUE;
    private long newestMinute = Long.MIN_VALUE;
    private long samples;

    public NodeFeatureWindow() {
        Arrays.fill(minute, Long.MIN_VALUE);
        Arrays.fill(last, Double.NaN);
        Arrays.fill(ewma, Double.NaN);
        Arrays.fill(slow, Double.NaN);
    }

    /**
     * Converts one metric sample to the window's metric values, {@code NaN} where the sample has no
     * value.
     *
     * @param intervalMillis the sample interval that the network counters refer to
     */
    public static double[] values(
            Double cpu,
            Double memory,
            Double disk,
            Long networkInBytes,
            Long networkOutBytes,
            Double packetLoss,
            Double latencyMs,
            Double temperatureC,
            Double errorRate,
            Double responseTimeMs,
            long intervalMillis) {
        double seconds = Math.max(1, intervalMillis) / 1000.0;
        double[] v = new double[M];
        v[NodeFeatures.CPU] = value(cpu);
        v[MEMORY] = value(memory);
        v[DISK] = value(disk);
        v[NET_IN] =
                networkInBytes == null ? Double.NaN : StrictMath.log1p(networkInBytes / seconds);
        v[NET_OUT] =
                networkOutBytes == null ? Double.NaN : StrictMath.log1p(networkOutBytes / seconds);
        v[NodeFeatures.PACKET_LOSS] = value(packetLoss);
        v[LATENCY] = latencyMs == null ? Double.NaN : StrictMath.log1p(Math.max(0, latencyMs));
        v[TEMPERATURE] = value(temperatureC);
        v[NodeFeatures.ERROR_RATE] = value(errorRate);
        v[RESPONSE_TIME] =
                responseTimeMs == null ? Double.NaN : StrictMath.log1p(Math.max(0, responseTimeMs));
        return v;
    }

    /** The window's metric values of a telemetry metric sample. */
    public static double[] values(MetricSample m) {
        return values(
                m.getCpuPercent(),
                m.getMemoryPercent(),
                m.getDiskPercent(),
                m.getNetworkInBytes(),
                m.getNetworkOutBytes(),
                m.getPacketLossPercent(),
                m.getLatencyMs(),
                m.getTemperatureC(),
                m.getErrorRate(),
                m.getResponseTimeMs(),
                m.getIntervalMs());
    }

    private static double value(Double d) {
        return d == null || !Double.isFinite(d) ? Double.NaN : d;
    }

    /**
     * Adds a sample taken at {@code eventTime}.
     *
     * @param values from {@link #values}; {@code NaN} entries are skipped
     * @return false when the sample is older than the window holds and was not added
     */
    public boolean add(long eventTime, double[] values) {
        long m = Math.floorDiv(eventTime, MINUTE_MILLIS);
        if (newestMinute != Long.MIN_VALUE && m <= newestMinute - MINUTES) {
            return false;
        }
        int slot = (int) Math.floorMod(m, (long) MINUTES);
        if (minute[slot] != m) {
            if (minute[slot] != Long.MIN_VALUE && minute[slot] > m) {
                return false; // the slot already holds a newer minute
            }
            minute[slot] = m;
            Arrays.fill(sum, slot * M, slot * M + M, 0.0);
            Arrays.fill(count, slot * M, slot * M + M, 0);
        }
        boolean newest = eventTime >= lastTime;
        for (int i = 0; i < M; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            sum[slot * M + i] += v;
            count[slot * M + i]++;
            if (newest || Double.isNaN(last[i])) {
                last[i] = v;
            }
            if (Double.isNaN(ewma[i])) {
                ewma[i] = v;
                slow[i] = v;
                ewmaTime[i] = eventTime;
            } else if (eventTime > ewmaTime[i]) {
                double dt = eventTime - ewmaTime[i];
                ewma[i] +=
                        (1 - StrictMath.exp(-dt / (1000 * NodeFeatures.FAST_SECONDS)))
                                * (v - ewma[i]);
                slow[i] +=
                        (1 - StrictMath.exp(-dt / (1000 * NodeFeatures.SLOW_SECONDS)))
                                * (v - slow[i]);
                ewmaTime[i] = eventTime;
            }
        }
        if (newest) {
            lastTime = eventTime;
        }
        firstTime = Math.min(firstTime, eventTime);
        newestMinute = Math.max(newestMinute, m);
        samples++;
        return true;
    }

    /** Event time of the newest sample, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime() {
        return lastTime;
    }

    /**
     * Event time between the oldest and the newest sample ever added: how much history the
     * statistics rest on (they are only fully formed after 15 minutes).
     */
    public long historyMillis() {
        return samples == 0 ? 0 : lastTime - firstTime;
    }

    /** Samples added since the window was created. */
    public long samples() {
        return samples;
    }

    /** Whether every metric has a value yet. */
    public boolean complete() {
        for (double v : last) {
            if (Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the {@link NodeFeatures#NAMES} vector into {@code out} (length {@link
     * NodeFeatures#SIZE}). A metric that has never had a value contributes zeros.
     */
    public void features(double[] out) {
        int o = 0;
        for (int i = 0; i < M; i++) {
            double lastValue = Double.isNaN(last[i]) ? 0.0 : last[i];
            double mean1 = mean(i, 1, lastValue);
            double mean5 = mean(i, 5, lastValue);
            double mean15 = mean(i, 15, lastValue);
            out[o++] = lastValue;
            out[o++] = mean1;
            out[o++] = mean5;
            out[o++] = mean15;
            out[o++] = lastValue - mean5;
            out[o++] = rate(i, 5);
            out[o++] = rate(i, 15);
            out[o++] = Double.isNaN(ewma[i]) ? lastValue : ewma[i];
            out[o++] = slope(i);
        }
        out[o++] = minutesTo(100.0, last[MEMORY], Math.max(rate(MEMORY, 5), slope(MEMORY)));
        out[o++] = minutesTo(100.0, last[DISK], Math.max(rate(DISK, 5), slope(DISK)));
        out[o] =
                minutesTo(
                        HOT_C,
                        last[TEMPERATURE],
                        Math.max(rate(TEMPERATURE, 5), slope(TEMPERATURE)));
    }

    /** Convenience for {@link #features(double[])}. */
    public double[] features() {
        double[] out = new double[NodeFeatures.SIZE];
        features(out);
        return out;
    }

    /** {@code (ewma_15s − ewma_60s) / 45 s}, per minute; 0 before the first sample. */
    private double slope(int metric) {
        if (Double.isNaN(ewma[metric])) {
            return 0.0;
        }
        return (ewma[metric] - slow[metric])
                / (NodeFeatures.SLOW_SECONDS - NodeFeatures.FAST_SECONDS)
                * 60.0;
    }

    private double mean(int metric, int minutes, double fallback) {
        double s = 0;
        int n = 0;
        for (long m = newestMinute - minutes + 1; m <= newestMinute; m++) {
            int slot = held(m);
            if (slot >= 0) {
                s += sum[slot * M + metric];
                n += count[slot * M + metric];
            }
        }
        return n == 0 ? fallback : s / n;
    }

    /** Change per minute from the minute {@code minutes − 1} back (or the oldest held) to now. */
    private double rate(int metric, int minutes) {
        int newest = held(newestMinute);
        if (newest < 0 || count[newest * M + metric] == 0) {
            return 0.0;
        }
        double now = sum[newest * M + metric] / count[newest * M + metric];
        for (long m = newestMinute - minutes + 1; m < newestMinute; m++) {
            int slot = held(m);
            if (slot >= 0 && count[slot * M + metric] > 0) {
                double then = sum[slot * M + metric] / count[slot * M + metric];
                return (now - then) / (newestMinute - m);
            }
        }
        return 0.0;
    }

    private int held(long m) {
        if (m == Long.MIN_VALUE || newestMinute == Long.MIN_VALUE) {
            return -1;
        }
        int slot = (int) Math.floorMod(m, (long) MINUTES);
        return minute[slot] == m ? slot : -1;
    }

    private static double minutesTo(double limit, double level, double ratePerMinute) {
        if (Double.isNaN(level)) {
            return HORIZON_CAP_MINUTES;
        }
        if (level >= limit) {
            return 0.0;
        }
        if (ratePerMinute <= 1e-6) {
            return HORIZON_CAP_MINUTES;
        }
        return Math.min(HORIZON_CAP_MINUTES, (limit - level) / ratePerMinute);
    }

    /** Writes the window; {@link #readFrom} restores it exactly. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(lastTime);
        out.writeLong(firstTime);
        out.writeLong(newestMinute);
        out.writeLong(samples);
        for (int i = 0; i < M; i++) {
            out.writeDouble(last[i]);
            out.writeDouble(ewma[i]);
            out.writeDouble(slow[i]);
            out.writeLong(ewmaTime[i]);
        }
        for (int s = 0; s < MINUTES; s++) {
            out.writeLong(minute[s]);
            if (minute[s] == Long.MIN_VALUE) {
                continue;
            }
            for (int i = 0; i < M; i++) {
                out.writeDouble(sum[s * M + i]);
                out.writeInt(count[s * M + i]);
            }
        }
    }

    /** Reads a window written by {@link #writeTo}. */
    public static NodeFeatureWindow readFrom(DataInput in) throws IOException {
        NodeFeatureWindow w = new NodeFeatureWindow();
        w.lastTime = in.readLong();
        w.firstTime = in.readLong();
        w.newestMinute = in.readLong();
        w.samples = in.readLong();
        for (int i = 0; i < M; i++) {
            w.last[i] = in.readDouble();
            w.ewma[i] = in.readDouble();
            w.slow[i] = in.readDouble();
            w.ewmaTime[i] = in.readLong();
        }
        for (int s = 0; s < MINUTES; s++) {
            w.minute[s] = in.readLong();
            if (w.minute[s] == Long.MIN_VALUE) {
                continue;
            }
            for (int i = 0; i < M; i++) {
                w.sum[s * M + i] = in.readDouble();
                w.count[s * M + i] = in.readInt();
            }
        }
        return w;
    }

    /** A deep copy. */
    public NodeFeatureWindow copy() {
        NodeFeatureWindow w = new NodeFeatureWindow();
        System.arraycopy(minute, 0, w.minute, 0, MINUTES);
        System.arraycopy(sum, 0, w.sum, 0, sum.length);
        System.arraycopy(count, 0, w.count, 0, count.length);
        System.arraycopy(last, 0, w.last, 0, M);
        System.arraycopy(ewma, 0, w.ewma, 0, M);
        System.arraycopy(slow, 0, w.slow, 0, M);
        System.arraycopy(ewmaTime, 0, w.ewmaTime, 0, M);
        w.lastTime = lastTime;
        w.firstTime = firstTime;
        w.newestMinute = newestMinute;
        w.samples = samples;
        return w;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NodeFeatureWindow w)) {
            return false;
        }
        return lastTime == w.lastTime
                && firstTime == w.firstTime
                && newestMinute == w.newestMinute
                && samples == w.samples
                && Arrays.equals(minute, w.minute)
                && Arrays.equals(sum, w.sum)
                && Arrays.equals(count, w.count)
                && Arrays.equals(last, w.last)
                && Arrays.equals(ewma, w.ewma)
                && Arrays.equals(slow, w.slow)
                && Arrays.equals(ewmaTime, w.ewmaTime);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lastTime) * 31 + Long.hashCode(samples);
    }
}
