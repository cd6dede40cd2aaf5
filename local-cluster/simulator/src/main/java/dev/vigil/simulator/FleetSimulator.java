package dev.vigil.simulator;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.GridZone;
import dev.vigil.simulator.fleet.SimNode;
import dev.vigil.simulator.scenario.ChangeWindow;
import dev.vigil.simulator.scenario.Scenario;
import dev.vigil.simulator.scenario.ScenarioScheduler;
import dev.vigil.simulator.scenario.ScenarioType;
import dev.vigil.simulator.scenario.Security;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates the telemetry of a fleet tick by tick in event time: diurnal load and power curves,
 * mixed grid, solar and wind supply, background security activity, and the labelled scenarios of a
 * {@link ScenarioScheduler}. Pure and deterministic: the same fleet, seed and start give the same
 * events, whatever the pacing or the sink.
 */
public final class FleetSimulator {

    /** Receives what the simulator produces. */
    public interface Output {
        void telemetry(TelemetryEvent event);

        void label(GroundTruthLabel label);

        void gridIntensity(GridIntensity intensity);
    }

    /** Grid intensity is published per region at this interval. */
    public static final long GRID_INTERVAL_MILLIS = 300_000L;

    /**
     * No injection starts in the first minutes of a run: detectors that compare a node with its own
     * baseline need a few minutes of normal behaviour first, as they would after any restart.
     */
    public static final long WARM_UP_MILLIS = 300_000L;

    /** Sequence numbers reserved per second of start time, see the constructor. */
    public static final long SEQUENCE_PER_SECOND = 100;

    private static final String[] CDN = {
        "151.101.1.69", "104.16.132.229", "13.107.42.14", "142.250.185.78", "23.45.67.89"
    };
    private static final String COLLECTOR = "10.250.0.1";

    private final Fleet fleet;
    private final boolean alternateBackground;
    private final long tickMillis;
    private final long seed;
    private final ScenarioScheduler scheduler;
    private final long[] sequence;
    private final double[] memory;
    private final double[] disk;
    private final Map<String, Double> windState = new HashMap<>();
    private final Map<String, double[]> energy = new HashMap<>();
    private final Map<String, List<TelemetryEvent>> previousTick = new HashMap<>();
    private final Deque<Scenario> pending = new ArrayDeque<>();
    private final List<Scenario> active = new ArrayList<>();
    private final long startMillis;
    private long plannedUntil;
    private long ticks;

    /**
     * @param scenarios scenario types to inject (empty for normal traffic only)
     * @param scenariosPerHour attacks per type per hour, and as many near misses
     * @param startMillis event time of the first tick; rounded down to a whole tick
     */
    public FleetSimulator(
            Fleet fleet,
            long tickMillis,
            Set<ScenarioType> scenarios,
            double scenariosPerHour,
            long startMillis) {
        this(fleet, tickMillis, scenarios, scenariosPerHour, startMillis, false);
    }

    /**
     * @param outsideRanges variant scenarios draw their parameters from beyond their tuned ranges
     */
    public FleetSimulator(
            Fleet fleet,
            long tickMillis,
            Set<ScenarioType> scenarios,
            double scenariosPerHour,
            long startMillis,
            boolean outsideRanges) {
        this(fleet, tickMillis, scenarios, scenariosPerHour, startMillis, outsideRanges, false);
    }

