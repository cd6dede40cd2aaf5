package dev.vigil.operators.eventtime;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Source watermarks for Vigil's event-time inputs: bounded out-of-orderness over clamped event
 * times ({@link EventTimes#clamped}), emitted with the event that raises the maximum (so whether a
 * record is passed by the watermark depends on its partition's record order, not on a timer), and
 * per-partition idleness so that a silent partition does not hold the others back. The source is
 * followed by an {@link EventTimeClock}, which decides lateness and keeps event time across
 * restarts.
 */
public final class ClampedWatermarks {

    /** Reads a record's event time and reference time. */
    public interface Times<T> extends Serializable {
        /** Event time, or {@link EventTimes#NONE}: the record takes no part in event time. */
        long eventTime(T record);

        /** Reference time ({@link EventTimes#referenceTime}). */
        long referenceTime(T record);
    }

    private ClampedWatermarks() {}

    /**
     * @param outOfOrderness how far behind its partition's newest event an event may arrive and
     *     still be on time
     * @param idleness after how long without records a partition stops holding back the others
     *     (and, once every partition is idle, the bound is released); zero disables idleness
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness, Duration idleness, Times<T> times) {
        long bound = outOfOrderness.toMillis();
        WatermarkStrategy<T> strategy =
                WatermarkStrategy.<T>forGenerator(context -> new Generator<>(bound, times))
                        .withTimestampAssigner((record, previous) -> times.eventTime(record));
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    /** Watermark = newest clamped time - bound - 1, emitted when it rises. */
    static final class Generator<T> implements WatermarkGenerator<T> {

        private final long bound;
        private final Times<T> times;
        private long newest = EventTimes.NONE;

        Generator(long bound, Times<T> times) {
            this.bound = bound;
            this.times = times;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            long eventTime = times.eventTime(event);
            if (eventTime == EventTimes.NONE) {
                return;
            }
            long clamped = EventTimes.clamped(eventTime, times.referenceTime(event));
            if (clamped > newest) {
                newest = clamped;
                output.emitWatermark(new Watermark(EventTimes.behind(newest, bound)));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
