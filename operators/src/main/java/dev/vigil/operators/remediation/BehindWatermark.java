package dev.vigil.operators.remediation;

import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * When remediation work that arrived behind the watermark is done: with everything else behind it
 * at the next watermark, in order - decisions such as the rate budgets must not follow arrival
 * order - or, should event time not move again (a pause), after {@link #WAIT_MILLIS} of processing
 * time.
 */
final class BehindWatermark {

    /** How long work behind the watermark waits for the next one (processing time). */
    static final long WAIT_MILLIS = 5_000;

    private BehindWatermark() {}

    /**
     * Registers the timers for work behind the watermark; {@code false} when the input has ended
     * (no watermark follows): then the work is done at once.
     */
    static boolean schedule(TimerService timers) {
        long watermark = timers.currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            return false;
        }
        timers.registerEventTimeTimer(watermark + 1);
        timers.registerProcessingTimeTimer(timers.currentProcessingTime() + WAIT_MILLIS);
        return true;
    }

    /**
     * The event time up to which a timer of {@code domain} firing at {@code timestamp} releases.
     */
    static long upTo(long timestamp, TimeDomain domain, TimerService timers) {
        return domain == TimeDomain.EVENT_TIME ? timestamp : timers.currentWatermark();
    }
}
