package dev.vigil.operators.eventtime;

import java.io.Serializable;

/**
 * How {@link EventTimeClock} reads the records of one input: the Kafka partition, the event time
 * and the reference time of a record, and what it passes on once it knows the record's partition
 * watermark.
 */
public interface ClockAccess<IN, OUT> extends Serializable {

    /** The Kafka partition the record was read from. */
    int partition(IN record);

    /** The record's event time, or {@link EventTimes#NONE} when it has none (a dead letter). */
    long eventTime(IN record);

    /** The record's reference time ({@link EventTimes#referenceTime}). */
    long referenceTime(IN record);

    /**
     * What goes downstream for {@code record}, given the partition watermark it met ({@link
     * EventTimes#NONE} for a partition's first record, or a record without event time).
     */
    OUT output(IN record, long partitionWatermark);
}
