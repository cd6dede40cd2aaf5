package dev.vigil.operators.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * When a telemetry event is too late for a job, judged against the partition watermark it met
 * ({@link IngestedTelemetry#partitionWatermark}) — never against how far the job's other inputs
 * happen to have been read. The same record is therefore too late, or not, in every run: live, in a
 * replay, after a restart, at any parallelism.
 *
 * <p>Three shapes: per event ({@code e <= watermark - allowed lateness}), per tumbling window (the
 * event's window ended more than the allowed lateness before the watermark), and never. Every
 * policy is also capped by a horizon: nothing older than {@code watermark - horizon} is ever used,
 * which bounds the state deduplication keeps.
 */
public final class LatePolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long allowedMillis;
    private final long horizonMillis;

    private LatePolicy(long windowMillis, long allowedMillis, long horizonMillis) {
        this.windowMillis = windowMillis;
        this.allowedMillis = allowedMillis;
        this.horizonMillis = horizonMillis;
    }

    /** Too late when more than {@code allowedLateness} behind the partition watermark. */
    public static LatePolicy events(Duration allowedLateness) {
        return new LatePolicy(0, allowedLateness.toMillis(), Long.MAX_VALUE);
    }

    /**
     * Too late when the event's tumbling window of {@code size} ended more than {@code
     * allowedLateness} before the partition watermark (Flink's rule for windows, on the partition's
     * clock).
     */
    public static LatePolicy windows(Duration size, Duration allowedLateness) {
        if (size.isZero() || size.isNegative()) {
            throw new IllegalArgumentException("window size must be positive");
        }
        return new LatePolicy(size.toMillis(), allowedLateness.toMillis(), Long.MAX_VALUE);
    }

    /** Never too late by itself (the horizon still applies). */
    public static LatePolicy never() {
        return new LatePolicy(0, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** This policy, and also too late when more than {@code horizon} behind the watermark. */
    public LatePolicy withHorizon(Duration horizon) {
        return new LatePolicy(windowMillis, allowedMillis, horizon.toMillis());
    }

    /** True when an event at {@code eventTime} that met {@code partitionWatermark} is too late. */
    public boolean tooLate(long eventTime, long partitionWatermark) {
        if (partitionWatermark == Long.MIN_VALUE) {
            return false;
        }
        if (behind(eventTime, partitionWatermark, horizonMillis)) {
            return true;
        }
        if (windowMillis > 0) {
            long end = windowStart(eventTime) + windowMillis;
            return allowedMillis != Long.MAX_VALUE && end - 1 + allowedMillis <= partitionWatermark;
        }
        return behind(eventTime, partitionWatermark, allowedMillis);
    }

    /** Why {@code tooLate} said so, for the dead letter. */
    public String explain(long eventTime, int partition, long partitionWatermark) {
        String at =
                "partition "
                        + partition
                        + "'s watermark "
                        + Instant.ofEpochMilli(partitionWatermark)
                        + " (its newest event time minus the out-of-orderness bound)";
        if (behind(eventTime, partitionWatermark, horizonMillis)) {
            return "event_time "
                    + Instant.ofEpochMilli(eventTime)
                    + " is more than the horizon "
                    + Duration.ofMillis(horizonMillis)
                    + " behind "
                    + at;
        }
        if (windowMillis > 0) {
            long start = windowStart(eventTime);
            return "event_time "
                    + Instant.ofEpochMilli(eventTime)
                    + " belongs to the window ["
                    + Instant.ofEpochMilli(start)
                    + ", "
                    + Instant.ofEpochMilli(start + windowMillis)
                    + "), which closed for good at "
                    + at
                    + " (allowed lateness "
                    + Duration.ofMillis(allowedMillis)
                    + ")";
        }
        return "event_time "
                + Instant.ofEpochMilli(eventTime)
                + " is behind "
                + at
                + (allowedMillis == 0
                        ? ""
                        : " by more than the allowed lateness " + Duration.ofMillis(allowedMillis));
    }

    private long windowStart(long eventTime) {
        return eventTime - Math.floorMod(eventTime, windowMillis);
    }

    private static boolean behind(long eventTime, long watermark, long allowed) {
        if (allowed == Long.MAX_VALUE) {
            return false;
        }
        // eventTime <= watermark - allowed, without overflow near Long.MIN_VALUE
        return watermark - eventTime >= allowed && eventTime <= watermark;
    }
}
