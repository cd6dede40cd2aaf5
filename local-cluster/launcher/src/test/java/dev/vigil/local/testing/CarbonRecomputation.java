package dev.vigil.local.testing;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.TelemetryEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Emissions recomputed from raw power samples and grid intensities, written for tests without any
 * of the carbon job's code: decimal arithmetic, no rounding until the caller compares. Semantics
 * follow the documented accounting: per node and supply, samples in (time, sequence) order, one per
 * instant; an interval no longer than the maximum gap is the meter's counter difference when both
 * ends have a counter that did not go back, else the trapezoid of the two powers; its energy
 * spreads evenly over its time and each part uses the average intensity valid at that time (the
 * default where none is), times PUE 1. Location-based counts all energy at the grid's intensity;
 * market-based counts solar and wind at the renewable factor.
 *
 * <p>Nodes are assumed metered (every simulated node reports power); utilisation estimates are
 * covered by the ledger's unit tests.
 */
public final class CarbonRecomputation {

    private static final BigDecimal MG_PER_G = BigDecimal.valueOf(1000);
    private static final BigDecimal J_PER_KWH = BigDecimal.valueOf(3_600_000);
    private static final MathContext MC = MathContext.DECIMAL128;

    /** Exact totals of one region-minute. */
    public static final class Totals {
        public BigDecimal energyKwh = BigDecimal.ZERO;
        public BigDecimal locationMg = BigDecimal.ZERO;
        public BigDecimal marketMg = BigDecimal.ZERO;

        /** Nodes with at least one event in the minute (each rounds once). */
        public final Set<String> nodes = new HashSet<>();

        /** Node-minutes summed (set by {@link #sum}). */
        public int nodeMinutes;

        /**
         * Largest difference rounding can make between the job's integers and these decimals: half
         * a unit per node-minute, plus one for the splits.
         */
        public BigDecimal roundingBound() {
            return BigDecimal.valueOf(nodeMinutes)
                    .multiply(new BigDecimal("0.5"))
                    .add(BigDecimal.ONE);
        }

        void add(Totals o) {
            energyKwh = energyKwh.add(o.energyKwh);
            locationMg = locationMg.add(o.locationMg);
            marketMg = marketMg.add(o.marketMg);
            nodes.addAll(o.nodes);
        }
    }

    private final long maxGapMillis;
    private final BigDecimal defaultGPerKwh;
    private final BigDecimal renewableGPerKwh;

    public CarbonRecomputation(long maxGapMillis, double defaultGPerKwh, double renewableGPerKwh) {
        this.maxGapMillis = maxGapMillis;
        this.defaultGPerKwh = BigDecimal.valueOf(defaultGPerKwh);
        this.renewableGPerKwh = BigDecimal.valueOf(renewableGPerKwh);
    }

    /** Region → minute start → totals. */
    public Map<String, TreeMap<Long, Totals>> byRegionMinute(
            List<TelemetryEvent> telemetry, List<GridIntensity> grid) {
        Map<String, TreeMap<Long, BigDecimal>> intensity = new HashMap<>();
        for (GridIntensity g : grid) {
            intensity
                    .computeIfAbsent(g.getRegion(), k -> new TreeMap<>())
                    .put(
                            g.getValidFrom().toEpochMilli(),
                            BigDecimal.valueOf(g.getAverageGPerKwh()));
        }
        Map<String, List<TelemetryEvent>> series = new TreeMap<>();
        Map<String, TreeMap<Long, Totals>> out = new TreeMap<>();
        for (TelemetryEvent e : telemetry) {
            String region = e.getNode().getRegion();
            long minute = Math.floorDiv(e.getEventTime().toEpochMilli(), 60_000L) * 60_000L;
            out.computeIfAbsent(region, k -> new TreeMap<>())
                    .computeIfAbsent(minute, k -> new Totals())
                    .nodes
                    .add(e.getNode().getNodeId());
            if (e.getPower() != null) {
                series.computeIfAbsent(
                                e.getNode().getNodeId() + "|" + e.getPower().getSource(),
                                k -> new ArrayList<>())
                        .add(e);
            }
        }
        for (List<TelemetryEvent> samples : series.values()) {
            samples.sort(
                    Comparator.comparingLong((TelemetryEvent e) -> e.getEventTime().toEpochMilli())
                            .thenComparingLong(TelemetryEvent::getSequence));
            TelemetryEvent prev = null;
            for (TelemetryEvent e : samples) {
                if (prev != null
                        && prev.getEventTime().toEpochMilli() == e.getEventTime().toEpochMilli()) {
                    continue;
                }
                if (prev != null) {
                    spread(prev, e, intensity, out);
                }
                prev = e;
            }
        }
        return out;
    }

