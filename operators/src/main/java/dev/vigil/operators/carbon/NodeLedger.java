package dev.vigil.operators.carbon;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The carbon books of one node: samples per supply, integrated in event-time order once the
 * watermark has passed them, and the node's one-minute totals. Pure Java, no Flink runtime: {@link
 * NodeCarbonFunction} keeps one per node in keyed state.
 *
 * <p>Order independence: samples wait in {@link #offer} until {@link #advance} is called with a
 * watermark at or past them, and are then integrated sorted by (time, sequence, supply). Among
 * samples of one supply at the same instant the one with the lowest sequence counts, the others are
 * duplicates. Arrival order within the watermark bound therefore cannot change a result.
 *
 * <p>Exactness: energy is held in integer half-microjoules, split at minute boundaries and at
 * changes of grid intensity with {@link EnergySlice#splitAt} (conserving), and kept per minute and
 * intensity segment; a minute is converted to whole mWh and mg once, with exact integer arithmetic,
 * when it is reported.
 *
 * <p>Late data within the allowed lateness (samples behind the watermark, or grid intensities
 * published after their validity began) makes the ledger recompute the minutes it touches from the
 * retained samples; a minute already reported is reported again with {@code revision + 1} and the
 * change. A minute closes when the watermark has passed its end and no supply can still add to it:
 * each has a sample at or after the end, or has been silent for longer than the maximum gap.
 */
public final class NodeLedger {

    /** Length of the ledger's windows. */
    public static final long MINUTE = 60_000L;

    /** Series of power estimated from CPU utilisation (Cloud Carbon Footprint model). */
    public static final String UTILISATION = "UTILISATION";

    /** Half-microjoules per mWh. */
    private static final BigInteger HALF_UJ_PER_MWH = BigInteger.valueOf(7_200_000L);

    /** Half-microjoules per kWh × millionths (PUE) per one. */
    private static final BigInteger HALF_UJ_PER_KWH_PUE =
            BigInteger.valueOf(7_200_000_000_000L).multiply(BigInteger.valueOf(1_000_000L));

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000L);

    /** What became of an offered event. */
    public enum Offer {
        /** Ahead of the watermark: it waits for it. */
        ON_TIME,
        /** Behind the watermark but within the allowed lateness: it will revise reports. */
        LATE,
        /** Behind the allowed lateness: not used; the caller must dead-letter it. */
        TOO_LATE
    }

    /** One power reading (or utilisation estimate) of one supply. */
    record Sample(long time, long sequence, String series, long milliwatts, long microjoules) {}

    static final Comparator<Sample> ORDER =
            Comparator.comparingLong(Sample::time)
                    .thenComparingLong(Sample::sequence)
                    .thenComparing(Sample::series)
                    .thenComparingLong(Sample::milliwatts)
                    .thenComparingLong(Sample::microjoules);

    /** Energy of a minute drawn at one intensity. */
    static final class Segment {
        long average;
        long marginal;
        long grid;
        long renewable;
    }

    static final class Minute {
        final List<Segment> segments = new ArrayList<>(2);
        long[] cover = new long[0];
        long events;
        boolean estimated;
        int revision = -1;
        CarbonTotals reported;
        boolean dirty;

        Minute copy() {
            Minute m = new Minute();
            for (Segment x : segments) {
                Segment y = new Segment();
                y.average = x.average;
                y.marginal = x.marginal;
                y.grid = x.grid;
                y.renewable = x.renewable;
                m.segments.add(y);
            }
            m.cover = cover.clone();
            m.events = events;
            m.estimated = estimated;
            m.revision = revision;
            m.reported = reported == null ? null : reported.copy();
            m.dirty = dirty;
            return m;
        }

        void clearEnergy() {
            segments.clear();
            cover = new long[0];
            estimated = false;
        }

        void add(long average, long marginal, boolean renewable, long halfMicrojoules) {
            Segment s = null;
            for (Segment x : segments) {
                if (x.average == average && x.marginal == marginal) {
                    s = x;
                    break;
                }
            }
            if (s == null) {
                s = new Segment();
                s.average = average;
                s.marginal = marginal;
                segments.add(s);
            }
            if (renewable) {
                s.renewable = Math.addExact(s.renewable, halfMicrojoules);
            } else {
                s.grid = Math.addExact(s.grid, halfMicrojoules);
            }
        }

        /** Adds [from, to) to the merged, sorted covered intervals. */
        void cover(long from, long to) {
            List<long[]> merged = new ArrayList<>();
            boolean placed = false;
            for (int i = 0; i < cover.length; i += 2) {
                long a = cover[i];
                long b = cover[i + 1];
                if (b < from) {
                    merged.add(new long[] {a, b});
                } else if (a > to) {
                    if (!placed) {
                        merged.add(new long[] {from, to});
                        placed = true;
                    }
                    merged.add(new long[] {a, b});
                } else {
                    from = Math.min(from, a);
                    to = Math.max(to, b);
                }
            }
            if (!placed) {
                merged.add(new long[] {from, to});
            }
            merged.sort(Comparator.comparingLong(x -> x[0]));
            long[] c = new long[merged.size() * 2];
            for (int i = 0; i < merged.size(); i++) {
                c[2 * i] = merged.get(i)[0];
                c[2 * i + 1] = merged.get(i)[1];
            }
            cover = c;
        }

        long coveredMillis() {
            long sum = 0;
            for (int i = 0; i < cover.length; i += 2) {
                sum += cover[i + 1] - cover[i];
            }
            return sum;
        }
    }

    private String hub = "";
    private String region = "";
    private String cluster = "";
    private String nodeId = "";
    private String siteId = "";
    private String nodeClass = "";
    private long frontier = Long.MIN_VALUE;
    private boolean metered;
    private long gridChangesSeen;
    private final TreeMap<String, TreeMap<Long, Sample>> history = new TreeMap<>();

    /** Samples waiting for the watermark, earliest first (a backlog can hold many per node). */
    private final PriorityQueue<Sample> pending = new PriorityQueue<>(ORDER);

    private final List<Sample> late = new ArrayList<>();
    private final TreeMap<Long, Minute> minutes = new TreeMap<>();
    private long duplicates;
    private long gaps;

    /** Sets where the node sits (from its newest event). */
    public void identify(
            String hub,
            String region,
            String cluster,
            String nodeId,
            String siteId,
            String nodeClass) {
        this.hub = hub;
        this.region = region;
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.siteId = siteId;
        this.nodeClass = nodeClass;
    }

    public String region() {
        return region;
    }

    /** Event time up to which samples are integrated. */
    public long frontier() {
        return frontier;
    }

    /** Samples dropped as duplicates of an earlier one of the same supply and instant. */
    public long duplicates() {
        return duplicates;
    }

    /** Intervals longer than the maximum gap, left out of the integration. */
    public long gaps() {
        return gaps;
    }

    /**
     * Offers one telemetry event: every event counts towards its minute's events (the SCI unit); a
     * power sample ({@code series} = GRID, SOLAR, WIND, BATTERY) or utilisation estimate ({@link
     * #UTILISATION}) also waits for integration. {@code series} is null for other events.
     *
     * @param milliwatts power, -1 when absent
     * @param microjoules cumulative counter, -1 when absent
     */
    public Offer offer(
            long time,
            long sequence,
            String series,
            long milliwatts,
            long microjoules,
            CarbonSettings settings) {
        if (frontier != Long.MIN_VALUE && time <= frontier - settings.allowedLatenessMillis()) {
            return Offer.TOO_LATE;
        }
        Minute m = minutes.computeIfAbsent(minuteOf(time), k -> new Minute());
        m.events++;
        if (m.revision >= 0) {
            m.dirty = true;
        }
        boolean onTime = time > frontier;
        if (series != null) {
            Sample s = new Sample(time, sequence, series, milliwatts, microjoules);
            (onTime ? pending : late).add(s);
        }
        return onTime ? Offer.ON_TIME : Offer.LATE;
    }

    /**
     * Integrates what the watermark has passed, applies late samples and late grid intensities, and
     * returns the minutes that closed (revision 0) and the corrections of minutes reported before
     * (higher revisions).
     *
     * @param timeline the grid intensity of the node's region, or null when there is no feed
     */
    public List<NodeMinute> advance(long watermark, GridTimeline timeline, CarbonSettings s) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        long horizon = retainedFrom(s);
        if (timeline != null) {
            long changed = timeline.lateChangesSince(gridChangesSeen);
            gridChangesSeen = timeline.lateChanges();
            if (changed != Long.MAX_VALUE && frontier != Long.MIN_VALUE) {
                lo = Math.max(changed, horizon);
                hi = frontier;
            }
        }
        late.sort(ORDER);
        for (Sample x : late) {
            if (UTILISATION.equals(x.series()) && metered) {
                continue; // a meter took over: estimates no longer count
            }
            TreeMap<Long, Sample> h = history.computeIfAbsent(x.series(), k -> new TreeMap<>());
            Sample existing = h.get(x.time());
            if (existing != null) {
                duplicates++;
                if (ORDER.compare(x, existing) >= 0) {
                    continue;
                }
            }
            h.put(x.time(), x);
            Long prev = h.lowerKey(x.time());
            Long next = h.higherKey(x.time());
            lo = Math.min(lo, prev != null ? prev : x.time());
            hi = Math.max(hi, next != null ? next : x.time());
        }
        late.clear();
        if (lo <= hi) {
            recompute(minuteOf(Math.max(lo, horizon)), minuteOf(hi), timeline, s);
        }
        if (watermark > frontier) {
            integratePending(watermark, timeline, s);
            frontier = watermark;
        }
        List<NodeMinute> out = new ArrayList<>();
        for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
            Minute m = e.getValue();
            if (m.revision >= 0) {
                continue;
            }
            if (e.getKey() + MINUTE > watermark || !closable(e.getKey() + MINUTE, watermark, s)) {
                break;
            }
            CarbonTotals t = totals(m, s);
            m.revision = 0;
            m.reported = t;
            m.dirty = false;
            out.add(report(e.getKey(), 0, t, t));
        }
        for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
            Minute m = e.getValue();
            if (m.revision < 0 || !m.dirty) {
                continue;
            }
            m.dirty = false;
            CarbonTotals t = totals(m, s);
            if (!t.equals(m.reported)) {
                m.revision++;
                out.add(report(e.getKey(), m.revision, t, t.minus(m.reported)));
                m.reported = t;
            }
        }
        prune(s);
        return out;
    }

    /** Earliest event time at which this ledger could close a minute it holds (for a timer). */
    public long nextCloseTime(CarbonSettings s) {
        for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
            if (e.getValue().revision >= 0) {
                continue;
            }
            long end = e.getKey() + MINUTE;
            long at = end;
            for (Map.Entry<String, TreeMap<Long, Sample>> h : history.entrySet()) {
                if (metered && UTILISATION.equals(h.getKey())) {
                    continue;
                }
                long last = h.getValue().lastKey();
                if (last < end) {
                    at = Math.max(at, last + s.maxGapMillis());
                }
            }
            return at;
        }
        return Long.MAX_VALUE;
    }

    /** True when the ledger holds nothing that can still be reported or corrected. */
    public boolean idle(CarbonSettings s) {
        if (!minutes.isEmpty() || !pending.isEmpty() || !late.isEmpty()) {
            return false;
        }
        long horizon = retainedFrom(s);
        for (TreeMap<Long, Sample> h : history.values()) {
            if (h.lastKey() >= horizon) {
                return false;
            }
        }
        return true;
    }

    private long retainedFrom(CarbonSettings s) {
        return frontier == Long.MIN_VALUE
                ? Long.MIN_VALUE
                : frontier - s.allowedLatenessMillis() - s.maxGapMillis();
    }

    private void integratePending(long watermark, GridTimeline timeline, CarbonSettings s) {
        if (pending.isEmpty() || pending.peek().time() > watermark) {
            return;
        }
        // what the watermark passed, in ORDER (time first), without touching the rest
        List<Sample> ready = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().time() <= watermark) {
            ready.add(pending.poll());
        }
        for (Sample x : ready) {
            boolean utilisation = UTILISATION.equals(x.series());
            if (utilisation && metered) {
                continue;
            }
            if (!utilisation) {
                metered = true;
            }
            TreeMap<Long, Sample> h = history.computeIfAbsent(x.series(), k -> new TreeMap<>());
            if (h.containsKey(x.time())) {
                duplicates++;
                continue;
            }
            Map.Entry<Long, Sample> prev = h.lastEntry();
            h.put(x.time(), x);
            if (prev != null) {
                integrate(prev.getValue(), x, Long.MIN_VALUE, Long.MAX_VALUE, timeline, s, true);
            }
        }
    }

    /** Rebuilds the energy of minutes [fromMinute, toMinute] from the retained samples. */
    private void recompute(
            long fromMinute, long toMinute, GridTimeline timeline, CarbonSettings s) {
        for (Minute m : minutes.subMap(fromMinute, true, toMinute, true).values()) {
            m.clearEnergy();
            if (m.revision >= 0) {
                m.dirty = true;
            }
        }
        long end = toMinute + MINUTE;
        for (TreeMap<Long, Sample> h : history.values()) {
            Long start = h.floorKey(fromMinute);
            Sample prev = null;
            for (Sample x : h.tailMap(start == null ? h.firstKey() : start, true).values()) {
                if (prev != null) {
                    integrate(prev, x, fromMinute, end, timeline, s, false);
                }
                if (x.time() >= end) {
                    break;
                }
                prev = x;
            }
        }
    }

    /**
     * Adds the energy between consecutive samples {@code a} and {@code b} to the minutes in [from,
     * to), split at minute boundaries and intensity changes.
     */
    private void integrate(
            Sample a,
            Sample b,
            long from,
            long to,
            GridTimeline timeline,
            CarbonSettings s,
            boolean count) {
        EnergySlice slice =
                b.time() - a.time() > s.maxGapMillis()
                        ? null
                        : PowerIntegrator.between(
                                a.time(),
                                a.milliwatts(),
                                a.microjoules(),
                                b.time(),
                                b.milliwatts(),
                                b.microjoules());
        if (slice == null) {
            if (count) {
                gaps++;
            }
            return;
        }
        boolean renewable = "SOLAR".equals(a.series()) || "WIND".equals(a.series());
        boolean estimated = UTILISATION.equals(a.series());
        List<Long> cuts = new ArrayList<>();
        for (long m = minuteOf(a.time()) + MINUTE; m < b.time(); m += MINUTE) {
            cuts.add(m);
        }
        if (timeline != null) {
            cuts.addAll(timeline.changesWithin(a.time(), b.time()));
            cuts.sort(null);
        }
        EnergySlice rest = slice;
        int i = 0;
        while (rest != null) {
            while (i < cuts.size() && cuts.get(i) <= rest.from()) {
                i++;
            }
            EnergySlice piece;
            if (i < cuts.size()) {
                EnergySlice[] parts = rest.splitAt(cuts.get(i));
                piece = parts[0];
                rest = parts[1];
            } else {
                piece = rest;
                rest = null;
            }
            if (piece.from() < from || piece.from() >= to) {
                continue;
            }
            GridTimeline.Intensity intensity = timeline == null ? null : timeline.at(piece.from());
            Minute m = minutes.computeIfAbsent(minuteOf(piece.from()), k -> new Minute());
            m.add(
                    intensity == null ? s.gridDefaultMgPerKwh() : intensity.average(),
                    intensity == null ? -1 : intensity.marginal(),
                    renewable,
                    piece.halfMicrojoules());
            m.cover(piece.from(), piece.to());
            m.estimated |= estimated;
        }
    }

    private boolean closable(long end, long watermark, CarbonSettings s) {
        for (Map.Entry<String, TreeMap<Long, Sample>> e : history.entrySet()) {
            if (metered && UTILISATION.equals(e.getKey())) {
                continue; // estimates stopped when the meter began: nothing more can come
            }
            long last = e.getValue().lastKey();
            if (last < end && watermark < last + s.maxGapMillis()) {
                return false;
            }
        }
        return true;
    }

    /** The minute's totals in whole mWh and mg (half-up). */
    CarbonTotals totals(Minute m, CarbonSettings s) {
        BigInteger pue = BigInteger.valueOf(s.pue(siteId));
        BigInteger certificateFree =
                BigInteger.valueOf(CarbonSettings.MILLIONTHS - s.certificateShare(region));
        BigInteger renewableFactor = BigInteger.valueOf(s.renewableMgPerKwh());
        BigInteger energy = BigInteger.ZERO;
        BigInteger renewable = BigInteger.ZERO;
        BigInteger location = BigInteger.ZERO;
        BigInteger market = BigInteger.ZERO;
        BigInteger marginal = BigInteger.ZERO;
        boolean marginalMissing = false;
        for (Segment x : m.segments) {
            BigInteger grid = BigInteger.valueOf(x.grid);
            BigInteger green = BigInteger.valueOf(x.renewable);
            BigInteger all = grid.add(green);
            energy = energy.add(all);
            renewable = renewable.add(green);
            BigInteger average = BigInteger.valueOf(x.average);
            location = location.add(all.multiply(average));
            market =
                    market.add(grid.multiply(average).multiply(certificateFree))
                            .add(green.multiply(renewableFactor).multiply(MILLION));
            if (x.marginal < 0) {
                marginalMissing |= all.signum() > 0;
            } else {
                marginal = marginal.add(all.multiply(BigInteger.valueOf(x.marginal)));
            }
        }
        CarbonTotals t = new CarbonTotals();
        t.energyMwh = round(energy, HALF_UJ_PER_MWH);
        t.renewableMwh = round(renewable, HALF_UJ_PER_MWH);
        t.facilityMwh = round(energy.multiply(pue), HALF_UJ_PER_MWH.multiply(MILLION));
        t.locationMg = round(location.multiply(pue), HALF_UJ_PER_KWH_PUE);
        t.marketMg = round(market.multiply(pue), HALF_UJ_PER_KWH_PUE.multiply(MILLION));
        t.marginalMg = marginalMissing ? 0 : round(marginal.multiply(pue), HALF_UJ_PER_KWH_PUE);
        t.marginalMissing = marginalMissing ? 1 : 0;
        t.embodiedMg = s.nodeClass(nodeClass).embodiedMilligrams(MINUTE);
        t.coveredMs = m.coveredMillis();
        t.nodeMinutes = 1;
        t.events = m.events;
        t.estimatedMinutes = m.estimated ? 1 : 0;
        return t;
    }

    private static long round(BigInteger numerator, BigInteger denominator) {
        return numerator
                .shiftLeft(1)
                .add(denominator)
                .divide(denominator.shiftLeft(1))
                .longValueExact();
    }

    private NodeMinute report(long minute, int revision, CarbonTotals totals, CarbonTotals delta) {
        NodeMinute r = new NodeMinute();
        r.hub = hub;
        r.region = region;
        r.cluster = cluster;
        r.nodeId = nodeId;
        r.siteId = siteId;
        r.nodeClass = nodeClass;
        r.minuteStart = minute;
        r.revision = revision;
        r.totals = totals;
        r.delta = delta;
        return r;
    }

    private void prune(CarbonSettings s) {
        long horizon = retainedFrom(s);
        minutes.headMap(minuteOf(horizon), false)
                .entrySet()
                .removeIf(e -> e.getValue().revision >= 0 && !e.getValue().dirty);
        for (TreeMap<Long, Sample> h : history.values()) {
            // keep the sample at or before the first retained minute's start: recomputing that
            // minute needs the interval that runs into it
            Long keep = h.floorKey(minuteOf(horizon));
            if (keep != null) {
                h.headMap(keep, false).clear();
            }
        }
    }

    static long minuteOf(long time) {
        return Math.floorDiv(time, MINUTE) * MINUTE;
    }

    // ---- state layout (NodeLedgerSerializer) ----

    public void writeTo(DataOutputView out) throws IOException {
        out.writeUTF(hub);
        out.writeUTF(region);
        out.writeUTF(cluster);
        out.writeUTF(nodeId);
        out.writeUTF(siteId);
        out.writeUTF(nodeClass);
        out.writeLong(frontier);
        out.writeBoolean(metered);
        out.writeLong(gridChangesSeen);
        out.writeLong(duplicates);
        out.writeLong(gaps);
        out.writeInt(history.size());
        for (Map.Entry<String, TreeMap<Long, Sample>> e : history.entrySet()) {
            out.writeUTF(e.getKey());
            writeSamples(new ArrayList<>(e.getValue().values()), out);
        }
        List<Sample> waiting = new ArrayList<>(pending);
        waiting.sort(ORDER);
        writeSamples(waiting, out);
        writeSamples(late, out);
        out.writeInt(minutes.size());
        for (Map.Entry<Long, Minute> e : minutes.entrySet()) {
            Minute m = e.getValue();
            out.writeLong(e.getKey());
            out.writeInt(m.segments.size());
            for (Segment x : m.segments) {
                out.writeLong(x.average);
                out.writeLong(x.marginal);
                out.writeLong(x.grid);
                out.writeLong(x.renewable);
            }
            out.writeInt(m.cover.length);
            for (long c : m.cover) {
                out.writeLong(c);
            }
            out.writeLong(m.events);
            out.writeBoolean(m.estimated);
            out.writeInt(m.revision);
            out.writeBoolean(m.dirty);
            if (m.revision >= 0) {
                writeTotals(m.reported, out);
            }
        }
    }

    public static NodeLedger readFrom(DataInputView in) throws IOException {
        NodeLedger l = new NodeLedger();
        l.hub = in.readUTF();
        l.region = in.readUTF();
        l.cluster = in.readUTF();
        l.nodeId = in.readUTF();
        l.siteId = in.readUTF();
        l.nodeClass = in.readUTF();
        l.frontier = in.readLong();
        l.metered = in.readBoolean();
        l.gridChangesSeen = in.readLong();
        l.duplicates = in.readLong();
        l.gaps = in.readLong();
        for (int n = in.readInt(); n > 0; n--) {
            String series = in.readUTF();
            TreeMap<Long, Sample> h = new TreeMap<>();
            for (Sample x : readSamples(series, in)) {
                h.put(x.time(), x);
            }
            l.history.put(series, h);
        }
        l.pending.addAll(readSamples(null, in));
        l.late.addAll(readSamples(null, in));
        for (int n = in.readInt(); n > 0; n--) {
            long start = in.readLong();
            Minute m = new Minute();
            for (int k = in.readInt(); k > 0; k--) {
                Segment x = new Segment();
                x.average = in.readLong();
                x.marginal = in.readLong();
                x.grid = in.readLong();
                x.renewable = in.readLong();
                m.segments.add(x);
            }
            m.cover = new long[in.readInt()];
            for (int k = 0; k < m.cover.length; k++) {
                m.cover[k] = in.readLong();
            }
            m.events = in.readLong();
            m.estimated = in.readBoolean();
            m.revision = in.readInt();
            m.dirty = in.readBoolean();
            if (m.revision >= 0) {
                m.reported = readTotals(in);
            }
            l.minutes.put(start, m);
        }
        return l;
    }

    private static void writeSamples(List<Sample> samples, DataOutputView out) throws IOException {
        out.writeInt(samples.size());
        for (Sample x : samples) {
            out.writeLong(x.time());
            out.writeLong(x.sequence());
            out.writeUTF(x.series());
            out.writeLong(x.milliwatts());
            out.writeLong(x.microjoules());
        }
    }

    private static List<Sample> readSamples(String series, DataInputView in) throws IOException {
        int n = in.readInt();
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long time = in.readLong();
            long sequence = in.readLong();
            String s = in.readUTF();
            samples.add(
                    new Sample(
                            time,
                            sequence,
                            series == null ? s : series,
                            in.readLong(),
                            in.readLong()));
        }
        return samples;
    }

    private static void writeTotals(CarbonTotals t, DataOutputView out) throws IOException {
        for (long v :
                new long[] {
                    t.energyMwh,
                    t.renewableMwh,
                    t.facilityMwh,
                    t.locationMg,
                    t.marketMg,
                    t.marginalMg,
                    t.marginalMissing,
                    t.embodiedMg,
                    t.coveredMs,
                    t.nodeMinutes,
                    t.events,
                    t.estimatedMinutes
                }) {
            out.writeLong(v);
        }
    }

    private static CarbonTotals readTotals(DataInputView in) throws IOException {
        CarbonTotals t = new CarbonTotals();
        t.energyMwh = in.readLong();
        t.renewableMwh = in.readLong();
        t.facilityMwh = in.readLong();
        t.locationMg = in.readLong();
        t.marketMg = in.readLong();
        t.marginalMg = in.readLong();
        t.marginalMissing = in.readLong();
        t.embodiedMg = in.readLong();
        t.coveredMs = in.readLong();
        t.nodeMinutes = in.readLong();
        t.events = in.readLong();
        t.estimatedMinutes = in.readLong();
        return t;
    }

    /** A deep copy (through the state layout). */
    public NodeLedger copy() {
        // a deep copy without a serialization round trip: the heap state backend copies every
        // ledger touched after each checkpoint (copy-on-write snapshots)
        NodeLedger l = new NodeLedger();
        l.hub = hub;
        l.region = region;
        l.cluster = cluster;
        l.nodeId = nodeId;
        l.siteId = siteId;
        l.nodeClass = nodeClass;
        l.frontier = frontier;
        l.metered = metered;
        l.gridChangesSeen = gridChangesSeen;
        l.duplicates = duplicates;
        l.gaps = gaps;
        // samples are immutable records and may be shared
        history.forEach((series, samples) -> l.history.put(series, new TreeMap<>(samples)));
        l.pending.addAll(pending);
        l.late.addAll(late);
        minutes.forEach((start, m) -> l.minutes.put(start, m.copy()));
        return l;
    }
}
