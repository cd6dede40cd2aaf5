package dev.vigil.operators.remediation;

import java.time.Duration;

/**
 * How long remediation work that arrived behind the watermark waits for the next one before it is
 * done anyway (processing time): decisions such as the rate budgets are taken in event-time order
 * with what the next watermark brings, and a pause in event time delays them by at most this.
 */
final class BehindWatermark {

    /** The wait, in milliseconds of processing time. */
    static final long WAIT_MILLIS = 5_000;

    /** The wait. */
    static final Duration WAIT = Duration.ofMillis(WAIT_MILLIS);

    private BehindWatermark() {}
}
