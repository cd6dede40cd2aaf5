package dev.vigil.operators.health;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.TelemetryEvent;
import java.time.Instant;

/**
 * Running health figures of one node in one window. Plain Java, and a Flink POJO (public fields,
 * no-argument constructor) so that window state evolves without Kryo.
 */
public class NodeHealthAccumulator {

    public String hub;
    public String region;
    public String cluster;
    public String nodeId;
    public String siteType;

    public long events;
    public long metricSamples;
    public long securityEvents;
    public long powerSamples;
    public long authFailures;

    public long cpuReadings;
    public double cpuSum;
    public double cpuMax = Double.NEGATIVE_INFINITY;
    public double memoryMax = Double.NEGATIVE_INFINITY;
    public double diskMax = Double.NEGATIVE_INFINITY;
    public double temperatureMax = Double.NEGATIVE_INFINITY;
    public long networkInBytes;
    public long networkOutBytes;
    public long packetLossReadings;
    public double packetLossSum;
    public long powerReadings;
    public double powerSum;

    public long firstSequence = Long.MAX_VALUE;
    public long lastSequence = Long.MIN_VALUE;

    public NodeHealthAccumulator() {}

    /** Adds one valid event of the node. */
    public void add(TelemetryEvent event) {
        if (nodeId == null) {
            NodeIdentity node = event.getNode();
            hub = node.getHub();
            region = node.getRegion();
            cluster = node.getCluster();
            nodeId = node.getNodeId();
            siteType = node.getSiteType();
        }
        events++;
        firstSequence = Math.min(firstSequence, event.getSequence());
        lastSequence = Math.max(lastSequence, event.getSequence());
        if (event.getMetric() != null) {
            addMetric(event.getMetric());
        } else if (event.getSecurity() != null) {
            securityEvents++;
            if ("AUTH_FAILURE".equals(event.getSecurity().getKind())) {
                authFailures++;
            }
        } else if (event.getPower() != null) {
            addPower(event.getPower());
        }
    }

    private void addMetric(MetricSample m) {
        metricSamples++;
        if (m.getCpuPercent() != null) {
            cpuReadings++;
            cpuSum += m.getCpuPercent();
            cpuMax = Math.max(cpuMax, m.getCpuPercent());
        }
        if (m.getMemoryPercent() != null) {
            memoryMax = Math.max(memoryMax, m.getMemoryPercent());
        }
        if (m.getDiskPercent() != null) {
            diskMax = Math.max(diskMax, m.getDiskPercent());
        }
        if (m.getTemperatureC() != null) {
            temperatureMax = Math.max(temperatureMax, m.getTemperatureC());
        }
        if (m.getNetworkInBytes() != null) {
            networkInBytes += m.getNetworkInBytes();
        }
        if (m.getNetworkOutBytes() != null) {
            networkOutBytes += m.getNetworkOutBytes();
        }
        if (m.getPacketLossPercent() != null) {
            packetLossReadings++;
            packetLossSum += m.getPacketLossPercent();
        }
    }

    private void addPower(PowerSample p) {
        powerSamples++;
        if (p.getPowerW() != null) {
            powerReadings++;
            powerSum += p.getPowerW();
        }
    }

    /** Folds {@code other} (of the same node) into this one. */
    public NodeHealthAccumulator merge(NodeHealthAccumulator other) {
        if (nodeId == null) {
            hub = other.hub;
            region = other.region;
            cluster = other.cluster;
            nodeId = other.nodeId;
            siteType = other.siteType;
        }
        events += other.events;
        metricSamples += other.metricSamples;
        securityEvents += other.securityEvents;
        powerSamples += other.powerSamples;
        authFailures += other.authFailures;
        cpuReadings += other.cpuReadings;
        cpuSum += other.cpuSum;
        cpuMax = Math.max(cpuMax, other.cpuMax);
        memoryMax = Math.max(memoryMax, other.memoryMax);
        diskMax = Math.max(diskMax, other.diskMax);
        temperatureMax = Math.max(temperatureMax, other.temperatureMax);
        networkInBytes += other.networkInBytes;
        networkOutBytes += other.networkOutBytes;
        packetLossReadings += other.packetLossReadings;
        packetLossSum += other.packetLossSum;
        powerReadings += other.powerReadings;
        powerSum += other.powerSum;
        firstSequence = Math.min(firstSequence, other.firstSequence);
        lastSequence = Math.max(lastSequence, other.lastSequence);
        return this;
    }

    /** The summary of the window {@code [windowStart, windowEnd)}. */
    public NodeHealthSummary toSummary(long windowStart, long windowEnd, int revision) {
        return NodeHealthSummary.newBuilder()
                .setHub(hub)
                .setRegion(region)
                .setCluster(cluster)
                .setNodeId(nodeId)
                .setSiteType(siteType)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setEvents(events)
                .setMetricSamples(metricSamples)
                .setSecurityEvents(securityEvents)
                .setPowerSamples(powerSamples)
                .setAuthFailures(authFailures)
                .setCpuAvgPercent(cpuReadings == 0 ? null : cpuSum / cpuReadings)
                .setCpuMaxPercent(orNull(cpuMax))
                .setMemoryMaxPercent(orNull(memoryMax))
                .setDiskMaxPercent(orNull(diskMax))
                .setTemperatureMaxC(orNull(temperatureMax))
                .setNetworkInBytes(networkInBytes)
                .setNetworkOutBytes(networkOutBytes)
                .setPacketLossAvgPercent(
                        packetLossReadings == 0 ? null : packetLossSum / packetLossReadings)
                .setPowerAvgW(powerReadings == 0 ? null : powerSum / powerReadings)
                .setFirstSequence(firstSequence)
                .setLastSequence(lastSequence)
                .setRevision(revision)
                .build();
    }

    private static Double orNull(double max) {
        return max == Double.NEGATIVE_INFINITY ? null : max;
    }
}
