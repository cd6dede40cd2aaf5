package dev.vigil.simulator.scenario;

import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.SimNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Scenarios about authentication: brute force, MFA fatigue, credential stuffing, lateral movement,
 * privilege escalation.
 */
final class AuthScenarios {

    private AuthScenarios() {}

    static final String[] ATTACKED_USERS = {
        "root", "admin", "ubuntu", "pi", "oracle", "test", "support"
    };

    /** Many failed logins for one account from one source; near miss: a few typos, then success. */
    static final class BruteForce extends Scenario {
        private final String srcIp;
        private final String user;
        private final double rate;
        private final boolean succeeds;
        private final TreeSet<Long> typoTicks = new TreeSet<>();

        BruteForce(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.BRUTE_FORCE, nearMiss, targets, start, end, random);
            if (nearMiss) {
                srcIp = "10.250.1." + (10 + random.nextInt(200));
                user = "operator-" + targets.get(0).identity().getCluster();
                rate = 0;
                succeeds = true;
                int typos = 2 + random.nextInt(3);
                long ticks = Math.max(1, (end - start) / 1000);
                while (typoTicks.size() < Math.min(typos, ticks)) {
                    typoTicks.add(start + random.nextLong(ticks) * 1000);
                }
            } else {
                srcIp = externalIp();
                user = ATTACKED_USERS[random.nextInt(ATTACKED_USERS.length)];
                rate = between(0.5, 3.0);
                succeeds = random.nextBoolean();
            }
            attributes.put("src_ip", srcIp);
            attributes.put("user", user);
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t == end && succeeds) {
                tick.add(900, Security.authSuccess(user, "PASSWORD", srcIp));
                return;
            }
            if (nearMiss) {
                if (typoTicks.contains(t)) {
                    tick.add(
                            random.nextInt(800),
                            Security.authFailure(user, "PASSWORD", "BAD_PASSWORD", srcIp));
                }
                return;
            }
            int attempts = (int) rate + (chance(rate - (int) rate) ? 1 : 0);
            for (int i = 0; i < attempts; i++) {
                tick.add(
                        i * 1000L / (attempts + 1),
                        Security.authFailure(user, "PASSWORD", "BAD_PASSWORD", srcIp));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "user mistypes a password " + typoTicks.size() + " times, then logs in"
                    : String.format(
                            "password guessing for %s from %s at %.1f attempts/s%s",
                            user, srcIp, rate, succeeds ? ", finally succeeding" : "");
        }
    }

    /**
     * Repeated MFA push rejections or timeouts for one account; near miss: one or two, then
     * success.
     */
    static final class MfaFatigue extends Scenario {
        private final String srcIp;
        private final String user;
        private final TreeSet<Long> pushes = new TreeSet<>();

        MfaFatigue(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.MFA_FATIGUE, nearMiss, targets, start, end, random);
            srcIp = nearMiss ? "10.250.1." + (10 + random.nextInt(200)) : externalIp();
            user = "operator-" + targets.get(0).identity().getCluster();
            int count = nearMiss ? 1 + random.nextInt(2) : 8 + random.nextInt(18);
            long ticks = Math.max(1, (end - start) / 1000);
            while (pushes.size() < Math.min(count, ticks - 1)) {
                pushes.add(start + random.nextLong(ticks - 1) * 1000);
            }
            attributes.put("src_ip", srcIp);
            attributes.put("user", user);
            attributes.put("pushes", Integer.toString(pushes.size()));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (pushes.contains(t)) {
                String reason = random.nextBoolean() ? "MFA_REJECTED" : "MFA_TIMEOUT";
                tick.add(random.nextInt(900), Security.authFailure(user, "PUSH", reason, srcIp));
            }
            if (t == end && (nearMiss || random.nextBoolean())) {
                tick.add(950, Security.authSuccess(user, "PUSH", srcIp));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "user misses " + pushes.size() + " MFA push(es), then approves"
                    : "MFA fatigue: "
                            + pushes.size()
                            + " rejected or unanswered pushes for "
                            + user
                            + " from "
                            + srcIp;
        }
    }

    /**
     * One source tries many account names across many nodes; near miss: one service account with a
     * stale password on a few nodes.
     */
    static final class CredentialStuffing extends Scenario {
        private final List<String> srcIps = new ArrayList<>();
        private final String staleUser;
        private final double perNodeRate;
        private int counter;

        CredentialStuffing(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.CREDENTIAL_STUFFING, nearMiss, targets, start, end, random);
            if (nearMiss) {
                srcIps.add("10.250.2." + (10 + random.nextInt(200)));
                staleUser = "svc-backup";
                perNodeRate = 1.0 / 30;
            } else {
                int sources = 1 + random.nextInt(3);
                for (int i = 0; i < sources; i++) {
                    srcIps.add(externalIp());
                }
                staleUser = null;
                perNodeRate = between(0.1, 0.5);
            }
            attributes.put("src_ip", String.join(",", srcIps));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (!chance(perNodeRate)) {
                return;
            }
            String src = srcIps.get(random.nextInt(srcIps.size()));
            if (nearMiss) {
                tick.add(
                        random.nextInt(900),
                        Security.authFailure(staleUser, "PASSWORD", "BAD_PASSWORD", src));
                return;
            }
            String user =
                    String.format(
                            "%s%d", random.nextBoolean() ? "user" : "j.doe", 1000 + counter++);
            String reason = chance(0.8) ? "UNKNOWN_USER" : "BAD_PASSWORD";
            tick.add(random.nextInt(900), Security.authFailure(user, "PASSWORD", reason, src));
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "service account with a stale password fails on " + targets.size() + " nodes"
                    : "credential stuffing from " + srcIps + " across " + targets.size() + " nodes";
        }
    }

    /** One credential logs in on node after node; near miss: an admin visits two nodes. */
    static final class LateralMovement extends Scenario {
        private final String user;
        private final String srcIp;
        private final List<Long> loginTimes = new ArrayList<>();

        LateralMovement(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.LATERAL_MOVEMENT, nearMiss, targets, start, end, random);
            user = nearMiss ? "admin" : "operator-" + targets.get(0).identity().getCluster();
            srcIp = nearMiss ? "10.250.0.10" : targets.get(0).ip();
            long span = Math.max(1, (end - start) / 1000);
            for (int i = 0; i < targets.size(); i++) {
                loginTimes.add(
                        start
                                + (i == targets.size() - 1 ? span : span * i / targets.size())
                                        * 1000);
            }
            attributes.put("user", user);
            attributes.put("src_ip", srcIp);
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            int i = targets.indexOf(node);
            if (loginTimes.get(i) == t) {
                tick.add(100 + random.nextInt(800), Security.authSuccess(user, "PASSWORD", srcIp));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "administrator logs in on " + targets.size() + " nodes"
                    : user + " logs in on " + targets.size() + " nodes in a row from " + srcIp;
        }
    }

    /** Login, then root, then a new account or service; near miss: login and sudo only. */
    static final class PrivilegeEscalation extends Scenario {
        private final String user;
        private final String srcIp;
        private final long escalateAt;
        private final long persistAt;
        private final String newAccount;
        private final boolean service;

        PrivilegeEscalation(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.PRIVILEGE_ESCALATION, nearMiss, targets, start, end, random);
            user =
                    nearMiss
                            ? "operator-" + targets.get(0).identity().getCluster()
                            : (random.nextBoolean() ? "www-data" : "guest");
            srcIp = nearMiss ? "10.250.1." + (10 + random.nextInt(200)) : externalIp();
            long span = (end - start) / 1000;
            escalateAt = start + (1 + random.nextLong(Math.max(1, span / 2))) * 1000;
            persistAt = end;
            newAccount =
                    new String[] {"sysupd", "backup2", "svc-helper", "hidden"}[random.nextInt(4)];
            service = random.nextBoolean();
            attributes.put("user", user);
            attributes.put("src_ip", srcIp);
            if (!nearMiss) {
                attributes.put(
                        service ? "service" : "new_account",
                        service ? "systemd-" + newAccount : newAccount);
            }
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t == start) {
                tick.add(200, Security.authSuccess(user, "PASSWORD", srcIp));
            } else if (t == escalateAt) {
                tick.add(300, Security.privilegeChange(user, "root"));
            } else if (t == persistAt) {
                if (nearMiss) {
                    tick.add(400, Security.fileAccess(user, "/var/log/syslog"));
                } else if (service) {
                    tick.add(400, Security.processStart("root", "systemd-" + newAccount));
                } else {
                    tick.add(400, Security.accountCreation(user, newAccount));
                }
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "operator logs in and uses sudo to read logs"
                    : user + " logs in from " + srcIp + ", becomes root and creates persistence";
        }
    }
}
