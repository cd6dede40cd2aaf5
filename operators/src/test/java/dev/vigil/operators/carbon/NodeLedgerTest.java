package dev.vigil.operators.carbon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeLedgerTest {

    /** 2026-11-22 00:00:00 UTC. */
    static final long T0 = 1_795_305_600_000L;

    static final long MIN = 60_000L;

    /** A sample offered to a ledger. */
    record In(long time, long seq, String series, long mw, long uj) {}

    static NodeLedger ledger(String site, String nodeClass) {
        NodeLedger l = new NodeLedger();
        l.identify("hub-01", "eu-west-1", "eu-west-1-c01", "node-1", site, nodeClass);
        return l;
    }

    /** Constant power samples every second in [from, to]. */
    static List<In> constant(String series, long watts, long from, long to, long seqBase) {
        List<In> out = new ArrayList<>();
        for (long t = from; t <= to; t += 1000) {
            out.add(new In(t, seqBase + (t - from) / 1000, series, watts * 1000, -1));
        }
        return out;
    }

    /** Feeds in order, advancing the watermark to each sample's time, then to the end. */
    static List<NodeMinute> run(
            NodeLedger l, List<In> samples, GridTimeline timeline, CarbonSettings s) {
        List<NodeMinute> out = new ArrayList<>();
        for (In x : samples) {
            assertThat(l.offer(x.time, x.seq, x.series, x.mw, x.uj, s))
                    .isNotEqualTo(NodeLedger.Offer.TOO_LATE);
            out.addAll(l.advance(x.time - 1, timeline, s));
        }
        out.addAll(l.advance(Long.MAX_VALUE - 1, timeline, s));
        return out;
    }

    static GridTimeline timeline(Object... validFromAverageMarginal) {
        GridTimeline t = new GridTimeline();
        for (int i = 0; i < validFromAverageMarginal.length; i += 3) {
            t.add(
                    grid(
                            (Long) validFromAverageMarginal[i],
                            (Double) validFromAverageMarginal[i + 1],
                            (Double) validFromAverageMarginal[i + 2]),
                    Long.MIN_VALUE);
        }
        return t;
    }

    static GridIntensity grid(long validFrom, double average, Double marginal) {
        return GridIntensity.newBuilder()
                .setRegion("eu-west-1")
                .setValidFrom(Instant.ofEpochMilli(validFrom))
                .setAverageGPerKwh(average)
                .setMarginalGPerKwh(marginal)
                .setRenewableShare(0.3)
                .setProvider("test")
                .build();
    }

    @Test
    void constantPowerGivesExactMinutesAtTheSeedsDefaultIntensity() {
        CarbonSettings s = CarbonSettings.defaults();
        List<NodeMinute> out =
                run(
                        ledger("site-a", "edge-standard"),
                        constant("GRID", 6_000, T0, T0 + 2 * MIN, 0),
                        null,
                        s);
        assertThat(out).hasSize(3);
        NodeMinute first = out.get(0);
        assertThat(first.minuteStart).isEqualTo(T0);
        assertThat(first.revision).isZero();
        // 6 kW for 60 s = 100 Wh; at 400 g/kWh: 40 g
        assertThat(first.totals.energyMwh).isEqualTo(100_000);
        assertThat(first.totals.locationMg).isEqualTo(40_000);
        assertThat(first.totals.marketMg).isEqualTo(40_000);
        assertThat(first.totals.marginalMissing).isEqualTo(1);
        assertThat(first.totals.coveredMs).isEqualTo(MIN);
        assertThat(first.totals.events).isEqualTo(60);
        // 1,300 kg over 4 years of 365 days, for one minute: 1.3e9 mg × 60,000 / 1.26144e11 ms
        assertThat(first.totals.embodiedMg).isEqualTo(618);
        assertThat(out.get(1).totals.energyMwh).isEqualTo(100_000);
        // the last minute holds only the sample at T0 + 2 min: no interval, one event
        assertThat(out.get(2).totals.energyMwh).isZero();
        assertThat(out.get(2).totals.events).isEqualTo(1);
    }

    @Test
    void theSeedsWorkedExampleThroughTheLedgerAndADayRollUp() {
        // grid 6 kW, solar 12 kW, wind 6 kW for 1,000 minutes: 100 / 200 / 100 kWh
        CarbonSettings s = CarbonSettings.builder().creditsKgPerDay("node-1=50").build();
        long end = T0 + 1_000 * MIN;
        List<In> samples = new ArrayList<>();
        samples.addAll(constant("GRID", 6_000, T0, end, 0));
        samples.addAll(constant("SOLAR", 12_000, T0, end, 1_000_000));
        samples.addAll(constant("WIND", 6_000, T0, end, 2_000_000));
        samples.sort(Comparator.comparingLong(In::time));
        List<NodeMinute> out = run(ledger("site-a", "edge-standard"), samples, null, s);
        CarbonTotals day = new CarbonTotals();
        for (NodeMinute m : out) {
            for (RollUpDelta d : RollUpDelta.of(m)) {
                if (d.level.equals(CarbonLevel.NODE) && d.windowSize == 86_400_000L) {
                    day.add(d.delta, 1);
                }
            }
        }
        assertThat(day.energyMwh).isEqualTo(400_000_000L);
        assertThat(day.renewableMwh).isEqualTo(300_000_000L);
        var report =
                CarbonReports.of(
                        CarbonLevel.NODE,
                        "node-1",
                        "hub-01",
                        "eu-west-1",
                        "eu-west-1-c01",
                        T0,
                        86_400_000L,
                        day,
                        0,
                        s);
        // market based: 100 kWh × 0.4 + 300 kWh × 0.02 = 46 kg; net after 50 kg credits: -4 kg
        assertThat(report.getMarketBasedMg()).isEqualTo(46_000_000L);
        assertThat(report.getRenewableShare()).isEqualTo(0.75);
        assertThat(report.getCreditsMg()).isEqualTo(50_000_000L);
        assertThat(report.getNetMg()).isEqualTo(-4_000_000L);
        // location based counts all 400 kWh at the grid's 0.4 kg/kWh
        assertThat(report.getLocationBasedMg()).isEqualTo(160_000_000L);
        assertThat(report.getEnergyKwh()).isEqualTo(400.0);
    }

    @Test
    void eachSliceUsesTheIntensityValidAtItsOwnTimeTimesTheSitesPue() {
        CarbonSettings s = CarbonSettings.builder().pueBySite("site-a=1.5").build();
        GridTimeline t = timeline(T0, 300.0, 450.0, T0 + 30_000, 500.0, null);
        List<NodeMinute> out =
                run(
                        ledger("site-a", "edge-standard"),
                        constant("GRID", 6_000, T0, T0 + MIN, 0),
                        t,
                        s);
        CarbonTotals m = out.get(0).totals;
        // 50 Wh at 300 g/kWh + 50 Wh at 500 g/kWh = 40 g, × PUE 1.5 = 60 g
        assertThat(m.locationMg).isEqualTo(60_000);
        assertThat(m.facilityMwh).isEqualTo(150_000);
        // the second half has no marginal intensity: the minute has none
        assertThat(m.marginalMissing).isEqualTo(1);
        var report = CarbonReports.ofNodeMinute(out.get(0), s);
        assertThat(report.getMarginalMg()).isNull();
        assertThat(report.getPue()).isEqualTo(1.5);
    }

    @Test
    void certificatesLowerMarketBasedEmissionsOnly() {
        CarbonSettings s = CarbonSettings.builder().certificates("eu-west-1=0.25").build();
        GridTimeline t = timeline(T0 - MIN, 200.0, 600.0);
        CarbonTotals m =
                run(
                                ledger("site-a", "edge-standard"),
                                constant("GRID", 6_000, T0, T0 + MIN, 0),
                                t,
                                s)
                        .get(0)
                        .totals;
        assertThat(m.locationMg).isEqualTo(20_000);
        assertThat(m.marketMg).isEqualTo(15_000);
        assertThat(m.marginalMg).isEqualTo(60_000);
        assertThat(m.marginalMissing).isZero();
    }

    @Test
    void gapsLongerThanTheMaximumAreMissingCoverageNotEnergy() {
        CarbonSettings s = CarbonSettings.builder().maxGap(Duration.ofSeconds(60)).build();
        List<In> samples = new ArrayList<>(constant("GRID", 3_600, T0, T0 + 10_000, 0));
        samples.addAll(constant("GRID", 3_600, T0 + 100_000, T0 + 119_000, 100));
        NodeLedger l = ledger("site-a", "edge-standard");
        List<NodeMinute> out = run(l, samples, null, s);
        // 3.6 kW × 10 s = 10 Wh in the first minute; 19 s = 19 Wh in the second
        assertThat(out.get(0).totals.energyMwh).isEqualTo(10_000);
        assertThat(out.get(0).totals.coveredMs).isEqualTo(10_000);
        assertThat(out.get(1).totals.energyMwh).isEqualTo(19_000);
        assertThat(out.get(1).totals.coveredMs).isEqualTo(19_000);
        assertThat(l.gaps()).isEqualTo(1);
    }

    @Test
    void metersCountersWinOverPowerAndAResetFallsBackToPower() {
        CarbonSettings s = CarbonSettings.defaults();
        List<In> samples = new ArrayList<>();
        // the counter says 90 J per second while power says 100 W; at 30 s the meter resets
        for (int i = 0; i <= 60; i++) {
            long uj = i < 30 ? 5_000_000_000L + i * 90_000_000L : (i - 30) * 90_000_000L;
            samples.add(new In(T0 + i * 1000L, i, "GRID", 100_000, uj));
        }
        CarbonTotals m = run(ledger("site-a", "edge-standard"), samples, null, s).get(0).totals;
        // 59 intervals at 90 J + the reset interval from power (100 J) = 5,410 J = 1,502.78 mWh
        assertThat(m.energyMwh).isEqualTo(1_503);
    }

    @Test
    void utilisationIsEstimatedWithTheCcfModelUntilAMeterReports() {
        CarbonSettings s = CarbonSettings.defaults();
        NodeClass c = s.nodeClass("edge-standard");
        long mw = c.estimateMilliwatts(50);
        // edge-standard: 16 vCPU × 0.74 W + 40 W idle, 16 × 3.5 W + 40 W at full load
        assertThat(mw).isEqualTo(Math.round((51.84 + 0.5 * (96 - 51.84)) * 1000));
        List<In> samples = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            samples.add(new In(T0 + i * 1000L, i, NodeLedger.UTILISATION, mw, -1));
        }
        for (int i = 61; i <= 180; i++) {
            samples.add(new In(T0 + i * 1000L, 2 * i, NodeLedger.UTILISATION, mw, -1));
            samples.add(new In(T0 + i * 1000L, 2 * i + 1, "GRID", 100_000, -1));
        }
        List<NodeMinute> out = run(ledger("site-a", "edge-standard"), samples, null, s);
        assertThat(out.get(0).totals.estimatedMinutes).isEqualTo(1);
        // 60 s × 73.92 W = 4,435.2 J = 1,232 mWh
        assertThat(out.get(0).totals.energyMwh).isEqualTo(1_232);
        // from 61 s on the meter reports: estimates stop, 100 W from 61 s to 120 s
        assertThat(out.get(1).totals.estimatedMinutes).isEqualTo(1);
        // 1 s estimated (73.92 J) + 59 s metered at 100 W (5,900 J) = 1,659.42 mWh
        assertThat(out.get(1).totals.energyMwh).isEqualTo(1_659);
        assertThat(out.get(2).totals.estimatedMinutes).isZero();
        assertThat(out.get(2).totals.energyMwh).isEqualTo(Math.round(60 * 100 / 3.6));
    }

    /** Random power on three supplies for 10 minutes, with duplicates and counter resets. */
    static List<In> randomNode(long seed) {
        Random r = new Random(seed);
        List<In> out = new ArrayList<>();
        long seq = 0;
        long[] counter = new long[3];
        String[] series = {"GRID", "SOLAR", "WIND"};
        for (long t = T0;
                t < T0 + 10 * MIN;
                t += 1000 + (r.nextInt(10) == 0 ? r.nextInt(90_000) : 0)) {
            for (int k = 0; k < 3; k++) {
                long mw = r.nextInt(400_000);
                counter[k] = r.nextInt(500) == 0 ? 0 : counter[k] + mw;
                boolean hasCounter = r.nextBoolean();
                In x = new In(t + r.nextInt(3), seq++, series[k], mw, hasCounter ? counter[k] : -1);
                out.add(x);
                if (r.nextInt(50) == 0) {
                    out.add(new In(x.time, seq++, x.series, x.mw + 1, x.uj)); // a duplicate
                }
            }
        }
        return out;
    }

    /** Feeds in arrival order with a bounded-out-of-orderness watermark. */
    static List<NodeMinute> feed(List<In> arrival, long bound, GridTimeline t, CarbonSettings s) {
        NodeLedger l = ledger("site-a", "edge-small");
        List<NodeMinute> out = new ArrayList<>();
        long max = Long.MIN_VALUE;
        for (In x : arrival) {
            NodeLedger.Offer o = l.offer(x.time, x.seq, x.series, x.mw, x.uj, s);
            assertThat(o).isNotEqualTo(NodeLedger.Offer.TOO_LATE);
            max = Math.max(max, x.time);
            out.addAll(l.advance(max - bound - 1, t, s));
        }
        out.addAll(l.advance(Long.MAX_VALUE - 1, t, s));
        return out;
    }

    /** Shuffles so that each sample arrives at most {@code bound} ms of event time late. */
    static List<In> shuffleWithin(List<In> inOrder, long bound, Random r) {
        List<In> sorted = new ArrayList<>(inOrder);
        sorted.sort(Comparator.comparingLong(In::time));
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            keys.add(new long[] {sorted.get(i).time + r.nextInt((int) bound + 1), i});
        }
        keys.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        List<In> out = new ArrayList<>();
        for (long[] k : keys) {
            out.add(sorted.get((int) k[1]));
        }
        return out;
    }

    @Test
    void arrivalOrderWithinTheWatermarkBoundCannotChangeAnyReport() {
        CarbonSettings s = CarbonSettings.defaults();
        GridTimeline t = timeline(T0, 300.0, 420.0, T0 + 4 * MIN + 123, 350.0, 500.0);
        for (long seed = 1; seed <= 20; seed++) {
            List<In> node = randomNode(seed);
            List<In> inOrder = new ArrayList<>(node);
            inOrder.sort(Comparator.comparingLong(In::time).thenComparingLong(In::seq));
            String expected = feed(inOrder, 5_000, t, s).toString();
            Random r = new Random(seed * 31);
            for (int round = 0; round < 5; round++) {
                List<In> shuffled = shuffleWithin(node, 5_000, r);
                List<NodeMinute> got = feed(shuffled, 5_000, t, s);
                assertThat(got.toString()).isEqualTo(expected);
                assertThat(got).allMatch(m -> m.revision == 0);
            }
        }
    }

    @Test
    void lateSamplesReviseMinutesToExactlyWhatAnOnTimeRunGives() {
        CarbonSettings s = CarbonSettings.builder().allowedLateness(Duration.ofMinutes(5)).build();
        GridTimeline t = timeline(T0, 300.0, 420.0);
        for (long seed = 1; seed <= 20; seed++) {
            List<In> node = randomNode(seed);
            List<In> inOrder = new ArrayList<>(node);
            inOrder.sort(Comparator.comparingLong(In::time).thenComparingLong(In::seq));
            Map<Long, CarbonTotals> expected = latest(feed(inOrder, 0, t, s));
            // hold back 3 % of the samples by up to 4 minutes: they arrive behind the watermark
            Random r = new Random(seed);
            List<long[]> keys = new ArrayList<>();
            for (int i = 0; i < inOrder.size(); i++) {
                long delay = r.nextInt(33) == 0 ? 1_000 + r.nextInt(240_000) : 0;
                keys.add(new long[] {inOrder.get(i).time + delay, i});
            }
            keys.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
            List<In> arrival = new ArrayList<>();
            for (long[] k : keys) {
                arrival.add(inOrder.get((int) k[1]));
            }
            List<NodeMinute> got = feed(arrival, 0, t, s);
            assertThat(got).anyMatch(m -> m.revision > 0);
            assertThat(latest(got)).isEqualTo(expected);
            // the deltas add up to the final totals, minute by minute
            Map<Long, CarbonTotals> sums = new TreeMap<>();
            for (NodeMinute m : got) {
                sums.computeIfAbsent(m.minuteStart, k -> new CarbonTotals()).add(m.delta, 1);
            }
            assertThat(sums).isEqualTo(expected);
        }
    }

    static Map<Long, CarbonTotals> latest(List<NodeMinute> reports) {
        Map<Long, NodeMinute> byMinute = new TreeMap<>();
        for (NodeMinute m : reports) {
            NodeMinute before = byMinute.get(m.minuteStart);
            if (before == null || m.revision > before.revision) {
                byMinute.put(m.minuteStart, m);
            }
        }
        Map<Long, CarbonTotals> out = new TreeMap<>();
        byMinute.forEach((k, v) -> out.put(k, v.totals));
        return out;
    }

    @Test
    void eventsLaterThanTheAllowedLatenessAreRefused() {
        CarbonSettings s = CarbonSettings.builder().allowedLateness(Duration.ofMinutes(1)).build();
        NodeLedger l = ledger("site-a", "edge-standard");
        for (In x : constant("GRID", 100, T0, T0 + 5 * MIN, 0)) {
            l.offer(x.time, x.seq, x.series, x.mw, x.uj, s);
            l.advance(x.time, null, s);
        }
        assertThat(l.offer(T0 + 4 * MIN, 7, "GRID", 1, -1, s)).isEqualTo(NodeLedger.Offer.TOO_LATE);
        assertThat(l.offer(T0 + 4 * MIN + 1, 7, "GRID", 1, -1, s)).isEqualTo(NodeLedger.Offer.LATE);
    }

    @Test
    void aGridIntensityPublishedLateRevisesTheMinutesItCovers() {
        CarbonSettings s = CarbonSettings.defaults();
        GridTimeline t = timeline(T0, 300.0, null);
        NodeLedger l = ledger("site-a", "edge-standard");
        List<NodeMinute> out = new ArrayList<>();
        for (In x : constant("GRID", 6_000, T0, T0 + 2 * MIN, 0)) {
            l.offer(x.time, x.seq, x.series, x.mw, x.uj, s);
            out.addAll(l.advance(x.time, t, s));
        }
        assertThat(out).hasSize(2);
        assertThat(out.get(0).totals.locationMg).isEqualTo(30_000);
        // a record valid from T0 + 30 s arrives after the watermark passed it
        t.add(grid(T0 + 30_000, 500.0, null), T0 + 2 * MIN);
        List<NodeMinute> revised = l.advance(T0 + 2 * MIN + 1, t, s);
        assertThat(revised).hasSize(2);
        assertThat(revised.get(0).revision).isEqualTo(1);
        // 50 Wh at 300 + 50 Wh at 500 = 40 g, 10 g more than reported
        assertThat(revised.get(0).totals.locationMg).isEqualTo(40_000);
        assertThat(revised.get(0).delta.locationMg).isEqualTo(10_000);
        assertThat(revised.get(0).delta.energyMwh).isZero();
        assertThat(revised.get(1).totals.locationMg).isEqualTo(50_000);
    }

    @Test
    void theStateLayoutRoundTripsMidStream() {
        CarbonSettings s = CarbonSettings.defaults();
        GridTimeline t = timeline(T0, 300.0, 420.0);
        List<In> node = randomNode(7);
        node.sort(Comparator.comparingLong(In::time));
        NodeLedger a = ledger("site-a", "edge-small");
        List<NodeMinute> straight = new ArrayList<>();
        List<NodeMinute> copied = new ArrayList<>();
        NodeLedger b = ledger("site-a", "edge-small");
        for (In x : node) {
            a.offer(x.time, x.seq, x.series, x.mw, x.uj, s);
            straight.addAll(a.advance(x.time - 1, t, s));
            b.offer(x.time, x.seq, x.series, x.mw, x.uj, s);
            // alternately the heap backend's copy and the checkpoint's bytes
            b = x.seq % 2 == 0 ? b.copy() : roundTrip(b);
            copied.addAll(b.advance(x.time - 1, t, s));
        }
        assertThat(copied.toString()).isEqualTo(straight.toString());
        Collections.reverse(straight);
        assertThat(straight).isNotEmpty();
    }

    private static NodeLedger roundTrip(NodeLedger ledger) {
        try {
            org.apache.flink.core.memory.DataOutputSerializer out =
                    new org.apache.flink.core.memory.DataOutputSerializer(1024);
            ledger.writeTo(out);
            return NodeLedger.readFrom(
                    new org.apache.flink.core.memory.DataInputDeserializer(
                            out.getSharedBuffer(), 0, out.length()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
