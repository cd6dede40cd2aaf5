package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.operators.TestEvents;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class NodeFeatureFunctionTest {

    static TelemetryEvent sample(String node, long t, double cpu, double memory) {
        return TestEvents.base(node, t, t / 10)
                .setMetric(
                        MetricSample.newBuilder()
                                .setCpuPercent(cpu)
                                .setMemoryPercent(memory)
                                .setDiskPercent(40.0)
                                .setNetworkInBytes(10_000L)
                                .setNetworkOutBytes(5_000L)
                                .setPacketLossPercent(0.1)
                                .setLatencyMs(12.0)
                                .setTemperatureC(30.0)
                                .setErrorRate(0.01)
                                .setResponseTimeMs(80.0)
                                .build())
                .build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, IngestedTelemetry, NodeFeatureVector>
            harness(int warmUp) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new NodeFeatureFunction(Duration.ofSeconds(5), Duration.ofSeconds(warmUp))),
                IngestedTelemetry::nodeId,
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, IngestedTelemetry, NodeFeatureVector> h,
            TelemetryEvent e)
            throws Exception {
        h.processElement(IngestedTelemetry.valid(e, 0, 0), e.getEventTime().toEpochMilli());
    }

    @Test
    void oneVectorPerNodePerIntervalWithTheWindowsFeatures() throws Exception {
        NodeFeatureWindow expected = new NodeFeatureWindow();
        try (var h = harness(0)) {
            h.open();
            for (int s = 0; s < 12; s++) {
                long t = TestEvents.T0 + s * 1000L;
                TelemetryEvent a = sample("node-a", t, 10 + s, 50 + s);
                send(h, a);
                send(h, sample("node-b", t, 90, 20));
                send(h, TestEvents.security("node-a", t, s, "FILE_ACCESS"));
                expected.add(
                        t,
                        NodeFeatureWindow.values(
                                10.0 + s, 50.0 + s, 40.0, 10_000L, 5_000L, 0.1, 12.0, 30.0, 0.01,
                                80.0, 1000L));
                if (s == 10) {
                    assertThat(h.extractOutputValues().get(4).features)
                            .containsExactly(expected.features());
                }
            }
            List<NodeFeatureVector> out = h.extractOutputValues();
            // seconds 0, 5 and 10 for each node
            assertThat(out)
                    .extracting(v -> v.nodeId + "@" + (v.eventTime - TestEvents.T0))
                    .containsExactly(
                            "node-a@0",
                            "node-b@0",
                            "node-a@5000",
                            "node-b@5000",
                            "node-a@10000",
                            "node-b@10000");
            assertThat(out.get(0).cluster).isEqualTo("eu-west-1-c01");
        }
    }

    @Test
    void aNodeIsFirstScoredOnceItsWindowSpansTheWarmUp() throws Exception {
        try (var h = harness(60)) {
            h.open();
            for (int s = 0; s <= 70; s++) {
                send(h, sample("node-a", TestEvents.T0 + s * 1000L, 20, 50));
            }
            assertThat(h.extractOutputValues())
                    .extracting(v -> v.eventTime - TestEvents.T0)
                    .containsExactly(60_000L, 65_000L, 70_000L);
        }
    }

    @Test
    void theWindowSurvivesSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        List<NodeFeatureVector> uninterrupted;
        try (var h = harness(60)) {
            h.open();
            for (int s = 0; s < 300; s++) {
                send(h, sample("node-a", TestEvents.T0 + s * 1000L, s % 50, 40 + s / 30.0));
            }
            snapshot = h.snapshot(1, 1);
            for (int s = 300; s < 305; s++) {
                send(h, sample("node-a", TestEvents.T0 + s * 1000L, s % 50, 40 + s / 30.0));
            }
            uninterrupted = h.extractOutputValues();
        }
        try (var h = harness(60)) {
            h.initializeState(snapshot);
            h.open();
            for (int s = 300; s < 305; s++) {
                send(h, sample("node-a", TestEvents.T0 + s * 1000L, s % 50, 40 + s / 30.0));
            }
            List<NodeFeatureVector> restored = h.extractOutputValues();
            assertThat(restored).hasSize(1);
            assertThat(restored.get(0)).isEqualTo(uninterrupted.get(uninterrupted.size() - 1));
            assertThat(restored.get(0).eventTime).isEqualTo(TestEvents.T0 + 300_000L);
        }
    }

    @Test
    void aNodeWithoutSamplesForAnHourIsForgottenAndWarmsUpAfresh() throws Exception {
        try (var h = harness(2)) {
            h.open();
            for (int s = 0; s < 4; s++) {
                send(h, sample("node-a", TestEvents.T0 + s * 1000L, 10, 50));
            }
            // seconds 2 (warmed up) and, an interval later, none yet
            assertThat(h.extractOutputValues()).hasSize(1);
            long last = TestEvents.T0 + 3000L;
            long forget =
                    (Math.floorDiv(last, 60_000L) + 1) * 60_000L
                            + NodeFeatureFunction.QUIET_RETENTION.toMillis();
            h.processWatermark(new Watermark(forget - 1));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // window, last vector
            h.processWatermark(new Watermark(forget));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // back: a new window, which must span the warm-up again before a vector
            long back = forget + 1_000;
            send(h, sample("node-a", back, 10, 50));
            send(h, sample("node-a", back + 1_000, 10, 50));
            assertThat(h.extractOutputValues()).hasSize(1);
            send(h, sample("node-a", back + 2_000, 10, 50));
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }
}