    /**
     * @param alternateBackground normal traffic of another fleet design ({@code --background
     *     alternate}): another daily shape, load mix and node classes than the models were trained
     *     on
     */
    public FleetSimulator(
            Fleet fleet,
            long tickMillis,
            Set<ScenarioType> scenarios,
            double scenariosPerHour,
            long startMillis,
            boolean outsideRanges,
            boolean alternateBackground) {
        this.alternateBackground = alternateBackground;
        this.fleet = fleet;
        this.tickMillis = tickMillis;
        this.seed = fleet.spec().seed();
        this.scheduler =
                new ScenarioScheduler(
                        fleet, scenarios, scenariosPerHour, seed, tickMillis, outsideRanges);
        int n = fleet.nodes().size();
        this.sequence = new long[n];
        this.memory = new double[n];
        this.disk = new double[n];
        this.startMillis = startMillis - Math.floorMod(startMillis, tickMillis);
        for (SimNode node : fleet.nodes()) {
            memory[node.index()] = node.baseMemory();
            disk[node.index()] = node.baseDisk();
            // agents keep counting across restarts: a later run starts above any earlier one
            // (as long as a node sends fewer than SEQUENCE_PER_SECOND events per second)
            sequence[node.index()] = this.startMillis / 1000 * SEQUENCE_PER_SECOND;
        }
        this.plannedUntil =
                this.startMillis - Math.floorMod(this.startMillis, ScenarioScheduler.BLOCK_MILLIS);
    }

    public Fleet fleet() {
        return fleet;
    }

    /** Event time of tick {@code i}. */
    public long timeOf(long tick) {
        return startMillis + tick * tickMillis;
    }

    /** Ticks generated so far. */
    public long ticks() {
        return ticks;
    }

    /** Injections that could not be placed (no free node or slot). */
    public int skippedScenarios() {
        return scheduler.skipped();
    }

    /** Generates the next tick. */
    public void next(Output out) {
        long t = timeOf(ticks++);
        planUpTo(t, out);
        activate(t);
        if (Math.floorMod(t, GRID_INTERVAL_MILLIS) == 0 || t == startMillis) {
            for (Map.Entry<String, GridZone> region : fleet.regions().entrySet()) {
                out.gridIntensity(intensity(region.getKey(), region.getValue(), t));
            }
        }
        Map<String, Double> windNow = advanceWind(t);
        for (SimNode node : fleet.nodes()) {
            SplittableRandom random = new SplittableRandom(mix(seed, node.index(), t));
            NodeTick tick = normal(node, t, random, windNow);
            for (Scenario scenario : active) {
                if (scenario.targets().contains(node)) {
                    scenario.apply(t, node, tick);
                }
            }
            emit(node, t, tick, random, windNow, out);
        }
    }

    private void planUpTo(long t, Output out) {
        while (plannedUntil <= t) {
            for (Scenario scenario : scheduler.plan(plannedUntil, startMillis + WARM_UP_MILLIS)) {
                pending.add(scenario);
                out.label(scenario.label());
            }
            plannedUntil += ScenarioScheduler.BLOCK_MILLIS;
        }
    }

    private void activate(long t) {
        active.removeIf(s -> s.end() < t);
        while (!pending.isEmpty() && pending.peek().start() <= t) {
            active.add(pending.poll());
        }
    }

    private NodeTick normal(
            SimNode node, long t, SplittableRandom random, Map<String, Double> wind) {
        int i = node.index();
        double load = load(node, t);
        NodeTick tick = new NodeTick();
        tick.cpu = clamp(node.baseCpu() * (0.4 + 0.6 * load) + random.nextGaussian() * 3, 1, 99);
        memory[i] =
                clamp(
                        memory[i]
                                + 0.02 * (node.baseMemory() - memory[i])
                                + random.nextGaussian() * 0.2,
                        5,
                        90);
        tick.memory = memory[i];
        // logs grow slowly and are rotated every six hours
        disk[i] =
                Math.floorMod(t, 21_600_000L) < tickMillis
                        ? node.baseDisk()
                        : Math.min(90, disk[i] + 0.0002 * tickMillis / 1000);
        tick.disk = disk[i];
        double seconds = tickMillis / 1000.0;
        tick.networkOut =
                (long)
                        (node.egressBytesPerSecond()
                                * (0.3 + 0.7 * load)
                                * StrictMath.exp(random.nextGaussian() * 0.3)
                                * seconds);
        tick.networkIn =
                (long)
                        (node.ingressBytesPerSecond()
                                * (0.3 + 0.7 * load)
                                * StrictMath.exp(random.nextGaussian() * 0.3)
                                * seconds);
        tick.packetLoss = Math.abs(random.nextGaussian() * 0.1);
        tick.latencyMs = 8 + 4 * load + Math.abs(random.nextGaussian() * 2);
        tick.temperature = node.ambientC() + 0.07 * tick.cpu + random.nextGaussian() * 0.3;
        tick.errorRate = 0.001 + 0.002 * load;
        tick.responseTimeMs = 40 + 60 * load + random.nextGaussian() * 5;
        if (alternateBackground) {
            alternate(node, t, tick);
        }
        background(node, t, random, tick);
        return tick;
    }

