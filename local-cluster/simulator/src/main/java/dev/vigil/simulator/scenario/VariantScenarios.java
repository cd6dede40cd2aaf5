package dev.vigil.simulator.scenario;

import dev.vigil.schema.TelemetryEvent;
import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.SimNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Variants of the standard attacks that thresholds tuned on the standard scenarios miss: slower,
 * spread thinner, jittered, ramping, and benign look-alikes that are bigger than the standard near
 * misses. Each draws its parameters from a <em>tuned</em> range or, with {@code outside}, from a
 * range beyond it (slower, sparser, noisier), so that a second run measures whether rules
 * generalise past the numbers they were written against.
 */
final class VariantScenarios {

    private VariantScenarios() {}

    /**
     * Password guessing far below any rate threshold: one failure every one to three minutes (four
     * to seven outside) for an hour or two, then a success; near miss: a user who forgets a
     * password, fails two to four times over a quarter of an hour, then gets in.
     */
    static final class SlowBruteForce extends Scenario {
        private final String srcIp;
        private final String user;
        private final TreeMap<Long, Long> failures = new TreeMap<>();

        SlowBruteForce(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.SLOW_BRUTE_FORCE, nearMiss, targets, start, end, random);
            if (nearMiss) {
                srcIp = "10.250.1." + (10 + random.nextInt(200));
                user = "operator-" + targets.get(0).identity().getCluster();
                int typos = 2 + random.nextInt(3);
                long ticks = Math.max(1, (end - start) / 1000 - 1);
                while (failures.size() < Math.min(typos, ticks)) {
                    failures.put(start + random.nextLong(ticks) * 1000, 0L);
                }
            } else {
                srcIp = externalIp();
                user =
                        AuthScenarios.ATTACKED_USERS[
                                random.nextInt(AuthScenarios.ATTACKED_USERS.length)];
                double lo = outside ? 240 : 60;
                double hi = outside ? 420 : 180;
                long t = start;
                while (t < end - 1000) {
                    failures.put(t - t % 1000, 0L);
                    t += (long) (between(lo, hi) * 1000);
                }
            }
            attributes.put("src_ip", srcIp);
            attributes.put("user", user);
            attributes.put("failures", Integer.toString(failures.size()));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (failures.containsKey(t)) {
                tick.add(
                        random.nextInt(800),
                        Security.authFailure(user, "PASSWORD", "BAD_PASSWORD", srcIp));
            }
            if (t == end) {
                tick.add(900, Security.authSuccess(user, "PASSWORD", srcIp));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "user forgets a password, fails " + failures.size() + " times, then logs in"
                    : "low-and-slow guessing for "
                            + user
                            + " from "
                            + srcIp
                            + ": "
                            + failures.size()
                            + " failures over "
                            + (end - start) / 60_000
                            + " min, then success";
        }
    }

    /**
     * A credential attack spread over a cluster's nodes with one or two failures on each (one
     * outside), from one outside source trying several accounts, or on one account from many
     * outside sources; near miss: one user mistyping on two nodes from the office.
     */
    static final class DistributedCredential extends Scenario {
        /** Accounts sprayed across nodes: others than the single-node attacks try. */
        static final String[] SPRAYED_ACCOUNTS = {
            "administrator", "deploy", "webmaster", "backup", "service", "postgres"
        };

        private final List<long[]> attempts = new ArrayList<>();
        private final List<String> users = new ArrayList<>();
        private final List<String> sources = new ArrayList<>();
        private final boolean byAccount;

