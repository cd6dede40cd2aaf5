package dev.vigil.simulator.fleet;

import dev.vigil.schema.NodeIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The nodes and regions of a simulated fleet, derived deterministically from a {@link FleetSpec}.
 */
public final class Fleet {

    static final String[] SITE_TYPES = {
        "OFFICE_BUILDING", "RETAIL", "INDUSTRIAL", "TRANSPORTATION", "PUBLIC_INFRASTRUCTURE"
    };

    /** Processes that run on every node in normal operation. */
    public static final List<String> KNOWN_PROCESSES =
            List.of(
                    "edge-runtime",
                    "telemetry-agent",
                    "nginx",
                    "sshd",
                    "backup-agent",
                    "db-vacuum",
                    "update-agent");

    private final FleetSpec spec;
    private final List<SimNode> nodes;
    private final Map<String, GridZone> regions;

    private Fleet(FleetSpec spec, List<SimNode> nodes, Map<String, GridZone> regions) {
        this.spec = spec;
        this.nodes = nodes;
        this.regions = regions;
    }

    /** Builds the fleet of {@code spec}. */
    public static Fleet of(FleetSpec spec) {
        return of(spec, null);
    }

    /**
     * Builds the fleet of {@code spec} whose node ids start with {@code name} ({@code
     * <name>-node-00001}), or the standard ids when {@code name} is null: the same shape, other
     * nodes.
     */
    public static Fleet of(FleetSpec spec, String name) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<SimNode> nodes = new ArrayList<>();
        Map<String, GridZone> regions = new LinkedHashMap<>();
        int regionCounter = 0;
        for (int h = 1; h <= spec.hubs(); h++) {
            String hub = String.format("hub-%02d", h);
            for (int r = 1; r <= spec.regionsPerHub(); r++) {
                GridZone zone = GridZone.ZONES[regionCounter % GridZone.ZONES.length];
                String region = zone.name() + "-" + (regionCounter / GridZone.ZONES.length + 1);
                regionCounter++;
                regions.put(region, zone);
                for (int c = 1; c <= spec.clustersPerRegion(); c++) {
                    String cluster = String.format("%s-c%02d", region, c);
                    for (int n = 1; n <= spec.nodesPerCluster(); n++) {
                        int index = nodes.size();
                        nodes.add(node(index, name, hub, region, cluster, zone, random.split()));
                    }
                }
            }
        }
        return new Fleet(
                spec, Collections.unmodifiableList(nodes), Collections.unmodifiableMap(regions));
    }

    private static SimNode node(
            int index,
            String name,
            String hub,
            String region,
            String cluster,
            GridZone zone,
            SplittableRandom random) {
        String nodeId = (name == null ? "" : name + "-") + String.format("node-%05d", index + 1);
        String siteType = SITE_TYPES[random.nextInt(SITE_TYPES.length)];
        // a site houses up to four nodes of a cluster
        String siteId = String.format("%s-s%d", cluster, index / 4 % 100);
        String nodeClass =
                random.nextDouble() < 0.15
                        ? "edge-gpu"
                        : random.nextDouble() < 0.3 ? "edge-small" : "edge-standard";
        double idle =
                switch (nodeClass) {
                    case "edge-gpu" -> 150;
                    case "edge-small" -> 20;
                    default -> 80;
                };
        double max =
                switch (nodeClass) {
                    case "edge-gpu" -> 600;
                    case "edge-small" -> 60;
                    default -> 250;
                };
        boolean solar = random.nextDouble() < 0.5;
        boolean wind = random.nextDouble() < 0.2;
        List<String> users = List.of("svc-" + nodeId, "operator", "admin");
        return new SimNode(
                NodeIdentity.newBuilder()
                        .setHub(hub)
                        .setRegion(region)
                        .setCluster(cluster)
                        .setNodeId(nodeId)
                        .setSiteId(siteId)
                        .setSiteType(siteType)
                        .setNodeClass(nodeClass)
                        .build(),
                zone,
                index,
                20 + random.nextDouble() * 30,
                35 + random.nextDouble() * 25,
                30 + random.nextDouble() * 30,
                50_000 + random.nextDouble() * 450_000,
                80_000 + random.nextDouble() * 600_000,
                siteType.equals("INDUSTRIAL")
                        ? 24 + random.nextDouble() * 3
                        : 19 + random.nextDouble() * 4,
                idle,
                max,
                solar ? max * (0.3 + random.nextDouble() * 0.5) : 0,
                wind ? max * (0.2 + random.nextDouble() * 0.4) : 0,
                String.format(
                        "10.%d.%d.%d", 1 + index / 62500 % 250, index / 250 % 250, index % 250 + 1),
                users,
                KNOWN_PROCESSES);
    }

    public FleetSpec spec() {
        return spec;
    }

    public List<SimNode> nodes() {
        return nodes;
    }

    /** Region id → grid zone, in creation order. */
    public Map<String, GridZone> regions() {
        return regions;
    }
}
