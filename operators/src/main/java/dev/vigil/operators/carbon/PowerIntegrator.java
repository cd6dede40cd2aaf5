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
        long mw = powerWatts == null ? -1 : Math.round(powerWatts * 1000.0);
        long uj = energyJoules == null ? -1 : Math.round(energyJoules * 1e6);
        if (time == lastTime) {
            duplicates++;
            return new Step(List.of(), 0, 0, true);
        }
        List<EnergySlice> slices = new ArrayList<>(1);
        long gapFrom = 0;
        long gapTo = 0;
        if (lastTime != Long.MIN_VALUE) {
            long dt = time - lastTime;
            if (dt > maxGapMillis) {
                gapFrom = lastTime;
                gapTo = time;
            } else if (uj >= 0 && lastMicrojoules >= 0 && uj >= lastMicrojoules) {
                slices.add(
                        new EnergySlice(
                                lastTime,
                                time,
                                Math.multiplyExact(uj - lastMicrojoules, 2),
                                EnergySlice.Method.COUNTER));
            } else if (mw >= 0 && lastMilliwatts >= 0) {
                if (uj >= 0 && lastMicrojoules >= 0) {
                    resets++; // the counter went back: fall back to power for this interval
                }
                slices.add(
                        new EnergySlice(
                                lastTime,
                                time,
                                Math.multiplyExact(Math.addExact(mw, lastMilliwatts), dt),
                                EnergySlice.Method.TRAPEZOID));
            } else {
                gapFrom = lastTime;
                gapTo = time;
            }
        }
        lastTime = time;
        lastMilliwatts = mw;
        lastMicrojoules = uj;
        return new Step(slices, gapFrom, gapTo, false);
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
