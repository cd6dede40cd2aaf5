package dev.vigil.operators.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A node's {@code NodeFeatures} vector at one moment of event time, on its way from the keyed
 * feature windows to the batched model. A Flink POJO.
 */
public class NodeFeatureVector {

    public String hub;
    public String region;
    public String cluster;
    public String nodeId;

    /** Event time of the newest sample in the window, UTC ms. */
    public long eventTime;

    public double[] features;

    public NodeFeatureVector() {}

    public NodeFeatureVector(
            String hub,
            String region,
            String cluster,
            String nodeId,
            long eventTime,
            double[] features) {
        this.hub = hub;
        this.region = region;
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.eventTime = eventTime;
        this.features = features;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeFeatureVector v
                && eventTime == v.eventTime
                && Objects.equals(nodeId, v.nodeId)
                && Objects.equals(cluster, v.cluster)
                && Objects.equals(region, v.region)
                && Objects.equals(hub, v.hub)
                && Arrays.equals(features, v.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, eventTime);
    }

    @Override
    public String toString() {
        return "NodeFeatureVector{" + nodeId + " @" + eventTime + "}";
    }
}
