package dev.vigil.simulator.scenario;

import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.SimNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Places scenario injections hour by hour of event time: for every enabled type, {@code perHour}
 * attacks and as many near misses, at random times on random nodes, never two at once on a node
 * (with a quiet gap around each), so every label describes exactly one cause. Deterministic: an
 * hour's plan depends only on the seed and the hour.
 */
public final class ScenarioScheduler {

    /** Length of one planning block. */
    public static final long BLOCK_MILLIS = 3_600_000L;

    /** Quiet time kept before and after each injection on its nodes. */
    public static final long GAP_MILLIS = 120_000L;

    /**
     * Time kept between two injections of one family on a node when one of them is a variant:
     * longer than the suppression of the rules they share. (Standard scenarios alone are placed as
     * they always were, so the training data and every standard run stay the same.)
     */
    public static final long FAMILY_GAP_MILLIS = 1_800_000L;

    private static final int ATTEMPTS = 30;

    private final Fleet fleet;
    private final List<ScenarioType> enabled;
    private final double perHour;
    private final long seed;
    private final long tickMillis;
    private final boolean outside;

    /** Per node: [start, end, scenario type ordinal] of each placed injection. */
    private final Map<String, List<long[]>> busy = new HashMap<>();

    private int skipped;

    public ScenarioScheduler(
            Fleet fleet, Set<ScenarioType> enabled, double perHour, long seed, long tickMillis) {
        this(fleet, enabled, perHour, seed, tickMillis, false);
    }

    /**
     * @param outside variants draw their parameters from beyond their tuned ranges
     */
    public ScenarioScheduler(
            Fleet fleet,
            Set<ScenarioType> enabled,
            double perHour,
            long seed,
            long tickMillis,
            boolean outside) {
        this.outside = outside;
        this.fleet = fleet;
        this.enabled = new ArrayList<>(enabled);
        Collections.sort(this.enabled);
        this.perHour = perHour;
        this.seed = seed;
        this.tickMillis = tickMillis;
    }

    /** Injections that start within [blockStart, blockStart + 1 h), given in start order. */
    public List<Scenario> plan(long blockStart, long notBefore) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + blockStart);
        List<Object[]> wanted = new ArrayList<>();
        for (ScenarioType type : enabled) {
            for (boolean nearMiss : new boolean[] {false, true}) {
                int count = (int) perHour + (random.nextDouble() < perHour - (int) perHour ? 1 : 0);
                for (int i = 0; i < count; i++) {
                    wanted.add(new Object[] {type, nearMiss});
                }
            }
        }
        Collections.shuffle(wanted, new java.util.Random(random.nextLong()));
        List<Scenario> planned = new ArrayList<>();
        int n = 0;
        for (Object[] w : wanted) {
            ScenarioType type = (ScenarioType) w[0];
            boolean nearMiss = (Boolean) w[1];
            Scenario scenario =
                    place(
                            type,
                            nearMiss,
                            blockStart,
                            notBefore,
                            random,
                            blockStart / BLOCK_MILLIS + "-" + n++);
            if (scenario == null) {
                skipped++;
            } else {
                planned.add(scenario);
            }
        }
        planned.sort((a, b) -> Long.compare(a.start(), b.start()));
        return planned;
    }

    /** Injections that found no free nodes or slot so far. */
    public int skipped() {
        return skipped;
    }

    private Scenario place(
            ScenarioType type,
            boolean nearMiss,
            long blockStart,
            long notBefore,
            SplittableRandom random,
            String suffix) {
        List<SimNode> nodes = fleet.nodes();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long duration = type.durationMillis(random, nearMiss);
            long earliest = Math.max(blockStart, notBefore);
            long latest = blockStart + BLOCK_MILLIS - tickMillis;
            if (latest <= earliest) {
                return null;
            }
            long start =
                    earliest + random.nextLong((latest - earliest) / tickMillis + 1) * tickMillis;
            start -= Math.floorMod(start, tickMillis);
            long end = start + duration;
            if (!type.fits(start, end, nearMiss)) {
                continue;
            }
            int count = Math.min(type.nodes(random, nearMiss), nodes.size());
            List<SimNode> free = new ArrayList<>();
            for (SimNode node : nodes) {
                if (isFree(node, start - GAP_MILLIS, end + GAP_MILLIS, type)) {
                    free.add(node);
                }
            }
            List<SimNode> targets = pick(free, count, type.clusterLocal(), random);
            if (targets == null) {
                continue;
            }
            for (SimNode target : targets) {
                busy.computeIfAbsent(target.nodeId(), k -> new ArrayList<>())
                        .add(new long[] {start, end, type.ordinal()});
            }
            String id = type.label() + (nearMiss ? "-near-miss-" : "-") + suffix;
            return type.create(id, nearMiss, outside, targets, start, end, random.split());
        }
        return null;
    }

    private boolean isFree(SimNode node, long from, long to, ScenarioType type) {
        List<long[]> intervals = busy.get(node.nodeId());
        if (intervals == null) {
            return true;
        }
        // intervals far in the past can never clash again
        intervals.removeIf(i -> i[1] < from - BLOCK_MILLIS - FAMILY_GAP_MILLIS);
        for (long[] interval : intervals) {
            ScenarioType other = ScenarioType.values()[(int) interval[2]];
            boolean related =
                    (type.variant() || other.variant()) && other.family().equals(type.family());
            long gap = related ? FAMILY_GAP_MILLIS : 0;
            if (interval[0] <= to + gap && interval[1] >= from - gap) {
                return false;
            }
        }
        return true;
    }

    private static List<SimNode> pick(
            List<SimNode> free, int count, boolean clusterLocal, SplittableRandom random) {
        if (free.size() < count) {
            return null;
        }
        if (!clusterLocal) {
            List<SimNode> copy = new ArrayList<>(free);
            Collections.shuffle(copy, new java.util.Random(random.nextLong()));
            List<SimNode> chosen = new ArrayList<>(copy.subList(0, count));
            chosen.sort((a, b) -> Integer.compare(a.index(), b.index()));
            return chosen;
        }
        Map<String, List<SimNode>> byCluster = new LinkedHashMap<>();
        for (SimNode node : free) {
            byCluster
                    .computeIfAbsent(node.identity().getCluster(), k -> new ArrayList<>())
                    .add(node);
        }
        List<List<SimNode>> candidates =
                byCluster.values().stream().filter(l -> l.size() >= count).toList();
        if (candidates.isEmpty()) {
            return null;
        }
        List<SimNode> cluster = candidates.get(random.nextInt(candidates.size()));
        return new ArrayList<>(cluster.subList(0, count));
    }
}
