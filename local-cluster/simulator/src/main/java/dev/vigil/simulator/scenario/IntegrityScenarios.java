package dev.vigil.simulator.scenario;

import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.SimNode;
import java.util.List;
import java.util.SplittableRandom;

/** Scenarios about the integrity of configuration and of the telemetry itself. */
final class IntegrityScenarios {

    private IntegrityScenarios() {}

    static final String[] SENSITIVE_KEYS = {
        "firewall.rules", "ssh.permit_root_login", "audit.enabled", "tls.verify", "update.channel"
    };

    /** Configuration changed outside the change window; near miss: the same inside the window. */
    static final class ConfigChange extends Scenario {
        private final String user;
        private final String key;

        ConfigChange(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.CONFIG_CHANGE, nearMiss, targets, start, end, random);
            user =
                    nearMiss
                            ? "operator-" + targets.get(0).identity().getCluster()
                            : (random.nextBoolean() ? "admin" : "www-data");
            key = SENSITIVE_KEYS[random.nextInt(SENSITIVE_KEYS.length)];
            attributes.put("user", user);
            attributes.put("key", key);
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t == start || t == end) {
                tick.add(500, Security.configChange(user, key));
            }
        }

        @Override
        protected String description() {
            return (nearMiss ? "planned change of " : "unplanned change of ")
                    + key
                    + " by "
                    + user
                    + (nearMiss ? " inside" : " outside")
                    + " the change window";
        }
    }

    /**
     * Readings no sensor can produce, replayed events or a jump in the sequence; near miss: one
     * lost sample.
     */
    static final class SensorSpoofing extends Scenario {
        enum Kind {
            IMPOSSIBLE_READINGS,
            REPLAY,
            SEQUENCE_JUMP
        }

        private final Kind kind;

        SensorSpoofing(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.SENSOR_SPOOFING, nearMiss, targets, start, end, random);
            kind = Kind.values()[random.nextInt(Kind.values().length)];
            attributes.put("kind", nearMiss ? "DROPPED_SAMPLE" : kind.name());
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (nearMiss) {
                if (t == start) {
                    tick.dropMetric = true;
                }
                return;
            }
            switch (kind) {
                case IMPOSSIBLE_READINGS -> {
                    if (random.nextBoolean()) {
                        tick.temperature = between(120, 400);
                    } else {
                        tick.cpu = between(105, 180);
                    }
                }
                case REPLAY -> tick.replayPrevious = t > start;
                case SEQUENCE_JUMP -> {
                    if (t == start) {
                        tick.sequenceJump = 1_000 + random.nextInt(100_000);
                    }
                }
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "one metric sample lost in transit"
                    : "sensor spoofing: " + kind.name().toLowerCase().replace('_', ' ');
        }
    }
}