    private void spread(
            TelemetryEvent a,
            TelemetryEvent b,
            Map<String, TreeMap<Long, BigDecimal>> intensity,
            Map<String, TreeMap<Long, Totals>> out) {
        long t1 = a.getEventTime().toEpochMilli();
        long t2 = b.getEventTime().toEpochMilli();
        if (t2 - t1 > maxGapMillis) {
            return;
        }
        PowerSample p = a.getPower();
        PowerSample q = b.getPower();
        BigDecimal joules;
        if (p.getEnergyJ() != null && q.getEnergyJ() != null && q.getEnergyJ() >= p.getEnergyJ()) {
            joules =
                    BigDecimal.valueOf(q.getEnergyJ()).subtract(BigDecimal.valueOf(p.getEnergyJ()));
        } else if (p.getPowerW() != null && q.getPowerW() != null) {
            joules =
                    BigDecimal.valueOf(p.getPowerW())
                            .add(BigDecimal.valueOf(q.getPowerW()))
                            .multiply(BigDecimal.valueOf(t2 - t1))
                            .divide(BigDecimal.valueOf(2000), MC);
        } else {
            return;
        }
        String region = a.getNode().getRegion();
        boolean renewable = p.getSource().equals("SOLAR") || p.getSource().equals("WIND");
        TreeMap<Long, BigDecimal> timeline = intensity.getOrDefault(region, new TreeMap<>());
        long from = t1;
        while (from < t2) {
            long minuteEnd = Math.floorDiv(from, 60_000L) * 60_000L + 60_000L;
            Long change = timeline.higherKey(from);
            long to = Math.min(t2, Math.min(minuteEnd, change == null ? Long.MAX_VALUE : change));
            Map.Entry<Long, BigDecimal> valid = timeline.floorEntry(from);
            BigDecimal average = valid == null ? defaultGPerKwh : valid.getValue();
            BigDecimal kwh =
                    joules.multiply(BigDecimal.valueOf(to - from))
                            .divide(BigDecimal.valueOf(t2 - t1), MC)
                            .divide(J_PER_KWH, MC);
            Totals part = new Totals();
            part.energyKwh = kwh;
            part.locationMg = kwh.multiply(average).multiply(MG_PER_G);
            part.marketMg = kwh.multiply(renewable ? renewableGPerKwh : average).multiply(MG_PER_G);
            out.computeIfAbsent(region, k -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(from, 60_000L) * 60_000L, k -> new Totals())
                    .add(part);
            from = to;
        }
    }

    /** Sum of a region's minutes in [from, to). */
    public static Totals sum(TreeMap<Long, Totals> minutes, long from, long to) {
        Totals t = new Totals();
        for (Totals m : minutes.subMap(from, true, to, false).values()) {
            t.energyKwh = t.energyKwh.add(m.energyKwh);
            t.locationMg = t.locationMg.add(m.locationMg);
            t.marketMg = t.marketMg.add(m.marketMg);
        }
        int nodeMinutes = 0;
        for (Totals m : minutes.subMap(from, true, to, false).values()) {
            nodeMinutes += m.nodes.size();
        }
        t.nodeMinutes = nodeMinutes;
        return t;
    }
}
