package dev.vigil.simulator.scenario;

import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.SimNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One injection of a scenario on one or more nodes between {@link #start} and {@link #end} (event
 * time, inclusive). Parameters (rates, intensities, durations) are drawn from ranges per injection,
 * so detectors must recognise the behaviour, not one set of numbers.
 */
public abstract class Scenario {

    protected final String id;
    protected final ScenarioType type;
    protected final boolean nearMiss;
    protected final List<SimNode> targets;
    protected final long start;
    protected final long end;
    protected final SplittableRandom random;
    protected final Map<String, String> attributes = new LinkedHashMap<>();

    protected Scenario(
            String id,
            ScenarioType type,
            boolean nearMiss,
            List<SimNode> targets,
            long start,
            long end,
            SplittableRandom random) {
        this.id = id;
        this.type = type;
        this.nearMiss = nearMiss;
        this.targets = targets;
        this.start = start;
        this.end = end;
        this.random = random;
    }

    /**
     * Changes {@code tick} of {@code node} at event time {@code t}; called for every target, every
     * active tick.
     */
    public abstract void apply(long t, SimNode node, NodeTick tick);

    /**
     * Sees what {@code node} sent at {@code t} (after every scenario changed it); called for every
     * target from the moment the injection is planned, for scenarios that replay telemetry.
     */
    public void observe(long t, SimNode node, List<TelemetryEvent> sent) {}

    public boolean activeAt(long t) {
        return t >= start && t <= end;
    }

    public List<SimNode> targets() {
        return targets;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public ScenarioType type() {
        return type;
    }

    public boolean nearMiss() {
        return nearMiss;
    }

    /** The ground truth of this injection. */
    public GroundTruthLabel label() {
        return GroundTruthLabel.newBuilder()
                .setScenarioId(id)
                .setScenario(type.label())
                .setNearMiss(nearMiss)
                .setNodeIds(targets.stream().map(SimNode::nodeId).toList())
                .setStartTime(Instant.ofEpochMilli(start))
                .setEndTime(Instant.ofEpochMilli(end))
                .setAttributes(attributes)
                .setDescription(description())
                .build();
    }

    /** What was injected, in words. */
    protected abstract String description();

    /** Seconds since the scenario started. */
    protected double elapsedSeconds(long t) {
        return (t - start) / 1000.0;
    }

    /** Uniform in [lo, hi). */
    protected double between(double lo, double hi) {
        return lo + random.nextDouble() * (hi - lo);
    }

    /**
     * A random public IPv4 address: never private (RFC 1918), loopback, link-local or shared
     * (100.64.0.0/10, carrier-grade NAT and overlay networks), which an attacker on the internet
     * cannot have. A draw that lands in one is moved next to it, so the draws stay the same.
     */
    protected String externalIp() {
        int a = 11 + random.nextInt(180);
        int b = random.nextInt(256);
        int c = random.nextInt(256);
        int d = 1 + random.nextInt(254);
        if (a == 127) {
            a = 126;
        } else if (a == 172 && b >= 16 && b <= 31) {
            b += 16;
        } else if (a == 169 && b == 254) {
            b = 253;
        } else if (a == 100 && b >= 64 && b <= 127) {
            b -= 64;
        }
        return a + "." + b + "." + c + "." + d;
    }

    /** True with probability {@code p} per tick. */
    protected boolean chance(double p) {
        return random.nextDouble() < p;
    }
}
