package dev.vigil.simulator.scenario;

import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.Fleet;
import dev.vigil.simulator.fleet.SimNode;
import java.util.List;
import java.util.SplittableRandom;

/** Scenarios of a node's own resources: overheating, memory leak, disk filling, crypto-mining. */
final class ResourceScenarios {

    private ResourceScenarios() {}

    static final String[] MINERS = {"xmrig", "kdevtmpfsi", "kinsing", "minerd", "sysupdate-x"};

    /**
     * Temperature climbs above 35 °C and stays; near miss: a brief spike or a warm plateau below
     * 35.
     */
    static final class Overheating extends Scenario {
        private final double target;
        private final boolean spike;
        private final long spikeEnd;

        Overheating(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.OVERHEATING, nearMiss, targets, start, end, random);
            spike = nearMiss && random.nextBoolean();
            target = !nearMiss ? between(38, 50) : spike ? between(36, 37.5) : between(33, 34.5);
            spikeEnd = start + (10 + random.nextInt(16)) * 1000L;
            attributes.put("peak_c", String.format("%.1f", target));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (spike) {
                if (t <= spikeEnd) {
                    tick.temperature = target + between(-0.3, 0.3);
                }
                return;
            }
            double ramp = Math.min(1.0, elapsedSeconds(t) / 60.0);
            tick.temperature =
                    tick.temperature + (target - tick.temperature) * ramp + between(-0.2, 0.2);
            if (nearMiss) {
                tick.temperature = Math.min(tick.temperature, 34.8);
            }
        }

        @Override
        protected String description() {
            return spike
                    ? String.format("temperature spikes to %.1f °C for a few seconds", target)
                    : String.format(
                            "temperature %s %.1f °C",
                            nearMiss ? "plateaus at" : "climbs to", target);
        }
    }

    /**
     * A reading that climbs steadily to near full over the injection; near miss: it climbs part of
     * the way, then drops back (a cache flush, a log clean-up).
     */
    abstract static class SteadyClimb extends Scenario {
        /** An attack climbs from wherever the reading is to this level by the end. */
        static final double CEILING = 98.5;

        private final double nearMissRise;
        private double ratePerMinute;
        private double rise;
        private Double startLevel;

        SteadyClimb(
                String id,
                ScenarioType type,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random,
                double nearMissRise) {
            super(id, type, nearMiss, targets, start, end, random);
            this.nearMissRise = nearMissRise;
            attributes.put(
                    "target_percent", nearMiss ? String.format("+%.1f", nearMissRise) : "98.5");
        }

        abstract double read(NodeTick tick);

        abstract void write(NodeTick tick, double level);

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (startLevel == null) {
                startLevel = read(tick);
                double minutes = (end - start) / 60_000.0;
                rise = nearMiss ? nearMissRise : CEILING - startLevel;
                ratePerMinute = nearMiss ? rise / (minutes * 0.6) : rise / minutes;
            }
            double climbed = ratePerMinute * elapsedSeconds(t) / 60.0;
            // the near miss falls back once it has climbed its distance
            double level =
                    nearMiss && climbed >= rise ? startLevel : startLevel + Math.min(rise, climbed);
            write(tick, level);
        }

        double nearMissRise() {
            return nearMissRise;
        }

        long minutes() {
            return (end - start) / 60_000;
        }
    }

    /**
     * Memory use climbs steadily to the ceiling; near miss: climbs, then a cache flush frees it.
     */
    static final class MemoryLeak extends SteadyClimb {
        MemoryLeak(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(
                    id,
                    ScenarioType.MEMORY_LEAK,
                    nearMiss,
                    targets,
                    start,
                    end,
                    random,
                    10 + random.nextDouble() * 5);
        }

        @Override
        double read(NodeTick tick) {
            return tick.memory;
        }

        @Override
        void write(NodeTick tick, double level) {
            tick.memory = Math.min(99.5, level + between(-0.1, 0.1));
            tick.responseTimeMs *= 1 + Math.max(0, tick.memory - 85) / 10;
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format(
                            "memory grows %.1f points, then a cache flush frees it", nearMissRise())
                    : String.format(
                            "memory leak: climbs steadily to %.1f %% over %d min",
                            CEILING, minutes());
        }
    }

    /** Disk use climbs steadily towards full; near miss: grows, then log clean-up frees it. */
    static final class DiskFilling extends SteadyClimb {
        DiskFilling(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(
                    id,
                    ScenarioType.DISK_FILLING,
                    nearMiss,
                    targets,
                    start,
                    end,
                    random,
                    8 + random.nextDouble() * 4);
        }

        @Override
        double read(NodeTick tick) {
            return tick.disk;
        }

        @Override
        void write(NodeTick tick, double level) {
            tick.disk = Math.min(99.9, level);
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format(
                            "disk grows %.1f points, then logs are cleaned up", nearMissRise())
                    : String.format(
                            "disk fills steadily to %.1f %% over %d min", CEILING, minutes());
        }
    }

    /**
     * An unknown process starts and the CPU stays pinned; near miss: a known batch job runs hot.
     */
    static final class CryptoMining extends Scenario {
        private final String process;
        private final double cpu;

        CryptoMining(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.CRYPTO_MINING, nearMiss, targets, start, end, random);
            process =
                    nearMiss
                            ? (random.nextBoolean() ? "backup-agent" : "db-vacuum")
                            : MINERS[random.nextInt(MINERS.length)]
                                    + (random.nextBoolean()
                                            ? ""
                                            : "-" + Integer.toHexString(random.nextInt(0xffff)));
            cpu = nearMiss ? between(85, 95) : between(92, 99.5);
            attributes.put("process_name", process);
            if (nearMiss && !Fleet.KNOWN_PROCESSES.contains(process)) {
                throw new IllegalStateException("near-miss process must be a known one");
            }
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t == start) {
                tick.add(
                        100,
                        Security.processStart(
                                nearMiss ? "svc-" + node.nodeId() : "www-data", process));
            }
            double ramp = Math.min(1.0, elapsedSeconds(t) / 20.0);
            tick.cpu = tick.cpu + (cpu - tick.cpu) * ramp + between(-0.5, 0.5);
            tick.cpu = Math.min(100, tick.cpu);
        }

        @Override
        protected String description() {
            return String.format("%s runs at %.0f %% CPU", process, cpu);
        }
    }
}
