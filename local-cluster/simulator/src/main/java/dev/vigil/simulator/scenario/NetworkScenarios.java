package dev.vigil.simulator.scenario;

import dev.vigil.simulator.NodeTick;
import dev.vigil.simulator.fleet.SimNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Scenarios seen on the network: port scan, DDoS, exfiltration, beaconing, congestion. */
final class NetworkScenarios {

    private NetworkScenarios() {}

    /** Probes of many distinct ports from one source; near miss: a monitor checking four ports. */
    static final class PortScan extends Scenario {
        private final String srcIp;
        private final double rate;
        private final List<Integer> ports = new ArrayList<>();
        private int next;

        PortScan(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.PORT_SCAN, nearMiss, targets, start, end, random);
            if (nearMiss) {
                srcIp = "10.250.0.5";
                rate = 0;
                ports.addAll(List.of(22, 80, 443, 9100));
            } else {
                srcIp = externalIp();
                rate = between(2, 20);
                for (int p = 1; p <= 10_000; p++) {
                    ports.add(p);
                }
                Collections.shuffle(ports, new java.util.Random(random.nextLong()));
            }
            attributes.put("src_ip", srcIp);
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (nearMiss) {
                if ((t - start) % 15_000 == 0) {
                    for (int i = 0; i < ports.size(); i++) {
                        tick.add(i * 10L, Security.portProbe(srcIp, node.ip(), ports.get(i)));
                    }
                }
                return;
            }
            int probes = (int) rate + (chance(rate - (int) rate) ? 1 : 0);
            for (int i = 0; i < probes; i++) {
                tick.add(
                        i * 1000L / (probes + 1),
                        Security.portProbe(srcIp, node.ip(), ports.get(next++ % ports.size())));
            }
        }

        @Override
        protected String description() {
            return nearMiss
                    ? "monitoring probes ports 22, 80, 443, 9100 every 15 s"
                    : String.format("port scan from %s at %.1f ports/s", srcIp, rate);
        }
    }

    /** Inbound traffic many times the baseline from many sources; near miss: a 2-3x flash crowd. */
    static final class Ddos extends Scenario {
        private final double factor;
        private final double connectionsPerSecond;

        Ddos(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.DDOS, nearMiss, targets, start, end, random);
            factor = nearMiss ? between(2, 3) : between(20, 100);
            connectionsPerSecond = nearMiss ? between(0.2, 0.5) : between(15, 40);
            attributes.put("factor", String.format("%.1f", factor));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            tick.networkIn = (long) (tick.networkIn * factor);
            tick.latencyMs *= nearMiss ? 1.2 : 4;
            tick.packetLoss += nearMiss ? 0 : between(0.5, 2);
            int connections =
                    (int) connectionsPerSecond + (chance(connectionsPerSecond % 1) ? 1 : 0);
            for (int i = 0; i < connections; i++) {
                tick.add(
                        i * 1000L / (connections + 1),
                        Security.connection(
                                externalIp(), node.ip(), 443, 64 + random.nextInt(1500)));
            }
        }

        @Override
        protected String description() {
            return String.format(
                    nearMiss
                            ? "flash crowd: %.1fx inbound traffic"
                            : "DDoS: %.0fx inbound traffic from many sources",
                    factor);
        }
    }

    /**
     * Outbound traffic far above the node's baseline to one destination; near miss: a nightly-size
     * backup.
     */
    static final class Exfiltration extends Scenario {
        private final double factor;
        private final String dstIp;
        private final int dstPort;
        private long nextUpload;

        Exfiltration(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.DATA_EXFILTRATION, nearMiss, targets, start, end, random);
            factor = nearMiss ? between(2.5, 4) : between(10, 50);
            dstIp = nearMiss ? "10.250.0.20" : externalIp();
            dstPort = nearMiss ? 873 : 443;
            nextUpload = start;
            attributes.put("dst_ip", dstIp);
            attributes.put("factor", String.format("%.1f", factor));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            long extra = (long) (tick.networkOut * (factor - 1));
            tick.networkOut += extra;
            // uploads go out in irregular chunks, not on a clock
            if (t >= nextUpload) {
                long gap = 3_000 + random.nextInt(25_000);
                tick.add(500, Security.connection(node.ip(), dstIp, dstPort, extra * gap / 1000));
                nextUpload = t + gap;
            }
        }

        @Override
        protected String description() {
            return String.format("%.1fx baseline egress to %s", factor, dstIp)
                    + (nearMiss ? " (backup)" : "");
        }
    }

    /**
     * Connections to one outside host at a fixed period; near miss: irregular visits to one host.
     */
    static final class Beaconing extends Scenario {
        private final String dstIp;
        private final int dstPort;
        private final double periodSeconds;
        private long nextAt;

        Beaconing(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.MALWARE_BEACONING, nearMiss, targets, start, end, random);
            dstIp = externalIp();
            dstPort = nearMiss ? 443 : (random.nextBoolean() ? 443 : 8443);
            periodSeconds = between(20, 120);
            nextAt = start;
            attributes.put("dst_ip", dstIp);
            attributes.put("period_s", String.format("%.0f", periodSeconds));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            if (t < nextAt - nextAt % 1000) {
                return;
            }
            tick.add(
                    nextAt % 1000,
                    Security.connection(node.ip(), dstIp, dstPort, 200 + random.nextInt(600)));
            double gap =
                    nearMiss
                            ? -StrictMath.log(1 - random.nextDouble()) * periodSeconds
                            : periodSeconds * (1 + between(-0.03, 0.03));
            nextAt += Math.max(1000, (long) (gap * 1000));
        }

        @Override
        protected String description() {
            return nearMiss
                    ? String.format(
                            "irregular visits to %s (mean gap %.0f s)", dstIp, periodSeconds)
                    : String.format("beacon to %s:%d every %.0f s", dstIp, dstPort, periodSeconds);
        }
    }

    /** Sustained packet loss and latency; near miss: a short blip. */
    static final class Congestion extends Scenario {
        private final double loss;
        private final double latencyFactor;

        Congestion(
                String id,
                boolean nearMiss,
                List<SimNode> targets,
                long start,
                long end,
                SplittableRandom random) {
            super(id, ScenarioType.NETWORK_CONGESTION, nearMiss, targets, start, end, random);
            loss = nearMiss ? between(3, 6) : between(5, 20);
            latencyFactor = nearMiss ? between(1.5, 3) : between(3, 10);
            attributes.put("packet_loss_percent", String.format("%.1f", loss));
        }

        @Override
        public void apply(long t, SimNode node, NodeTick tick) {
            tick.packetLoss = loss + between(-1, 1);
            tick.latencyMs *= latencyFactor;
            tick.responseTimeMs *= latencyFactor;
        }

        @Override
        protected String description() {
            return String.format("%.1f %% packet loss, %.1fx latency", loss, latencyFactor);
        }
    }
}
