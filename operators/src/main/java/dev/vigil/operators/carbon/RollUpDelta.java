package dev.vigil.operators.carbon;

import java.util.ArrayList;
import java.util.List;

/**
 * A node-minute's change, addressed to one roll-up window (a node's hour or day, or a cluster's,
 * region's or hub's minute, hour or day). A Flink POJO.
 */
public class RollUpDelta {
    public String level;
    public String key;
    public String hub;
    public String region;
    public String cluster;
    public long windowStart;
    public long windowSize;
    public CarbonTotals delta;

    public RollUpDelta() {}

    /** Kafka-independent key of the window: level, key, size and start. */
    public String windowKey() {
        return level + "/" + key + "/" + CarbonLevel.label(windowSize) + "/" + windowStart;
    }

    /** The eleven windows a node-minute rolls up into (its own minute is reported directly). */
    public static List<RollUpDelta> of(NodeMinute m) {
        List<RollUpDelta> out = new ArrayList<>(11);
        for (long size : CarbonLevel.SIZES) {
            long start = Math.floorDiv(m.minuteStart, size) * size;
            if (size != NodeLedger.MINUTE) {
                out.add(delta(m, CarbonLevel.NODE, m.nodeId, m.region, m.cluster, start, size));
            }
            out.add(delta(m, CarbonLevel.CLUSTER, m.cluster, m.region, m.cluster, start, size));
            out.add(delta(m, CarbonLevel.REGION, m.region, m.region, null, start, size));
            out.add(delta(m, CarbonLevel.HUB, m.hub, null, null, start, size));
        }
        return out;
    }

    private static RollUpDelta delta(
            NodeMinute m,
            String level,
            String key,
            String region,
            String cluster,
            long start,
            long size) {
        RollUpDelta d = new RollUpDelta();
        d.level = level;
        d.key = key;
        d.hub = m.hub;
        d.region = region;
        d.cluster = cluster;
        d.windowStart = start;
        d.windowSize = size;
        d.delta = m.delta;
        return d;
    }
}
