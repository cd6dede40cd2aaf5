package dev.vigil.operators.health;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production window wiring of {@link NodeHealthWindows}, driven through a test harness. */
class NodeHealthWindowsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration LATENESS = Duration.ofMinutes(1);
    private static final long WINDOW_MAX = T0 + 59_999;

    private final AtomicLong offsets = new AtomicLong();
    private KeyedOneInputStreamOperatorTestHarness<String, IngestedTelemetry, NodeHealthSummary>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void summarisesEachNodeMinuteExactly() throws Exception {
        send(TestEvents.metric("node-a", T0 + 1_000, 0, 10.0, 30.0));
        send(TestEvents.metric("node-b", T0 + 10_000, 0, 70.0, 25.0));
        send(TestEvents.metric("node-a", T0 + 30_000, 1, 30.0, 36.0));
        send(TestEvents.security("node-a", T0 + 40_000, 2, "AUTH_FAILURE"));
        send(TestEvents.power("node-a", T0 + 50_000, 3, 100.0));
        send(TestEvents.metric("node-a", T0 + 60_000, 4, 99.0, 99.0)); // next minute

        harness.processWatermark(WINDOW_MAX);

        List<NodeHealthSummary> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        NodeHealthSummary a = byNode(out, "node-a");
        assertThat(a.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(a.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + 60_000));
        assertThat(a.getEvents()).isEqualTo(4);
        assertThat(a.getMetricSamples()).isEqualTo(2);
        assertThat(a.getSecurityEvents()).isEqualTo(1);
        assertThat(a.getPowerSamples()).isEqualTo(1);
        assertThat(a.getAuthFailures()).isEqualTo(1);
        assertThat(a.getCpuAvgPercent()).isEqualTo(20.0);
        assertThat(a.getCpuMaxPercent()).isEqualTo(30.0);
        assertThat(a.getMemoryMaxPercent()).isEqualTo(50.0);
        assertThat(a.getDiskMaxPercent()).isEqualTo(40.0);
        assertThat(a.getTemperatureMaxC()).isEqualTo(36.0);
        assertThat(a.getNetworkInBytes()).isEqualTo(2_000L);
        assertThat(a.getNetworkOutBytes()).isEqualTo(1_000L);
        assertThat(a.getPacketLossAvgPercent()).isEqualTo(0.5);
        assertThat(a.getPowerAvgW()).isEqualTo(100.0);
        assertThat(a.getFirstSequence()).isEqualTo(0);
        assertThat(a.getLastSequence()).isEqualTo(3);
        assertThat(a.getRevision()).isEqualTo(0);
        assertThat(a.getHub()).isEqualTo("hub-01");
        assertThat(a.getSiteType()).isEqualTo("RETAIL");

        NodeHealthSummary b = byNode(out, "node-b");
        assertThat(b.getEvents()).isEqualTo(1);
        assertThat(b.getCpuAvgPercent()).isEqualTo(70.0);
        assertThat(b.getPowerAvgW()).isNull();
        assertThat(b.getAuthFailures()).isZero();
    }

    @Test
    void aLateEventWithinTheLatenessRevisesTheWindow() throws Exception {
        send(TestEvents.metric("node-a", T0 + 1_000, 0, 10.0, 30.0));
        send(TestEvents.metric("node-a", T0 + 30_000, 1, 30.0, 36.0));
        harness.processWatermark(WINDOW_MAX);

        send(TestEvents.metric("node-a", T0 + 5_000, 2, 60.0, 31.0));

        List<NodeHealthSummary> out = harness.extractOutputValues();
        assertThat(out).extracting(NodeHealthSummary::getRevision).containsExactly(0, 1);
        assertThat(out).extracting(NodeHealthSummary::getEvents).containsExactly(2L, 3L);
        assertThat(out.get(1).getCpuAvgPercent()).isEqualTo(100.0 / 3);
        assertThat(out.get(1).getLastSequence()).isEqualTo(2);
        assertThat(harness.getSideOutput(NodeHealthWindows.LATE)).isNull();
    }

    @Test
    void anEventBeyondTheLatenessGoesToTheLateOutputAndStateIsFreed() throws Exception {
        send(TestEvents.metric("node-a", T0 + 1_000, 0, 10.0, 30.0));
        harness.processWatermark(WINDOW_MAX + LATENESS.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();

        IngestedTelemetry late = send(TestEvents.metric("node-a", T0 + 2_000, 1, 50.0, 30.0));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getSideOutput(NodeHealthWindows.LATE))
                .extracting(StreamRecord::getValue)
                .containsExactly(late);
    }

    @Test
    void windowContentsSurviveSnapshotAndRestore() throws Exception {
        send(TestEvents.metric("node-a", T0 + 1_000, 0, 10.0, 30.0));
        send(TestEvents.metric("node-a", T0 + 2_000, 1, 20.0, 30.0));
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0 + 2_000);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(TestEvents.metric("node-a", T0 + 3_000, 2, 30.0, 30.0));
        harness.processWatermark(WINDOW_MAX);

        NodeHealthSummary a = harness.extractOutputValues().get(0);
        assertThat(a.getEvents()).isEqualTo(3);
        assertThat(a.getCpuAvgPercent()).isEqualTo(20.0);
        assertThat(a.getFirstSequence()).isEqualTo(0);
        assertThat(a.getLastSequence()).isEqualTo(2);
    }

    @Test
    void stateTypesArePojosSoNoKryoIsInvolved() {
        assertThat(TypeInformation.of(NodeHealthAccumulator.class))
                .isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(IngestedTelemetry.class)).isInstanceOf(PojoTypeInfo.class);
    }

    private IngestedTelemetry send(TelemetryEvent event) throws Exception {
        IngestedTelemetry ingested = IngestedTelemetry.valid(event, 0, offsets.getAndIncrement());
        harness.processElement(ingested, event.getEventTime().toEpochMilli());
        return ingested;
    }

    private static NodeHealthSummary byNode(List<NodeHealthSummary> out, String node) {
        return out.stream().filter(s -> s.getNodeId().equals(node)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, IngestedTelemetry, NodeHealthSummary>
            newHarness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<IngestedTelemetry> input =
                env.fromData(
                        TypeInformation.of(IngestedTelemetry.class),
                        IngestedTelemetry.valid(TestEvents.metric("x", T0, 0, 1, 1), 0, 0));
        Transformation<NodeHealthSummary> transformation =
                NodeHealthWindows.summarise(
                                input.keyBy(IngestedTelemetry::nodeId), MINUTE, LATENESS)
                        .getTransformation();
        OneInputStreamOperator<IngestedTelemetry, NodeHealthSummary> operator =
                (OneInputStreamOperator<IngestedTelemetry, NodeHealthSummary>)
                        ((SimpleOperatorFactory<NodeHealthSummary>)
                                        ((OneInputTransformation<
                                                                IngestedTelemetry,
                                                                NodeHealthSummary>)
                                                        transformation)
                                                .getOperatorFactory())
                                .getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, IngestedTelemetry::nodeId, Types.STRING);
    }
}
