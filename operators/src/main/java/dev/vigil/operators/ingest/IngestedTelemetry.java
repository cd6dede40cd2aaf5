package dev.vigil.operators.ingest;

import dev.vigil.operators.serde.TelemetryEventTypeInfo;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One record read from the telemetry topic: either a valid {@link TelemetryEvent} together with
 * where it was read from, or the {@link DeadLetter} that explains why it could not be used.
 *
 * <p>A Flink POJO (public fields, no-argument constructor), so that it travels between operators
 * without Kryo. Exactly one of {@link #event} and {@link #deadLetter} is set.
 */
public class IngestedTelemetry {

    /** The decoded, validated event; null for a dead letter. */
    @TypeInfo(TelemetryEventTypeInfo.Factory.class)
    public TelemetryEvent event;

    /** Why the record was rejected; null for a valid event. */
    public DeadLetter deadLetter;

    /** Kafka partition the record was read from. */
    public int partition;

    /** Kafka offset of the record. */
    public long offset;

    /**
     * The record's reference time ({@code EventTimes.referenceTime}): its {@code LogAppendTime}
     * capped by the reader's clock, or the reader's clock. {@link Long#MAX_VALUE} when unknown (the
     * event time then stands).
     */
    public long referenceTime = Long.MAX_VALUE;

    /**
     * The partition watermark the record met ({@code PartitionClocks}), set by the job's event-time
     * clock; {@link Long#MIN_VALUE} before it or for a partition's first record. The event is late
     * when its event time is at or behind it.
     */
    public long partitionWatermark = Long.MIN_VALUE;

    /**
     * 0 for an event read for the first time; n for the n-th resent copy of one already read,
     * passed on only to the threat job (as replay evidence): every other job sees each event once.
     */
    public int copy;

    /**
     * Why the event is behind its partition watermark, when the job holds late events back for a
     * replay check instead of dead-lettering them at once (the threat job: a late copy of an event
     * already delivered is replay evidence, anything else late is a {@code LATE_EVENT} dead
     * letter); null for an event on time.
     */
    public String late;

    public IngestedTelemetry() {}

    /** A valid event read from {@code partition} at {@code offset}. */
    public static IngestedTelemetry valid(TelemetryEvent event, int partition, long offset) {
        IngestedTelemetry ingested = new IngestedTelemetry();
        ingested.event = Objects.requireNonNull(event);
        ingested.partition = partition;
        ingested.offset = offset;
        return ingested;
    }

    /** A valid event read from {@code partition} at {@code offset} with its reference time. */
    public static IngestedTelemetry valid(
            TelemetryEvent event, int partition, long offset, long referenceTime) {
        IngestedTelemetry ingested = valid(event, partition, offset);
        ingested.referenceTime = referenceTime;
        return ingested;
    }

    /** A rejected record. */
    public static IngestedTelemetry rejected(DeadLetter deadLetter) {
        IngestedTelemetry ingested = new IngestedTelemetry();
        ingested.deadLetter = Objects.requireNonNull(deadLetter);
        ingested.partition = deadLetter.getSourcePartition();
        ingested.offset = deadLetter.getSourceOffset();
        return ingested;
    }

    /** True when this is a valid event. */
    public boolean isValid() {
        return event != null;
    }

    /** The node id of a valid event. */
    public String nodeId() {
        return event.getNode().getNodeId();
    }

    /** Event time of a valid event in epoch milliseconds. */
    public long eventTime() {
        return event.getEventTime().toEpochMilli();
    }

    /** True when a valid event is at or behind the partition watermark it met. */
    public boolean behindPartitionWatermark() {
        return partitionWatermark != Long.MIN_VALUE && eventTime() <= partitionWatermark;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IngestedTelemetry)) {
            return false;
        }
        IngestedTelemetry that = (IngestedTelemetry) o;
        return partition == that.partition
                && offset == that.offset
                && referenceTime == that.referenceTime
                && partitionWatermark == that.partitionWatermark
                && copy == that.copy
                && Objects.equals(event, that.event)
                && Objects.equals(deadLetter, that.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, deadLetter, partition, offset);
    }

    @Override
    public String toString() {
        return isValid()
                ? "IngestedTelemetry{" + partition + "@" + offset + " " + event.getEventId() + "}"
                : "IngestedTelemetry{"
                        + partition
                        + "@"
                        + offset
                        + " "
                        + deadLetter.getReasonCode()
                        + "}";
    }
}
