package dev.vigil.operators;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.time.Instant;

/** Builders of well-formed telemetry for operator tests. */
public final class TestEvents {

    /** 2026-11-22T10:00:00Z, the start of a minute. */
    public static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private TestEvents() {}

    public static NodeIdentity node(String nodeId) {
        return NodeIdentity.newBuilder()
                .setHub("hub-01")
                .setRegion("eu-west-1")
                .setCluster("eu-west-1-c01")
                .setNodeId(nodeId)
                .setSiteId("site-001")
                .setSiteType("RETAIL")
                .build();
    }

    public static TelemetryEvent.Builder base(String nodeId, long eventTime, long sequence) {
        return TelemetryEvent.newBuilder()
                .setEventId(nodeId + "-" + sequence)
                .setNode(node(nodeId))
                .setSensorId("sys")
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setSequence(sequence);
    }

    public static TelemetryEvent metric(
            String nodeId, long eventTime, long sequence, double cpu, double temperature) {
        return base(nodeId, eventTime, sequence)
                .setMetric(
                        MetricSample.newBuilder()
                                .setCpuPercent(cpu)
                                .setMemoryPercent(50.0)
                                .setDiskPercent(40.0)
                                .setTemperatureC(temperature)
                                .setNetworkInBytes(1000L)
                                .setNetworkOutBytes(500L)
                                .setPacketLossPercent(0.5)
                                .build())
                .build();
    }

    public static TelemetryEvent security(
            String nodeId, long eventTime, long sequence, String kind) {
        return base(nodeId, eventTime, sequence)
                .setSensorId("auth")
                .setSecurity(
                        SecurityEvent.newBuilder()
                                .setKind(kind)
                                .setUser("alice")
                                .setSrcIp("10.0.0.7")
                                .build())
                .build();
    }

    public static TelemetryEvent power(String nodeId, long eventTime, long sequence, double watts) {
        return base(nodeId, eventTime, sequence)
                .setSensorId("pwr-grid")
                .setPower(PowerSample.newBuilder().setPowerW(watts).setSource("GRID").build())
                .build();
    }
}
