package dev.vigil.operators.eventtime;

import dev.vigil.schema.DeadLetter;
import java.io.Serializable;
import org.apache.flink.types.Either;

/**
 * Event time of a decoded Kafka input ({@code Right}: a record; {@code Left}: its dead letter,
 * which takes no part in event time), for its source's watermarks and its {@link EventTimeClock}.
 */
public final class EitherClock<T>
        implements ClampedWatermarks.Times<Positioned<Either<DeadLetter, T>>>,
                ClockAccess<Positioned<Either<DeadLetter, T>>, Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    /** Event time (epoch ms) of a record. */
    @FunctionalInterface
    public interface EventTime<T> extends Serializable {
        long of(T record);
    }

    private final EventTime<T> eventTime;
    private final boolean clamped;

    /** Event time clamped to each record's reference time. */
    public EitherClock(EventTime<T> eventTime) {
        this(eventTime, true);
    }

    /**
     * @param clamped false for a side input whose event time may lie ahead of the broker clock by
     *     design (a grid-intensity forecast) and that can only ever hold event time back ({@link
     *     MainTimedBroadcastOperator})
     */
    public EitherClock(EventTime<T> eventTime, boolean clamped) {
        this.eventTime = eventTime;
        this.clamped = clamped;
    }

    @Override
    public int partition(Positioned<Either<DeadLetter, T>> record) {
        return record.partition();
    }

    @Override
    public long eventTime(Positioned<Either<DeadLetter, T>> record) {
        Either<DeadLetter, T> value = record.value();
        return value.isRight() ? eventTime.of(value.right()) : EventTimes.NONE;
    }

    @Override
    public long referenceTime(Positioned<Either<DeadLetter, T>> record) {
        return clamped ? record.referenceTime() : Long.MAX_VALUE;
    }

    @Override
    public Either<DeadLetter, T> output(
            Positioned<Either<DeadLetter, T>> record, long partitionWatermark) {
        return record.value();
    }

    /** The same clock, passing records on with their position (for dead letters made later). */
    public ClockAccess<Positioned<Either<DeadLetter, T>>, Positioned<Either<DeadLetter, T>>>
            keepingPosition() {
        EitherClock<T> clock = this;
        return new ClockAccess<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public int partition(Positioned<Either<DeadLetter, T>> record) {
                return clock.partition(record);
            }

            @Override
            public long eventTime(Positioned<Either<DeadLetter, T>> record) {
                return clock.eventTime(record);
            }

            @Override
            public long referenceTime(Positioned<Either<DeadLetter, T>> record) {
                return clock.referenceTime(record);
            }

            @Override
            public Positioned<Either<DeadLetter, T>> output(
                    Positioned<Either<DeadLetter, T>> record, long partitionWatermark) {
                return record;
            }
        };
    }
}
