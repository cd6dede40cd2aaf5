package dev.vigil.simulator.fleet;

/**
 * Shape of a simulated fleet: hubs → regions → clusters → nodes → sensors, and the seed that makes
 * every generated value reproducible.
 *
 * @param hubs number of hubs
 * @param regionsPerHub regions per hub
 * @param clustersPerRegion clusters per region
 * @param nodesPerCluster edge nodes per cluster
 * @param extraSensors additional ambient-temperature sensors per node, each reporting every tick
 *     (scales the event rate without changing behaviour)
 * @param seed random seed
 */
public record FleetSpec(
        int hubs,
        int regionsPerHub,
        int clustersPerRegion,
        int nodesPerCluster,
        int extraSensors,
        long seed) {

    public FleetSpec {
        require(hubs, "hubs");
        require(regionsPerHub, "regions per hub");
        require(clustersPerRegion, "clusters per region");
        require(nodesPerCluster, "nodes per cluster");
        if (extraSensors < 0) {
            throw new IllegalArgumentException("extra sensors must be >= 0, was " + extraSensors);
        }
    }

    /**
     * The small default fleet of {@code vigil up}: 1 hub, 2 regions, 2 clusters each, 4 nodes each.
     */
    public static FleetSpec small(long seed) {
        return new FleetSpec(1, 2, 2, 4, 0, seed);
    }

    /** A fleet of about {@code nodes} nodes (rounded up to whole clusters of 10). */
    public static FleetSpec ofNodes(int nodes, long seed) {
        int clusters = Math.max(1, (nodes + 9) / 10);
        int regions = Math.max(1, (int) Math.ceil(Math.sqrt(clusters)));
        int clustersPerRegion = (clusters + regions - 1) / regions;
        int hubs = Math.max(1, regions / 4);
        int regionsPerHub = (regions + hubs - 1) / hubs;
        return new FleetSpec(hubs, regionsPerHub, clustersPerRegion, Math.min(10, nodes), 0, seed);
    }

    public int nodeCount() {
        return hubs * regionsPerHub * clustersPerRegion * nodesPerCluster;
    }

    private static void require(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, was " + value);
        }
    }
}
