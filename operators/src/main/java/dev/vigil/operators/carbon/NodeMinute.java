package dev.vigil.operators.carbon;

/**
 * One report of a node's minute: where the node sits, which revision this is, the totals, and the
 * change since the previous revision (the totals themselves for revision 0), which roll-ups add.
 *
 * <p>A Flink POJO (public fields, no-argument constructor).
 */
public class NodeMinute {
    public String hub;
    public String region;
    public String cluster;
    public String nodeId;
    public String siteId;
    public String nodeClass;
    public long minuteStart;
    public int revision;
    public CarbonTotals totals;
    public CarbonTotals delta;

    public NodeMinute() {}

    @Override
    public String toString() {
        return nodeId + "@" + minuteStart + "#" + revision + " " + totals;
    }
}
