package dev.vigil.operators.carbon;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one node's samples from one supply, in event-time order, into energy slices: the meter's
 * cumulative counter where two consecutive readings have one and it did not reset, otherwise the
 * trapezoid between two power readings. An interval longer than {@code maxGapMillis} is not
 * integrated: it is reported as a gap (missing coverage). A sample at the same instant as the
 * previous one is a duplicate and changes nothing.
 *
 * <p>Power is taken in whole milliwatts (rounded half-up) and counters in whole microjoules, so
 * every slice is an exact integer and sums close to the last unit, whatever their grouping.
 */
public final class PowerIntegrator {

    /** What one sample produced. */
    public record Step(List<EnergySlice> slices, long gapFrom, long gapTo, boolean duplicate) {
        /** Whether the interval before this sample was too long to integrate. */
        public boolean gap() {
            return gapTo > gapFrom;
        }
    }

    private final long maxGapMillis;
    private long lastTime = Long.MIN_VALUE;
    private long lastMilliwatts = -1;
    private long lastMicrojoules = -1;
    private long duplicates;
    private long resets;

    public PowerIntegrator(long maxGapMillis) {
        this.maxGapMillis = maxGapMillis;
    }

    /**
     * Adds the next sample; {@code time} must not be earlier than the previous sample's.
     *
     * @param powerWatts instantaneous power, or null
     * @param energyJoules cumulative counter, or null
     */
    public Step add(long time, Double powerWatts, Double energyJoules) {
        if (time < lastTime) {
            throw new IllegalArgumentException(
                    "sample at " + time + " is older than the previous one at " + lastTime);
        }
        long mw = milliwatts(powerWatts);
        long uj = microjoules(energyJoules);
        if (time == lastTime) {
            duplicates++;
            return new Step(List.of(), 0, 0, true);
        }
        List<EnergySlice> slices = new ArrayList<>(1);
        long gapFrom = 0;
        long gapTo = 0;
        if (lastTime != Long.MIN_VALUE) {
            EnergySlice slice = between(lastTime, lastMilliwatts, lastMicrojoules, time, mw, uj);
            if (slice == null || time - lastTime > maxGapMillis) {
                gapFrom = lastTime;
                gapTo = time;
            } else {
                if (slice.method() == EnergySlice.Method.TRAPEZOID
                        && uj >= 0
                        && lastMicrojoules >= 0) {
                    resets++; // the counter went back: power covers this interval
                }
                slices.add(slice);
            }
        }
        lastTime = time;
        lastMilliwatts = mw;
        lastMicrojoules = uj;
        return new Step(slices, gapFrom, gapTo, false);
    }

    /**
     * The energy between two consecutive samples of one supply ({@code t1 < t2}), or null when it
     * cannot be integrated: the counter difference when both have a counter and it did not go back,
     * else the trapezoid of both powers. Powers are whole milliwatts and counters whole
     * microjoules, -1 when absent. The caller decides whether the interval is too long.
     */
    public static EnergySlice between(long t1, long mw1, long uj1, long t2, long mw2, long uj2) {
        if (uj1 >= 0 && uj2 >= uj1) {
            return new EnergySlice(
                    t1, t2, Math.multiplyExact(uj2 - uj1, 2), EnergySlice.Method.COUNTER);
        }
        if (mw1 >= 0 && mw2 >= 0) {
            return new EnergySlice(
                    t1,
                    t2,
                    Math.multiplyExact(Math.addExact(mw1, mw2), t2 - t1),
                    EnergySlice.Method.TRAPEZOID);
        }
        return null;
    }

    /** Whole milliwatts of a power in watts (half-up), or -1 when absent. */
    public static long milliwatts(Double watts) {
        return watts == null ? -1 : Math.max(0, Math.round(watts * 1000.0));
    }

    /** Whole microjoules of a counter in joules (half-up), or -1 when absent or negative. */
    public static long microjoules(Double joules) {
        return joules == null || joules < 0 ? -1 : Math.round(joules * 1e6);
    }

    /** Samples dropped as duplicates of the previous instant. */
    public long duplicates() {
        return duplicates;
    }

    /** Counter resets seen (intervals integrated from power instead). */
    public long resets() {
        return resets;
    }
}
