package dev.vigil.operators.threat.engine;

import java.util.Arrays;

/**
 * One bucket of a node's anomaly strengths, as stored by {@link AnomalyRiskJoin}: {@code (time,
 * strength)} pairs in one {@code long[]} ({@code [t0, bits0, t1, bits1, ...]}, strengths as their
 * IEEE 754 bits), sorted by time. A primitive array serialises in one copy on either backend.
 */
final class StrengthBucket {

    private StrengthBucket() {}

    /** {@code bucket} (null: empty) with the strength at {@code time} set to {@code strength}. */
    static long[] with(long[] bucket, long time, double strength) {
        long bits = Double.doubleToLongBits(strength);
        if (bucket == null) {
            return new long[] {time, bits};
        }
        int n = bucket.length / 2;
        int i = 0;
        while (i < n && bucket[2 * i] < time) {
            i++;
        }
        if (i < n && bucket[2 * i] == time) {
            long[] copy = bucket.clone();
            copy[2 * i + 1] = bits;
            return copy;
        }
        long[] grown = Arrays.copyOf(bucket, bucket.length + 2);
        System.arraycopy(bucket, 2 * i, grown, 2 * i + 2, bucket.length - 2 * i);
        grown[2 * i] = time;
        grown[2 * i + 1] = bits;
        return grown;
    }

    /** The strength of the newest time in {@code [from, to]}, or null. */
    static Double newest(long[] bucket, long from, long to) {
        if (bucket == null) {
            return null;
        }
        for (int i = bucket.length / 2 - 1; i >= 0; i--) {
            long time = bucket[2 * i];
            if (time <= to) {
                return time >= from ? Double.longBitsToDouble(bucket[2 * i + 1]) : null;
            }
        }
        return null;
    }
}
