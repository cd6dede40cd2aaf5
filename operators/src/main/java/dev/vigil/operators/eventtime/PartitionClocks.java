package dev.vigil.operators.eventtime;

import java.util.Map;
import java.util.TreeMap;

/**
 * The event-time clock of each Kafka partition one subtask reads: the newest clamped event time
 * ({@link EventTimes#clamped}) among the records read so far. Plain Java, no Flink types; {@link
 * EventTimeClock} keeps it in operator state.
 *
 * <p>The <b>partition watermark</b> at a record is that clock, taken over the records before it in
 * its partition, minus the out-of-orderness bound. A record whose event time is at or behind its
 * partition watermark is late. The decision depends only on the partition's own records in their
 * order — not on other partitions, on how fast each was read, on idleness or on restarts — so a
 * live run, a replay and a run restored from a checkpoint make the same decisions.
 */
public final class PartitionClocks {

    private final long bound;
    private final TreeMap<Integer, Long> newest = new TreeMap<>();

    /**
     * @param boundMillis the out-of-orderness bound: how far behind its partition's newest event an
     *     event may be and still be on time
     */
    public PartitionClocks(long boundMillis) {
        if (boundMillis < 0) {
            throw new IllegalArgumentException("the out-of-orderness bound must not be negative");
        }
        this.bound = boundMillis;
    }

    /**
     * Records one event of {@code partition} and returns the partition watermark it met (from the
     * records before it), {@link EventTimes#NONE} for a partition's first event.
     */
    public long observe(int partition, long eventTime, long referenceTime) {
        Long clock = newest.get(partition);
        long before = clock == null ? EventTimes.NONE : EventTimes.behind(clock, bound);
        long c = EventTimes.clamped(eventTime, referenceTime);
        if (clock == null || c > clock) {
            newest.put(partition, c);
        }
        return before;
    }

    /** The newest clamped event time of {@code partition}, {@link EventTimes#NONE} if unknown. */
    public long newest(int partition) {
        return newest.getOrDefault(partition, EventTimes.NONE);
    }

    /**
     * The newest clamped event time over every partition known, {@link EventTimes#NONE} if none.
     */
    public long newest() {
        long max = EventTimes.NONE;
        for (long c : newest.values()) {
            max = Math.max(max, c);
        }
        return max;
    }

    /** The clocks, partition → newest clamped event time, for a snapshot. */
    public Map<Integer, Long> snapshot() {
        return Map.copyOf(newest);
    }

    /** Merges restored clocks (the newest time per partition wins). */
    public void restore(int partition, long clock) {
        newest.merge(partition, clock, Math::max);
    }
}
