package dev.vigil.operators.carbon;

import dev.vigil.schema.GridIntensity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The grid intensity of one region over event time, as a temporal table: each record is valid from
 * its {@code valid_from} until the region's next one. Intensities are whole milligrams CO2e per
 * kWh.
 *
 * <p>Records that arrive after the watermark passed their {@code valid_from} change intensities
 * that energy already used; the timeline numbers these late changes ({@link #lateChangesSince}) so
 * that every node of the region can recompute what it still holds.
 */
public final class GridTimeline {

    /** Late changes remembered; a node further behind recomputes everything it holds. */
    static final int LATE_CHANGES_KEPT = 64;

    /** Intensity valid at an instant; {@code marginal} is -1 when the feed has none. */
    public record Intensity(long average, long marginal) {}

    private final TreeMap<Long, Intensity> byValidFrom = new TreeMap<>();
    private long lateChanges;
    private final TreeMap<Long, Long> lateChangeFrom = new TreeMap<>();

    /** Milligrams per kWh of a figure in grams per kWh. */
    public static long milligrams(double gramsPerKwh) {
        return Math.round(gramsPerKwh * 1000.0);
    }

    /**
     * Adds a record; {@code watermark} is the event time the consumer has finalised, so a record
     * valid from before it is a late change.
     *
     * @return whether the record changed the timeline
     */
    public boolean add(GridIntensity record, long watermark) {
        long from = record.getValidFrom().toEpochMilli();
        Double marginal = record.getMarginalGPerKwh();
        Intensity intensity =
                new Intensity(
                        milligrams(record.getAverageGPerKwh()),
                        marginal == null ? -1 : milligrams(marginal));
        Intensity previous = byValidFrom.put(from, intensity);
        if (intensity.equals(previous)) {
            return false;
        }
        if (from <= watermark) {
            lateChanges++;
            lateChangeFrom.put(lateChanges, from);
            while (lateChangeFrom.size() > LATE_CHANGES_KEPT) {
                lateChangeFrom.pollFirstEntry();
            }
        }
        return true;
    }

    /** The intensity valid at {@code time}, or null before the first record. */
    public Intensity at(long time) {
        Map.Entry<Long, Intensity> e = byValidFrom.floorEntry(time);
        return e == null ? null : e.getValue();
    }

    /** Instants strictly inside (from, to) at which the intensity changes. */
    public List<Long> changesWithin(long from, long to) {
        return new ArrayList<>(byValidFrom.subMap(from, false, to, false).keySet());
    }

    /** Number of late changes so far. */
    public long lateChanges() {
        return lateChanges;
    }

    /**
     * Earliest instant touched by the late changes after number {@code seen}: {@link
     * Long#MAX_VALUE} when there are none, {@link Long#MIN_VALUE} when they are no longer all
     * remembered.
     */
    public long lateChangesSince(long seen) {
        if (seen >= lateChanges) {
            return Long.MAX_VALUE;
        }
        if (lateChangeFrom.isEmpty() || lateChangeFrom.firstKey() > seen + 1) {
            return Long.MIN_VALUE;
        }
        long earliest = Long.MAX_VALUE;
        for (long from : lateChangeFrom.tailMap(seen, false).values()) {
            earliest = Math.min(earliest, from);
        }
        return earliest;
    }

    /** Forgets records superseded before {@code horizon} (keeps the one valid at it). */
    public void pruneBefore(long horizon) {
        Long keep = byValidFrom.floorKey(horizon);
        if (keep != null) {
            byValidFrom.headMap(keep, false).clear();
        }
    }

    /** Number of records held. */
    public int size() {
        return byValidFrom.size();
    }

    public void writeTo(DataOutputView out) throws IOException {
        out.writeInt(byValidFrom.size());
        for (Map.Entry<Long, Intensity> e : byValidFrom.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue().average());
            out.writeLong(e.getValue().marginal());
        }
        out.writeLong(lateChanges);
        out.writeInt(lateChangeFrom.size());
        for (Map.Entry<Long, Long> e : lateChangeFrom.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    public static GridTimeline readFrom(DataInputView in) throws IOException {
        GridTimeline t = new GridTimeline();
        for (int i = in.readInt(); i > 0; i--) {
            t.byValidFrom.put(in.readLong(), new Intensity(in.readLong(), in.readLong()));
        }
        t.lateChanges = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            t.lateChangeFrom.put(in.readLong(), in.readLong());
        }
        return t;
    }

    public GridTimeline copy() {
        GridTimeline t = new GridTimeline();
        t.byValidFrom.putAll(byValidFrom);
        t.lateChanges = lateChanges;
        t.lateChangeFrom.putAll(lateChangeFrom);
        return t;
    }
}
