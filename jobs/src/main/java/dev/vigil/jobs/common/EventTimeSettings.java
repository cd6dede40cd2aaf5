package dev.vigil.jobs.common;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a job keeps event time ({@link CommonJobOptions}): the out-of-orderness bound, the idleness
 * timeout and the telemetry deduplication horizon.
 *
 * @param outOfOrderness how far behind its partition's newest event an event may be and still be on
 *     time
 * @param idleness after how long without records a partition stops holding others back; once an
 *     input is idle as a whole, its bound is released; zero disables idleness
 * @param dedupHorizon how long (event time) telemetry event ids are remembered, and the oldest any
 *     job accepts an event behind its partition watermark
 */
public record EventTimeSettings(Duration outOfOrderness, Duration idleness, Duration dedupHorizon)
        implements Serializable {

    public EventTimeSettings {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("the out-of-orderness bound must not be negative");
        }
        if (idleness.isNegative()) {
            throw new IllegalArgumentException("the idleness timeout must not be negative");
        }
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("the deduplication horizon must be positive");
        }
    }
}
