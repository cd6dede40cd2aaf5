package dev.vigil.simulator.scenario;

import java.time.Duration;

/**
 * The fleet's approved change window: configuration changes happen daily between 02:00 and 04:00
 * UTC. Benign changes fall inside it; the config-change attack falls outside.
 */
public final class ChangeWindow {

    public static final int START_HOUR_UTC = 2;
    public static final int END_HOUR_UTC = 4;

    private ChangeWindow() {}

    /** True when {@code t} (epoch ms) lies inside the window. */
    public static boolean contains(long t) {
        long hour =
                Math.floorMod(t, Duration.ofDays(1).toMillis()) / Duration.ofHours(1).toMillis();
        return hour >= START_HOUR_UTC && hour < END_HOUR_UTC;
    }

    /** True when any instant of [start, end] lies inside the window. */
    public static boolean intersects(long start, long end) {
        for (long t = start; t <= end; t += 60_000) {
            if (contains(t)) {
                return true;
            }
        }
        return contains(end);
    }
}
