package dev.vigil.simulator.fleet;

import dev.vigil.schema.NodeIdentity;
import java.util.List;

/**
 * One simulated edge node: its identity and the baselines its normal behaviour follows.
 *
 * @param identity where the node sits in the fleet
 * @param zone grid zone of its region
 * @param index position in the fleet (0-based), used for stable per-node randomness
 * @param baseCpu mean CPU utilisation at the daily peak, percent
 * @param baseMemory typical memory use, percent
 * @param baseDisk disk use at start, percent
 * @param egressBytesPerSecond typical outbound traffic at the daily peak, bytes/s
 * @param ingressBytesPerSecond typical inbound traffic at the daily peak, bytes/s
 * @param ambientC ambient temperature of the site, °C
 * @param idleWatts power draw at 0 % CPU, W
 * @param maxWatts power draw at 100 % CPU, W
 * @param solarPeakWatts on-site solar available to the node at noon, W (0 without panels)
 * @param windPeakWatts on-site wind available to the node at full wind, W (0 without turbine)
 * @param ip the node's own IPv4 address
 * @param users local accounts that log in during normal operation
 * @param processes processes normally started on the node
 */
public record SimNode(
        NodeIdentity identity,
        GridZone zone,
        int index,
        double baseCpu,
        double baseMemory,
        double baseDisk,
        double egressBytesPerSecond,
        double ingressBytesPerSecond,
        double ambientC,
        double idleWatts,
        double maxWatts,
        double solarPeakWatts,
        double windPeakWatts,
        String ip,
        List<String> users,
        List<String> processes) {

    public String nodeId() {
        return identity.getNodeId();
    }
}
