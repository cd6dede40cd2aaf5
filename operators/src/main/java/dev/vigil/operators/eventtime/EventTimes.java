package dev.vigil.operators.eventtime;

/**
 * The two rules every event-time input of Vigil follows, in one place.
 *
 * <p><b>Reference time.</b> An event's own timestamp is set by its producer, and so is a Kafka
 * record's {@code CreateTime}. What a producer cannot set is the broker's {@code LogAppendTime}
 * (the topic setup gives {@code telemetry}, {@code approvals} and {@code remediation-results} that
 * timestamp type) or the reader's wall clock. The reference time of a record is the smaller of its
 * Kafka timestamp and the wall clock at the moment it is read: on a {@code LogAppendTime} topic
 * that is the broker's clock (and a replay sees the same value), on a {@code CreateTime} topic a
 * forged future timestamp is still capped by the reader's clock.
 *
 * <p><b>Clamped time.</b> What an event contributes to event-time progress is its event time
 * clamped to its reference time. An event dated ahead of the broker clock (within the validators'
 * future-skew allowance) is still accepted, but it can move its partition's event time no further
 * than the broker clock, so no producer can make other producers' on-time events late.
 */
public final class EventTimes {

    /** No event time (dead letters, records that do not take part in event time). */
    public static final long NONE = Long.MIN_VALUE;

    private EventTimes() {}

    /**
     * The clock a producer does not control for a record with Kafka timestamp {@code
     * recordTimestamp} (negative: none) read at wall-clock time {@code wallClock}.
     */
    public static long referenceTime(long recordTimestamp, long wallClock) {
        return recordTimestamp < 0 ? wallClock : Math.min(recordTimestamp, wallClock);
    }

    /** An event time's contribution to event-time progress: at most its reference time. */
    public static long clamped(long eventTime, long referenceTime) {
        return Math.min(eventTime, referenceTime);
    }

    /** A watermark {@code bound} behind {@code newest}, without overflow at the extremes. */
    public static long behind(long newest, long bound) {
        return newest == NONE ? NONE : newest - bound - 1;
    }
}
