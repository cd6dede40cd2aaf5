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

    public IngestedTelemetry() {}

    /** A valid event read from {@code partition} at {@code offset}. */
    public static IngestedTelemetry valid(TelemetryEvent event, int partition, long offset) {
        IngestedTelemetry ingested = new IngestedTelemetry();
        ingested.event = Objects.requireNonNull(event);
        ingested.partition = partition;
        ingested.offset = offset;
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IngestedTelemetry)) {
            return false;
        }
        IngestedTelemetry that = (IngestedTelemetry) o;
        return partition == that.partition
                && offset == that.offset
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
