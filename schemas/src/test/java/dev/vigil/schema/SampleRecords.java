package dev.vigil.schema;

import java.time.Instant;

/** Hand-built records for schema tests. */
public final class SampleRecords {

    private SampleRecords() {}

    public static TelemetryEvent metricEvent() {
        return TelemetryEvent.newBuilder()
                .setEventId("node-0001-42")
                .setNode(
                        NodeIdentity.newBuilder()
                                .setHub("hub-01")
                                .setRegion("eu-west-1")
                                .setCluster("eu-west-1-c01")
                                .setNodeId("node-0001")
                                .setSiteId("site-007")
                                .setSiteType("RETAIL")
                                .build())
                .setSensorId("sys")
                .setEventTime(Instant.parse("2026-11-22T10:15:30.250Z"))
                .setSequence(42L)
                .setMetric(
                        MetricSample.newBuilder()
                                .setCpuPercent(37.5)
                                .setMemoryPercent(61.25)
                                .setNetworkOutBytes(123_456L)
                                .setTemperatureC(29.5)
                                .build())
                .build();
    }
}