    /**
     * A benign fleet of another design than the one the models were trained on: a night-shift daily
     * shape (busiest around 02:00 local, quiet at noon), a heavier and burstier load mix, and node
     * classes with more memory in use, fuller disks, three times the egress and warmer rooms.
     * Nothing in it is an incident; it measures how quiet the anomaly scores stay on a fleet unlike
     * the training data. Deterministic: a function of the node, the time and the tick.
     */
    private static void alternate(SimNode node, long t, NodeTick tick) {
        double hour = localHour(node.zone(), t);
        double shift = 0.45 + 0.45 * StrictMath.cos(Math.PI * (hour - 2) / 12);
        double burst = 1 + 0.25 * StrictMath.sin(t / 37_000.0 + node.index());
        tick.cpu = clamp((20 + 50 * shift) * burst, 1, 97);
        tick.memory = Math.min(82, tick.memory + 15 + 5 * shift);
        tick.disk = Math.min(82, tick.disk + 12);
        tick.networkOut = (long) (tick.networkOut * 3 * (0.6 + shift));
        tick.networkIn = (long) (tick.networkIn * 1.5 * (0.6 + shift));
        tick.latencyMs = tick.latencyMs * 1.8;
        tick.responseTimeMs = tick.responseTimeMs * 1.5 + 30 * shift;
        tick.temperature = Math.min(33.5, tick.temperature + 3 + 0.03 * tick.cpu);
        tick.errorRate = tick.errorRate * 2;
    }

    /**
     * Normal security activity: service logins, a heartbeat, browsing, processes, planned changes.
     */
    private void background(SimNode node, long t, SplittableRandom random, NodeTick tick) {
        double perTick = tickMillis / 1000.0;
        String cluster = node.identity().getCluster();
        String gatewayIp = "10.250." + (node.index() / 10 % 250) + ".1";
        if (random.nextDouble() < perTick / 600) {
            tick.add(
                    random.nextInt(1000),
                    Security.authSuccess("svc-" + node.nodeId(), "CERTIFICATE", gatewayIp));
        }
        if (random.nextDouble() < perTick / 21_600) {
            tick.add(
                    random.nextInt(1000),
                    Security.authSuccess(
                            "operator-" + cluster,
                            "TOTP",
                            "10.250.1." + (10 + random.nextInt(200))));
        }
        if (random.nextDouble() < perTick / 7_200) {
            tick.add(
                    random.nextInt(1000),
                    Security.authFailure(
                            "operator-" + cluster,
                            "PASSWORD",
                            "BAD_PASSWORD",
                            "10.250.1." + (10 + random.nextInt(200))));
        }
        // the telemetry agent's heartbeat to the collector: periodic, internal, benign
        if (Math.floorMod(t / 1000 - node.index(), 30) == 0) {
            tick.add(0, Security.connection(node.ip(), COLLECTOR, 443, 512));
        }
        if (random.nextDouble() < perTick / 20) {
            tick.add(
                    random.nextInt(1000),
                    Security.connection(
                            node.ip(),
                            CDN[random.nextInt(CDN.length)],
                            443,
                            2_000 + random.nextInt(200_000)));
        }
        if (random.nextDouble() < perTick / 900) {
            tick.add(
                    random.nextInt(1000),
                    Security.processStart(
                            "svc-" + node.nodeId(),
                            Fleet.KNOWN_PROCESSES.get(
                                    random.nextInt(Fleet.KNOWN_PROCESSES.size()))));
        }
        if (random.nextDouble() < perTick / 120) {
            tick.add(
                    random.nextInt(1000),
                    Security.fileAccess(
                            "svc-" + node.nodeId(),
                            "/var/lib/edge/data-" + random.nextInt(100) + ".db"));
        }
        if (random.nextDouble() < perTick / 10_800) {
            tick.add(random.nextInt(1000), Security.privilegeChange("operator-" + cluster, "root"));
        }
        if (ChangeWindow.contains(t) && random.nextDouble() < perTick / 3_600) {
            tick.add(
                    random.nextInt(1000),
                    Security.configChange("operator-" + cluster, "app.feature_flags"));
        }
    }