        DistributedCredential(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.DISTRIBUTED_CREDENTIAL, nearMiss, targets, start, end, random);
            byAccount = random.nextBoolean();
            long ticks = Math.max(1, (end - start) / 1000);
            if (nearMiss) {
                sources.add("10.250.1." + (10 + random.nextInt(200)));
                users.add("operator-" + targets.get(0).identity().getCluster());
                for (int i = 0; i < targets.size(); i++) {
                    attempts.add(new long[] {i, start + random.nextLong(ticks) * 1000, 0, 0});
                }
            } else {
                String account = SPRAYED_ACCOUNTS[random.nextInt(SPRAYED_ACCOUNTS.length)];
                String source = externalIp();
                for (int i = 0; i < targets.size(); i++) {
                    int perNode = outside ? 1 : 1 + random.nextInt(2);
                    for (int k = 0; k < perNode; k++) {
                        String user = byAccount ? account : "user" + (2000 + random.nextInt(8000));
                        String src = byAccount ? externalIp() : source;
                        users.add(user);
                        sources.add(src);
                        attempts.add(
                                new long[] {
                                    i, start + random.nextLong(ticks) * 1000, users.size() - 1, 0
                                });
                    }
                }
                attributes.put("by", byAccount ? "account" : "source");
                attributes.put(byAccount ? "user" : "src_ip", byAccount ? account : source);
            }
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            int index = targets.indexOf(node);
            for (long[] a : attempts) {
                if (a[0] == index && a[1] == t) {
                    int who = (int) a[2];
                    tick.add(
                            random.nextInt(900),
                            Security.authFailure(
                                    nearMiss ? users.get(0) : users.get(who),
                                    "PASSWORD",
                                    nearMiss ? "BAD_PASSWORD" : "UNKNOWN_USER",
                                    nearMiss ? sources.get(0) : sources.get(who)));
                }
            }
            if (nearMiss && t == end) {
                tick.add(950, Security.authSuccess(users.get(0), "PASSWORD", sources.get(0)));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "user mistypes once on each of " + targets.size() + " nodes"
                    : "distributed credential attack by "
                            + (byAccount ? "account" : "source")
                            + ": "
                            + attempts.size()
                            + " failures over "
                            + targets.size()
                            + " nodes";
        }
    }

    /**
     * A beacon whose period is randomised by 10-35 % (35-50 % outside) around 30-180 s (up to 300 s
     * outside); near miss: irregular visits to one outside host (Poisson arrivals).
     */
    static final class JitteredBeaconing extends Scenario {
        private final String dstIp;
        private final double periodSeconds;
        private final double jitter;
        private long nextAt;

