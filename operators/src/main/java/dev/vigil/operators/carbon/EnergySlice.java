package dev.vigil.operators.carbon;

import java.math.BigInteger;

/**
 * Energy drawn by one node from one supply between two instants of event time, in exact integer
 * units of half a microjoule (so that a trapezoid {@code (p1 + p2) / 2 · Δt} with power in
 * milliwatts and time in milliseconds is an integer).
 *
 * @param from start, UTC ms (inclusive)
 * @param to end, UTC ms (exclusive)
 * @param halfMicrojoules energy × 2, in µJ
 * @param method how the energy was obtained
 */
public record EnergySlice(long from, long to, long halfMicrojoules, Method method) {

    /** How a slice's energy was obtained. */
    public enum Method {
        /** Trapezoid between two power samples. */
        TRAPEZOID,
        /** Difference of two readings of the meter's cumulative counter. */
        COUNTER
    }

    public EnergySlice {
        if (to <= from) {
            throw new IllegalArgumentException("empty slice [" + from + ", " + to + ")");
        }
        if (halfMicrojoules < 0) {
            throw new IllegalArgumentException("negative energy " + halfMicrojoules);
        }
    }

    /** Energy in joules (for display; sums stay in integer units). */
    public double joules() {
        return halfMicrojoules / 2e6;
    }

    /**
     * Splits the slice at {@code at} (strictly inside it) in proportion to time, so that the two
     * parts add up to exactly this slice's energy: the first part is rounded half-up, the second is
     * the rest.
     */
    public EnergySlice[] splitAt(long at) {
        if (at <= from || at >= to) {
            throw new IllegalArgumentException(at + " is not inside [" + from + ", " + to + ")");
        }
        long first =
                BigInteger.valueOf(halfMicrojoules)
                        .multiply(BigInteger.valueOf(at - from))
                        .add(BigInteger.valueOf((to - from) / 2))
                        .divide(BigInteger.valueOf(to - from))
                        .longValueExact();
        return new EnergySlice[] {
            new EnergySlice(from, at, first, method),
            new EnergySlice(at, to, halfMicrojoules - first, method)
        };
    }
}