    private void emit(
            SimNode node,
            long t,
            NodeTick tick,
            SplittableRandom random,
            Map<String, Double> wind,
            Output out) {
        int i = node.index();
        String nodeId = node.nodeId();
        if (tick.replayPrevious && previousTick.containsKey(nodeId)) {
            previousTick.get(nodeId).forEach(out::telemetry);
            return;
        }
        sequence[i] += tick.sequenceJump;
        List<TelemetryEvent> events = new ArrayList<>();
        if (tick.dropMetric) {
            sequence[i]++; // sent, but lost on the way
        } else {
            events.add(event(node, "sys", t, metric(tick)));
        }
        double watts =
                node.idleWatts()
                        + Math.min(100, Math.max(0, tick.cpu))
                                / 100
                                * (node.maxWatts() - node.idleWatts());
        double solar =
                Math.min(
                        watts,
                        node.solarPeakWatts()
                                * daylight(node.zone(), t)
                                * (0.7 + 0.3 * random.nextDouble()));
        double windW =
                Math.min(
                        watts - solar,
                        node.windPeakWatts() * wind.get(node.identity().getRegion()));
        double grid = watts - solar - windW;
        events.add(event(node, "pwr-grid", t, power(nodeId, "GRID", grid, t, random)));
        if (node.solarPeakWatts() > 0) {
            events.add(event(node, "pwr-solar", t, power(nodeId, "SOLAR", solar, t, random)));
        }
        if (node.windPeakWatts() > 0) {
            events.add(event(node, "pwr-wind", t, power(nodeId, "WIND", windW, t, random)));
        }
        for (int s = 0; s < fleet.spec().extraSensors(); s++) {
            MetricSample ambient =
                    MetricSample.newBuilder()
                            .setTemperatureC(round(node.ambientC() + random.nextGaussian() * 0.2))
                            .setIntervalMs(tickMillis)
                            .build();
            events.add(event(node, "env-" + s, t, ambient));
        }
        tick.security.sort(Comparator.comparingLong(NodeTick.TimedSecurityEvent::offsetMs));
        for (NodeTick.TimedSecurityEvent security : tick.security) {
            events.add(
                    event(
                            node,
                            "sec",
                            t + Math.min(tickMillis - 1, security.offsetMs()),
                            security.event()));
        }
        for (int k = 0; k < events.size(); k++) {
            TelemetryEvent e = events.get(k);
            long seq = sequence[i]++;
            e.setSequence(seq);
            e.setEventId(nodeId + "-" + seq);
            out.telemetry(e);
        }
        tick.resend.forEach(out::telemetry);
        previousTick.put(nodeId, events);
        for (Scenario scenario : pending) {
            if (scenario.targets().contains(node)) {
                scenario.observe(t, node, events);
            }
        }
        for (Scenario scenario : active) {
            if (scenario.targets().contains(node)) {
                scenario.observe(t, node, events);
            }
        }
    }

    private TelemetryEvent event(SimNode node, String sensor, long t, Object payload) {
        TelemetryEvent.Builder builder =
                TelemetryEvent.newBuilder()
                        .setEventId("")
                        .setNode(node.identity())
                        .setSensorId(sensor)
                        .setEventTime(Instant.ofEpochMilli(t))
                        .setSequence(0);
        if (payload instanceof MetricSample m) {
            builder.setMetric(m);
        } else if (payload instanceof PowerSample p) {
            builder.setPower(p);
        } else {
            builder.setSecurity((dev.vigil.schema.SecurityEvent) payload);
        }
        return builder.build();
    }

