package dev.vigil.bench;

import dev.vigil.operators.carbon.CarbonSettings;
import dev.vigil.operators.carbon.GridTimeline;
import dev.vigil.operators.carbon.NodeLedger;
import dev.vigil.operators.carbon.NodeMinute;
import dev.vigil.operators.carbon.PowerIntegrator;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.TelemetryEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Carbon hot path, in one JVM on one thread, no Flink: every telemetry event of a simulated fleet
 * offered to its node's {@link NodeLedger} in arrival order, the watermark advanced once per second
 * of event time for every node (as the job's per-second timers do), minutes closed and converted to
 * exact integers. The baseline, measured in the same run, is the naive integration a first version
 * would write: a double trapezoid per pair of consecutive power samples added to a per-node-minute
 * double, in arrival order, with no sorting, no exactness and no late-data support. Medians of five
 * timed passes after two warm-ups; per core (thread CPU time).
 *
 * <p>Usage: {@code bench/run-carbon.sh [--nodes 200] [--minutes 20]}.
 */
public final class CarbonBenchmark {

    private CarbonBenchmark() {}

    public static void main(String[] args) throws Exception {
        int nodes = 200;
        int minutes = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--minutes" -> minutes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<TelemetryEvent> events = new ArrayList<>();
        List<GridIntensity> grid = new ArrayList<>();
        SimulatedFleet.run(nodes, minutes * 60, events::add, grid::add);
        long powerSamples = events.stream().filter(e -> e.getPower() != null).count();
        System.out.printf(
                Locale.ROOT,
                "%,d events (%,d power samples) of %d nodes over %d minutes, %d grid records%n",
                events.size(),
                powerSamples,
                nodes,
                minutes,
                grid.size());

        CarbonSettings settings = CarbonSettings.defaults();
        double[] baseline = new double[5];
        double[] ledger = new double[5];
        long[] reports = new long[1];
        long[] stateBytes = new long[1];
        for (int pass = 0; pass < 7; pass++) {
            double b = naive(events);
            double l = ledgers(events, grid, settings, reports, stateBytes);
            if (pass >= 2) {
                baseline[pass - 2] = b;
                ledger[pass - 2] = l;
            }
        }
        double base = median(baseline);
        double exact = median(ledger);
        System.out.printf(
                Locale.ROOT,
                "baseline (naive double trapezoids): %,.0f events/s per core%n",
                events.size() / base);
        System.out.printf(
                Locale.ROOT,
                "node ledgers (exact, sorted at the watermark): %,.0f events/s per core, %.2fx the"
                        + " baseline's time; %,d node-minute reports%n",
                events.size() / exact,
                exact / base,
                reports[0]);
        System.out.printf(
                Locale.ROOT,
                "ledger state after the run: %,d bytes for %d nodes = %,d bytes per node%n",
                stateBytes[0],
                nodes,
                stateBytes[0] / nodes);
    }

    /** Seconds of thread CPU time for the naive integration. */
    static double naive(List<TelemetryEvent> events) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        Map<String, double[]> last = new HashMap<>();
        Map<String, Double> minuteJoules = new HashMap<>();
        for (TelemetryEvent e : events) {
            PowerSample p = e.getPower();
            if (p == null || p.getPowerW() == null) {
                continue;
            }
            long t = e.getEventTime().toEpochMilli();
            String series = e.getNode().getNodeId() + "/" + p.getSource();
            double[] prev = last.put(series, new double[] {t, p.getPowerW()});
            if (prev != null && t > prev[0]) {
                double joules = (prev[1] + p.getPowerW()) / 2 * (t - prev[0]) / 1000.0;
                minuteJoules.merge(e.getNode().getNodeId() + "/" + t / 60_000, joules, Double::sum);
            }
        }
        if (minuteJoules.isEmpty()) {
            throw new IllegalStateException("nothing integrated");
        }
        return (mx.getCurrentThreadCpuTime() - t0) / 1e9;
    }

    /** Seconds of thread CPU time for the node ledgers. */
    static double ledgers(
            List<TelemetryEvent> events,
            List<GridIntensity> grid,
            CarbonSettings settings,
            long[] reports,
            long[] stateBytes)
            throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        Map<String, GridTimeline> timelines = new HashMap<>();
        for (GridIntensity g : grid) {
            timelines
                    .computeIfAbsent(g.getRegion(), k -> new GridTimeline())
                    .add(g, Long.MIN_VALUE);
        }
        Map<String, NodeLedger> ledgers = new HashMap<>();
        long second = Long.MIN_VALUE;
        long count = 0;
        for (TelemetryEvent e : events) {
            long t = e.getEventTime().toEpochMilli();
            if (t / 1000 > second) {
                // a new second: the watermark (5 s bound) reaches every node's timers
                second = t / 1000;
                for (NodeLedger l : ledgers.values()) {
                    List<NodeMinute> closed =
                            l.advance(t - 5_001, timelines.get(l.region()), settings);
                    count += closed.size();
                }
            }
            NodeLedger l =
                    ledgers.computeIfAbsent(
                            e.getNode().getNodeId(),
                            k -> {
                                NodeLedger n = new NodeLedger();
                                n.identify(
                                        e.getNode().getHub(),
                                        e.getNode().getRegion(),
                                        e.getNode().getCluster(),
                                        e.getNode().getNodeId(),
                                        e.getNode().getSiteId(),
                                        e.getNode().getNodeClass());
                                return n;
                            });
            PowerSample p = e.getPower();
            if (p != null) {
                l.offer(
                        t,
                        e.getSequence(),
                        p.getSource(),
                        PowerIntegrator.milliwatts(p.getPowerW()),
                        PowerIntegrator.microjoules(p.getEnergyJ()),
                        settings);
            } else {
                l.offer(t, e.getSequence(), null, -1, -1, settings);
            }
        }
        double seconds = (mx.getCurrentThreadCpuTime() - t0) / 1e9;
        reports[0] = count;
        DataOutputSerializer state = new DataOutputSerializer(1 << 20);
        for (NodeLedger l : ledgers.values()) {
            l.writeTo(state);
        }
        stateBytes[0] = state.length();
        return seconds;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
