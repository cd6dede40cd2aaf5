package dev.vigil.operators.ingest;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TelemetryDeduplicatorTest {

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, IngestedTelemetry, IngestedTelemetry>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TelemetryDeduplicator(
                        Duration.ofMinutes(10),
                        "telemetry",
                        new DeadLetterFactory("node-health", () -> 42L)),
                IngestedTelemetry::nodeId,
                org.apache.flink.api.common.typeinfo.Types.STRING);
    }

    private static IngestedTelemetry read(TelemetryEvent e, long offset) {
        return IngestedTelemetry.valid(e, 0, offset);
    }

    @Test
    void aResentEventPassesOnceAndAConflictingOneIsADeadLetter() throws Exception {
        TelemetryEvent first = TestEvents.metric("n1", T0 + 200, 7, 10, 30);
        TelemetryEvent other = TestEvents.metric("n1", T0 + 900, 8, 10, 30);
        TelemetryEvent forged = TestEvents.metric("n1", T0 + 200, 7, 99, 30); // same id and time
        try (var h = harness()) {
            h.open();
            h.processElement(read(first, 1), T0 + 200);
            h.processElement(read(other, 2), T0 + 900);
            h.processElement(read(first, 3), T0 + 200); // the producer's retry
            h.processElement(read(forged, 4), T0 + 200);
            assertThat(h.extractOutputValues()).extracting(i -> i.offset).containsExactly(1L, 2L);
            assertThat(h.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                    .extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::getReasonCode, DeadLetter::getSourceOffset)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("CONFLICTING_DUPLICATE", 4L));
        }
    }

    @Test
    void idsAreForgottenOnceTheNodesEventTimeIsTheHorizonPastThem() throws Exception {
        TelemetryEvent e = TestEvents.metric("n1", T0 + 200, 7, 10, 30);
        try (var h = harness()) {
            h.open();
            h.processElement(read(e, 1), T0 + 200);
            h.processWatermark(T0 + 999 + Duration.ofMinutes(10).toMillis() - 1);
            h.processElement(read(e, 2), T0 + 200);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(T0 + 999 + Duration.ofMinutes(10).toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.extractOutputValues()).extracting(i -> i.offset).containsExactly(1L);
        }
    }
}
