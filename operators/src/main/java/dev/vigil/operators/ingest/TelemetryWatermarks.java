package dev.vigil.operators.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks for ingested telemetry: bounded out-of-orderness on the sensor timestamp,
 * emitted with the event that raises the maximum rather than on a processing-time timer.
 *
 * <p>Why per event: with Flink's periodic emission, whether an out-of-order event counts as late
 * depends on when the 200 ms timer happened to fire, so a replay could revise or dead-letter
 * different events. Emitting as the maximum rises makes lateness a function of the partition's
 * record order alone, and a replay of a partition makes the same decisions. (An event can still be
 * late or not depending on how far other partitions have been read when it is more out of order
 * than the bound; such events are never lost, see {@link LateEventDeadLetters}.)
 *
 * <p>Dead letters carry no event time ({@link Long#MIN_VALUE}), so a bogus timestamp in a rejected
 * record can never move the watermark.
 */
public final class TelemetryWatermarks {

    private TelemetryWatermarks() {}

    /**
     * @param outOfOrderness how far behind the newest event an event may arrive and still be on
     *     time
     * @param idleness after how long without records a partition stops holding the watermark back;
     *     zero disables idleness. Events of a partition that resumes after being idle can be late:
     *     they are then corrected by window revisions or dead-lettered as late, never lost.
     */
    public static WatermarkStrategy<IngestedTelemetry> strategy(
            Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<IngestedTelemetry> strategy =
                WatermarkStrategy.<IngestedTelemetry>forGenerator(
                                context -> new PerEventBoundedOutOfOrderness(outOfOrderness))
                        .withTimestampAssigner(
                                (record, previous) ->
                                        record.isValid()
                                                ? record.event.getEventTime().toEpochMilli()
                                                : Long.MIN_VALUE);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    /** Watermark = highest timestamp seen - bound - 1, emitted when it rises. */
    static final class PerEventBoundedOutOfOrderness
            implements WatermarkGenerator<IngestedTelemetry> {

        private final long bound;
        private long emitted = Long.MIN_VALUE;

        PerEventBoundedOutOfOrderness(Duration bound) {
            this.bound = bound.toMillis();
        }

        @Override
        public void onEvent(IngestedTelemetry event, long timestamp, WatermarkOutput output) {
            if (timestamp == Long.MIN_VALUE) {
                return;
            }
            long candidate = timestamp - bound - 1;
            if (candidate > emitted) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
