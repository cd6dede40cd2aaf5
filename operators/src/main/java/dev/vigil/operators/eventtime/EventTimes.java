package dev.vigil.operators.eventtime;

import org.apache.kafka.common.record.TimestampType;

/**
 * The two rules every event-time input of Vigil follows, in one place.
 *
 * <p><b>Reference time.</b> An event's own timestamp is set by its producer, and so is a Kafka
 * record's {@code CreateTime}. What a producer cannot set is the broker's {@code LogAppendTime}
 * (the topic setup gives {@code telemetry} and {@code approvals} that timestamp type) or the
 * reader's wall clock. The reference time of a record on a {@code LogAppendTime} topic is the
 * smaller of that timestamp and the wall clock at the moment it is read: the broker's clock, and a
 * replay sees the same value. On a {@code CreateTime} topic it is the reader's wall clock: a {@code
 * CreateTime} is no clock at all (a forged one lies ahead, and Vigil's own jobs stamp a record with
 * the time of whatever made them write it, often before the record's event time); a replay reads
 * old records long after their event time, so the wall clock never binds there either.
 *
 * <p>Telemetry is the exception ({@link #ofOwnRecord}): its producers are the sources of the events
 * they stamp, and a sensor's {@code CreateTime} is the time it sent the event. There the record
 * timestamp of either type, capped by the reader's clock, is the reference: a forged {@code
 * CreateTime} can make only its producer's own events look ahead of it (they are rejected), never
 * move anything past the reader's clock, and a replay sees the same value.
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
     * recordTimestamp} (negative: none) of type {@code type}, read at wall-clock time {@code
     * wallClock}.
     */
    public static long referenceTime(long recordTimestamp, TimestampType type, long wallClock) {
        return recordTimestamp < 0 || type != TimestampType.LOG_APPEND_TIME
                ? wallClock
                : Math.min(recordTimestamp, wallClock);
    }

    /**
     * The reference time of a record whose producer stamped the event in it (telemetry): its Kafka
     * timestamp of either type (negative: none, then the wall clock), capped by the wall clock.
     */
    public static long ofOwnRecord(long recordTimestamp, long wallClock) {
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
