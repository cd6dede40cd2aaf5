package dev.vigil.operators.threat;

import dev.vigil.operators.TestEvents;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.time.Instant;

/**
 * Fluent builders of telemetry for rule tests; sequence numbers are filled in by {@link RuleBench}.
 */
final class Ev {

    private Ev() {}

    /** A metric sample of sensor {@code sys} with calm defaults. */
    static Metric metric(String node, long time) {
        return new Metric(node, time);
    }

    /** A security event of {@code kind}. */
    static Sec sec(String node, long time, String kind) {
        return new Sec(node, time, kind);
    }

    static final class Metric {
        private final TelemetryEvent.Builder event;
        private final MetricSample.Builder metric =
                MetricSample.newBuilder()
                        .setCpuPercent(30.0)
                        .setMemoryPercent(50.0)
                        .setDiskPercent(40.0)
                        .setNetworkInBytes(100_000L)
                        .setNetworkOutBytes(50_000L)
                        .setPacketLossPercent(0.1)
                        .setLatencyMs(10.0)
                        .setTemperatureC(28.0);

        Metric(String node, long time) {
            event = TestEvents.base(node, time, 0).setSensorId("sys");
        }

        Metric cpu(double v) {
            metric.setCpuPercent(v);
            return this;
        }

        Metric memory(double v) {
            metric.setMemoryPercent(v);
            return this;
        }

        Metric disk(double v) {
            metric.setDiskPercent(v);
            return this;
        }

        Metric temp(double v) {
            metric.setTemperatureC(v);
            return this;
        }

        Metric loss(double v) {
            metric.setPacketLossPercent(v);
            return this;
        }

        Metric in(long bytes) {
            metric.setNetworkInBytes(bytes);
            return this;
        }

        Metric out(long bytes) {
            metric.setNetworkOutBytes(bytes);
            return this;
        }

        Metric sensor(String sensor) {
            event.setSensorId(sensor);
            return this;
        }

        TelemetryEvent build() {
            return event.setMetric(metric.build()).build();
        }
    }

    static final class Sec {
        private final TelemetryEvent.Builder event;
        private final SecurityEvent.Builder security;

        Sec(String node, long time, String kind) {
            event = TestEvents.base(node, time, 0).setSensorId("sec");
            security = SecurityEvent.newBuilder().setKind(kind);
        }

        Sec user(String user) {
            security.setUser(user);
            return this;
        }

        Sec reason(String reason) {
            security.setFailureReason(reason);
            return this;
        }

        Sec factor(String factor) {
            security.setAuthFactor(factor);
            return this;
        }

        Sec src(String ip) {
            security.setSrcIp(ip);
            return this;
        }

        Sec dst(String ip, int port) {
            security.setDstIp(ip).setDstPort(port);
            return this;
        }

        Sec bytes(long bytes) {
            security.setBytes(bytes);
            return this;
        }

        Sec process(String name) {
            security.setProcessName(name);
            return this;
        }

        Sec target(String target) {
            security.setTarget(target);
            return this;
        }

        TelemetryEvent build() {
            return event.setSecurity(security.build()).build();
        }
    }

    static Instant at(long t) {
        return Instant.ofEpochMilli(t);
    }
}
