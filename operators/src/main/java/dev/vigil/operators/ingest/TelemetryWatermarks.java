package dev.vigil.operators.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks for ingested telemetry: bounded out-of-orderness on the sensor timestamp.
 * Dead letters carry no event time ({@link Long#MIN_VALUE}), so a bogus timestamp in a rejected
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
                WatermarkStrategy.<IngestedTelemetry>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner(
                                (record, previous) ->
                                        record.isValid()
                                                ? record.event.getEventTime().toEpochMilli()
                                                : Long.MIN_VALUE);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }
}