    private MetricSample metric(NodeTick tick) {
        return MetricSample.newBuilder()
                .setCpuPercent(round(tick.cpu))
                .setMemoryPercent(round(tick.memory))
                .setDiskPercent(round(tick.disk))
                .setNetworkInBytes(Math.max(0, tick.networkIn))
                .setNetworkOutBytes(Math.max(0, tick.networkOut))
                .setPacketLossPercent(round(Math.min(100, tick.packetLoss)))
                .setLatencyMs(round(tick.latencyMs))
                .setTemperatureC(round(tick.temperature))
                .setErrorRate(Math.round(tick.errorRate * 10_000) / 10_000.0)
                .setResponseTimeMs(round(Math.max(1, tick.responseTimeMs)))
                .setIntervalMs(tickMillis)
                .build();
    }

    /**
     * A power sample with the meter's cumulative energy; meters reset now and then (about every two
     * days).
     */
    private PowerSample power(
            String nodeId, String source, double watts, long t, SplittableRandom random) {
        double[] meter = energy.computeIfAbsent(nodeId + "/" + source, k -> new double[1]);
        if (random.nextDouble() < tickMillis / 172_800_000.0) {
            meter[0] = 0;
        }
        double w = round(Math.max(0, watts));
        meter[0] += w * tickMillis / 1000.0;
        return PowerSample.newBuilder()
                .setPowerW(w)
                .setEnergyJ(Math.round(meter[0] * 1000) / 1000.0)
                .setSource(source)
                .build();
    }

    private GridIntensity intensity(String region, GridZone zone, long t) {
        SplittableRandom random = new SplittableRandom(mix(seed, region.hashCode(), t));
        double hour = localHour(zone, t);
        // dirtier in the evening peak, cleaner at midday solar
        double cycle = StrictMath.sin(2 * Math.PI * (hour - 13) / 24);
        double average =
                zone.baseGPerKwh()
                        * (1 + zone.diurnalSwing() * cycle)
                        * (0.95 + 0.1 * random.nextDouble());
        double renewable =
                clamp(
                        0.3
                                + 0.5 * zone.sunshine() * daylight(zone, t)
                                + 0.2 * zone.wind() * random.nextDouble(),
                        0,
                        1);
        return GridIntensity.newBuilder()
                .setRegion(region)
                .setValidFrom(Instant.ofEpochMilli(t))
                .setAverageGPerKwh(round(average))
                .setMarginalGPerKwh(round(Math.max(average, zone.baseGPerKwh()) * 1.35))
                .setRenewableShare(Math.round(renewable * 1000) / 1000.0)
                .setProvider("vigil-simulator")
                .build();
    }

    private Map<String, Double> advanceWind(long t) {
        Map<String, Double> now = new LinkedHashMap<>();
        for (Map.Entry<String, GridZone> region : fleet.regions().entrySet()) {
            SplittableRandom random =
                    new SplittableRandom(mix(seed, region.getKey().hashCode() * 31L, t));
            double w = windState.getOrDefault(region.getKey(), region.getValue().wind() * 0.5);
            w = clamp(w + random.nextGaussian() * 0.01, 0, 1);
            windState.put(region.getKey(), w);
            now.put(region.getKey(), w);
        }
        return now;
    }

    /** Load of a node in [0.35, 1]: low at night, high through the working day (local time). */
    private static double load(SimNode node, long t) {
        double hour = localHour(node.zone(), t);
        if (hour < 6 || hour > 22) {
            return 0.35;
        }
        return 0.35 + 0.65 * StrictMath.sin(Math.PI * (hour - 6) / 16);
    }

    private static double daylight(GridZone zone, long t) {
        double hour = localHour(zone, t);
        return hour <= 6 || hour >= 18
                ? 0
                : StrictMath.sin(Math.PI * (hour - 6) / 12) * zone.sunshine();
    }

    private static double localHour(GridZone zone, long t) {
        double hours = Math.floorMod(t, 86_400_000L) / 3_600_000.0 + zone.utcOffsetHours();
        return (hours + 24) % 24;
    }

    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
