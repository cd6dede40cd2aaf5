package dev.vigil.operators.eventtime;

import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * When keyed work that arrived behind the watermark is done: with everything else the next
 * watermark brings, in event-time order (decisions such as rate budgets or corrections must not
 * follow arrival order), or, should event time not move again (a pause, the end of the input),
 * after a wait of processing time. The wait ends on a whole second, so the late work of a burst
 * shares one timer per key.
 *
 * <p>The one place that schedules late work: {@link EventTimeBuffer} uses it for elements, the
 * carbon ledger and roll-ups for corrections.
 */
public final class LateWork {

    private LateWork() {}

    /**
     * Registers the timers for work behind the watermark: an event-time timer that fires with the
     * next watermark and a processing-time timer {@code waitMillis} from now (rounded down to a
     * whole second). Returns {@code false} when the input has ended (the watermark is {@code
     * Long.MAX_VALUE}, none follows): then only the processing-time timer is registered.
     */
    public static boolean schedule(TimerService timers, long waitMillis) {
        timers.registerProcessingTimeTimer(
                fallbackTime(timers.currentProcessingTime(), waitMillis));
        long watermark = timers.currentWatermark();
        if (watermark == Long.MAX_VALUE) {
            return false;
        }
        timers.registerEventTimeTimer(watermark + 1);
        return true;
    }

    /** The processing time at which late work waits no longer. */
    static long fallbackTime(long now, long waitMillis) {
        return Math.floorDiv(now, 1000) * 1000 + waitMillis;
    }

    /**
     * The event time up to which a timer of {@code domain} firing at {@code timestamp} releases:
     * its own time, or (the processing-time fallback) the watermark.
     */
    public static long upTo(long timestamp, TimeDomain domain, TimerService timers) {
        return domain == TimeDomain.EVENT_TIME ? timestamp : timers.currentWatermark();
    }
}
