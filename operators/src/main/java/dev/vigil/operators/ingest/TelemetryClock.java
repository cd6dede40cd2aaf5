package dev.vigil.operators.ingest;

import dev.vigil.operators.eventtime.ClampedWatermarks;
import dev.vigil.operators.eventtime.ClockAccess;
import dev.vigil.operators.eventtime.EventTimes;

/**
 * Event time of ingested telemetry, for the telemetry source's watermarks and its event-time clock:
 * the sensor timestamp of a valid event, clamped to its reference time; dead letters take no part.
 * The clock sets {@link IngestedTelemetry#partitionWatermark} on each event.
 */
public final class TelemetryClock
        implements ClampedWatermarks.Times<IngestedTelemetry>,
                ClockAccess<IngestedTelemetry, IngestedTelemetry> {

    private static final long serialVersionUID = 1L;

    public static final TelemetryClock INSTANCE = new TelemetryClock();

    private TelemetryClock() {}

    @Override
    public int partition(IngestedTelemetry record) {
        return record.partition;
    }

    @Override
    public long eventTime(IngestedTelemetry record) {
        return record.isValid() ? record.eventTime() : EventTimes.NONE;
    }

    @Override
    public long referenceTime(IngestedTelemetry record) {
        return record.referenceTime;
    }

    @Override
    public IngestedTelemetry output(IngestedTelemetry record, long partitionWatermark) {
        record.partitionWatermark = partitionWatermark;
        return record;
    }
}
