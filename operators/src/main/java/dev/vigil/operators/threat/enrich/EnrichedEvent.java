package dev.vigil.operators.threat.enrich;

import dev.vigil.schema.TelemetryEvent;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A valid telemetry event with its source coordinates (for evidence) and the node context the
 * enricher derived. The input of every rule; serialized by {@link EnrichedEventSerializer}.
 */
@TypeInfo(EnrichedEventSerializer.Factory.class)
public class EnrichedEvent {

    public TelemetryEvent event;

    public DerivedFeatures derived;
    public int partition;
    public long offset;

    public EnrichedEvent() {}

    public EnrichedEvent(
            TelemetryEvent event, DerivedFeatures derived, int partition, long offset) {
        this.event = event;
        this.derived = derived;
        this.partition = partition;
        this.offset = offset;
    }

    /**
     * When rules judge the event: its event time, or for a copy of an event already read, when the
     * copy arrived (the node's newest event time then): a replay is evidence at the moment it
     * happens, also when the copied events are hours old.
     */
    public long timestamp() {
        if (derived != null && derived.arrivedAt != null) {
            return derived.arrivedAt;
        }
        return event.getEventTime().toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EnrichedEvent)) {
            return false;
        }
        EnrichedEvent e = (EnrichedEvent) o;
        return partition == e.partition
                && offset == e.offset
                && Objects.equals(event, e.event)
                && Objects.equals(derived, e.derived);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, partition, offset);
    }

    @Override
    public String toString() {
        return "EnrichedEvent{" + event.getEventId() + " @" + partition + ":" + offset + "}";
    }
}