        JitteredBeaconing(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.JITTERED_BEACONING, nearMiss, targets, start, end, random);
            dstIp = externalIp();
            // at least 14 beacons fit the injection: fewer say too little about a jittered period
            periodSeconds =
                    Math.min(
                            outside ? between(120, 300) : between(30, 180),
                            (end - start) / 1000.0 / 14);
            jitter = outside ? between(0.35, 0.5) : between(0.1, 0.35);
            nextAt = start;
            attributes.put("dst_ip", dstIp);
            attributes.put("period_s", String.format("%.0f", periodSeconds));
            attributes.put("jitter", String.format("%.2f", jitter));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t < nextAt - nextAt % 1000) {
                return;
            }
            tick.add(
                    nextAt % 1000,
                    Security.connection(node.ip(), dstIp, 443, 150 + random.nextInt(900)));
            double gap =
                    nearMiss
                            ? -StrictMath.log(1 - random.nextDouble()) * periodSeconds
                            : periodSeconds * (1 + between(-jitter, jitter));
            nextAt += Math.max(1000, (long) (gap * 1000));
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format(
                            "irregular visits to %s (mean gap %.0f s)", dstIp, periodSeconds)
                    : String.format(
                            "beacon to %s every %.0f s +/- %.0f %%",
                            dstIp, periodSeconds, jitter * 100);
        }
    }

    /**
     * Exfiltration that ramps up: outbound traffic grows steadily from the node's normal to 10-40
     * times it (6-10 outside) to one outside host; near miss: a large backup (10-40 times normal)
     * to an internal backup host, far above the standard near miss.
     */
    static final class SlowExfiltration extends Scenario {
        private final double factor;
        private final String dstIp;
        private final int dstPort;
        private long nextUpload;

        SlowExfiltration(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.SLOW_EXFILTRATION, nearMiss, targets, start, end, random);
            factor = nearMiss || !outside ? between(10, 40) : between(6, 10);
            dstIp = nearMiss ? "10.250.0." + (20 + random.nextInt(10)) : externalIp();
            dstPort = nearMiss ? 873 : 443;
            nextUpload = start;
            attributes.put("dst_ip", dstIp);
            attributes.put("factor", String.format("%.1f", factor));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            // a backup runs at full speed at once; the exfiltration creeps up
            double progress = nearMiss ? 1 : Math.min(1, (t - start) / (double) (end - start));
            long extra = (long) (tick.networkOut * (factor - 1) * progress);
            tick.networkOut += extra;
            if (t >= nextUpload) {
                long gap = 3_000 + random.nextInt(25_000);
                tick.add(
                        500,
                        Security.connection(
                                node.ip(), dstIp, dstPort, Math.max(1, extra) * gap / 1000));
                nextUpload = t + gap;
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format("large backup, %.1fx baseline egress to %s", factor, dstIp)
                    : String.format(
                            "exfiltration ramping up to %.1fx baseline egress to %s",
                            factor, dstIp);
        }
    }

    /**
     * Old telemetry sent again byte for byte: the node's events of 30-120 s (10-30 s outside) are
     * recorded and, 8-60 minutes later, re-sent within a few seconds beside its normal traffic;
     * near miss: a producer's retry, the last 2-5 s of events sent once more 6-30 s later.
     */
    static final class OldReplay extends Scenario {
        private final long recordUntil;
        private final long replayFrom;
        private final List<TelemetryEvent> recorded = new ArrayList<>();
        private int next;

        OldReplay(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.OLD_REPLAY, nearMiss, targets, start, end, random);
            long length =
                    nearMiss
                            ? 2_000 + random.nextInt(4) * 1000L
                            : (outside ? 10 + random.nextInt(21) : 30 + random.nextInt(91)) * 1000L;
            recordUntil = start + length;
            long burst = nearMiss ? 1_000 : 3_000 + random.nextInt(8) * 1000L;
            replayFrom = Math.max(recordUntil, end - burst);
            attributes.put("recorded_s", Long.toString(length / 1000));
        }

        @Override
        public void observe(long t, SimNode node, List<TelemetryEvent> sent) {
            if (t >= start && t < recordUntil) {
                recorded.addAll(sent);
            }
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t < replayFrom || next >= recorded.size()) {
                return;
            }
            // spread what is left over the remaining ticks of the burst
            long ticksLeft = Math.max(1, (end - t) / 1000 + 1);
            int count = (int) Math.ceil((recorded.size() - next) / (double) ticksLeft);
            for (int k = 0; k < count && next < recorded.size(); k++) {
                tick.resend.add(recorded.get(next++));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "producer retry: the last seconds of telemetry sent once more"
                    : "old telemetry ("
                            + (end - start) / 60_000
                            + " min old) sent again byte for byte";
        }
    }

    /**
     * A patch rollout by the fleet's automation account ({@link #AUTOMATION_ACCOUNT}, declared to
     * the threat job): on each node a login from the management host, root, the package manager,
     * then a minute or two of busy CPU. Near miss: the routine rollout, inside the change window,
     * on three or four nodes of a cluster in turn; attack: the same on one node outside any window
     * (a stolen automation credential), which must still alert.
     */
    static final class PatchRollout extends Scenario {
        /** The simulated fleet's automation account. */
        static final String AUTOMATION_ACCOUNT = "svc-automation";

        private static final String MANAGEMENT_HOST = "10.250.0.50";
        private final List<long[]> steps = new ArrayList<>();
        private final String process;

        PatchRollout(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.PATCH_ROLLOUT, nearMiss, targets, start, end, random);
            process =
                    new String[] {"apt-get", "dpkg", "unattended-upgrade", "yum"}
                            [random.nextInt(4)];
            long span = Math.max(1, (end - start) / 1000 / targets.size());
            for (int i = 0; i < targets.size(); i++) {
                long login = start + i * span * 1000;
                long busy = (60 + random.nextInt(121)) * 1000L;
                steps.add(
                        new long[] {
                            login,
                            login + 5_000,
                            login + 10_000,
                            Math.min(end, login + 10_000 + busy)
                        });
            }
            attributes.put("user", AUTOMATION_ACCOUNT);
            attributes.put("process", process);
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            long[] s = steps.get(targets.indexOf(node));
            if (t == s[0]) {
                tick.add(
                        100,
                        Security.authSuccess(AUTOMATION_ACCOUNT, "PUBLICKEY", MANAGEMENT_HOST));
            } else if (t == s[1]) {
                tick.add(200, Security.privilegeChange(AUTOMATION_ACCOUNT, "root"));
            } else if (t == s[2]) {
                tick.add(300, Security.processStart(AUTOMATION_ACCOUNT, process));
            }
            if (t >= s[2] && t < s[3]) {
                tick.cpu = between(91, 99);
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "patch rollout by "
                            + AUTOMATION_ACCOUNT
                            + " on "
                            + targets.size()
                            + " nodes inside the change window"
                    : "rollout-like root work by "
                            + AUTOMATION_ACCOUNT
                            + " outside any change window";
        }
    }

    /**
     * A sensor that stops measuring: its CPU, memory and temperature readings repeat the values of
     * the injection's first tick (outside: two of the three, the third still live) — a stuck
     * sensor, or one fed a fixed reading to hide what the node does; near miss: the same for 5-20
     * samples (an agent re-sending its last reading through a short stall).
     */
    static final class FrozenSensor extends Scenario {
        private final boolean[] frozen = {true, true, true};
        private double cpu = Double.NaN;
        private double memory;
        private double temperature;

        FrozenSensor(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.FROZEN_SENSOR, nearMiss, targets, start, end, random);
            if (outside && !nearMiss) {
                frozen[random.nextInt(3)] = false;
            }
            attributes.put(
                    "frozen",
                    (frozen[0] ? "cpu " : "")
                            + (frozen[1] ? "memory " : "")
                            + (frozen[2] ? "temperature" : ""));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (Double.isNaN(cpu)) {
                cpu = tick.cpu;
                memory = tick.memory;
                temperature = tick.temperature;
            }
            if (frozen[0]) {
                tick.cpu = cpu;
            }
            if (frozen[1]) {
                tick.memory = memory;
            }
            if (frozen[2]) {
                tick.temperature = temperature;
            }
        }

        @Override
        protected String description() {
            return (nearMiss ? "last reading re-sent through a short stall: " : "frozen sensor: ")
                    + attributes.get("frozen").trim()
                    + " repeat exactly";
        }
    }

    /**
     * Forged temperature readings inside the plausible range: the reported value jumps 25-45 °C
     * away from the real one and back every 2-8 s (outside: 21-25 °C every 10-25 s); near miss: a
     * fast but physical rise of 8-15 °C over 2-4 s (a load burst), held a few seconds, then falling
     * back over 10 s.
     */
    static final class ForgedTemperature extends Scenario {
        private final double offset;
        private final double lo;
        private final double hi;
        private final long riseMillis;
        private final long holdMillis;
        private long nextJump;
        private boolean away;

        ForgedTemperature(
                String id,
                boolean nearMiss,
                boolean outside,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.FORGED_TEMPERATURE, nearMiss, targets, start, end, random);
            if (nearMiss) {
                offset = between(8, 15);
                lo = 0;
                hi = 0;
                riseMillis = (2 + random.nextInt(3)) * 1000L;
                holdMillis = (3 + random.nextInt(5)) * 1000L;
            } else {
                double size = outside ? between(21, 25) : between(25, 45);
                offset = random.nextBoolean() ? size : -size;
                lo = outside ? 10 : 2;
                hi = outside ? 25 : 8;
                riseMillis = 0;
                holdMillis = 0;
            }
            nextJump = start;
            attributes.put("offset_c", String.format("%.1f", offset));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (nearMiss) {
                double elapsed = t - start;
                double share =
                        elapsed < riseMillis
                                ? (elapsed + 1000) / (riseMillis + 1000)
                                : elapsed < riseMillis + holdMillis
                                        ? 1
                                        : Math.max(
                                                0,
                                                1 - (elapsed - riseMillis - holdMillis) / 10_000);
                tick.temperature += offset * share;
                return;
            }
            if (t >= nextJump) {
                away = !away;
                nextJump = t + (long) (between(lo, hi + 1)) * 1000L;
            }
            if (away) {
                tick.temperature += offset;
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format(
                            "load burst: temperature up %.1f °C in seconds, then down", offset)
                    : String.format("forged temperature: readings jump %+.1f °C and back", offset);
        }
    }
}
