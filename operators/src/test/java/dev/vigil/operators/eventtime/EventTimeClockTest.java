package dev.vigil.operators.eventtime;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EventTimeClockTest {

    private static OneInputStreamOperatorTestHarness<IngestedTelemetry, IngestedTelemetry> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new EventTimeClock<>(Duration.ofSeconds(5), TelemetryClock.INSTANCE));
    }

    private static IngestedTelemetry event(int partition, long time, long offset) {
        return IngestedTelemetry.valid(
                TestEvents.metric("n" + partition, time, offset, 1, 1), partition, offset);
    }

    private static List<Object> output(OneInputStreamOperatorTestHarness<?, ?> h) {
        List<Object> out = new ArrayList<>(h.getOutput());
        h.getOutput().clear();
        return out;
    }

    @Test
    void everyEventCarriesTheWatermarkOfItsOwnPartition() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(event(0, T0, 1), T0);
            h.processElement(event(1, T0 + 60_000, 1), T0 + 60_000);
            h.processElement(event(0, T0 - 3_000, 2), T0 - 3_000);
            h.processElement(event(0, T0 - 6_000, 3), T0 - 6_000);
            List<IngestedTelemetry> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(e -> e.partitionWatermark)
                    .containsExactly(Long.MIN_VALUE, Long.MIN_VALUE, T0 - 5_001, T0 - 5_001);
            assertThat(out)
                    .extracting(IngestedTelemetry::behindPartitionWatermark)
                    .containsExactly(false, false, false, true);
        }
    }

    @Test
    void sourceWatermarksPassOnlyForwardAndIdlenessReleasesTheBound() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(event(0, T0, 1), T0);
            h.processWatermark(new Watermark(T0 - 5_001));
            h.processWatermark(new Watermark(T0 - 9_000)); // behind: dropped
            assertThat(output(h))
                    .containsExactly(
                            new StreamRecord<>(event(0, T0, 1), T0), new Watermark(T0 - 5_001));

            h.processWatermarkStatus(WatermarkStatus.IDLE);
            // what waited for the bound is released before the input says it is idle
            assertThat(output(h)).containsExactly(new Watermark(T0), WatermarkStatus.IDLE);

            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(T0 - 5_001)); // the source's own, behind the release
            assertThat(output(h)).containsExactly(WatermarkStatus.ACTIVE);
        }
    }

    @Test
    void aRestoredClockReEmitsItsWatermarkAndKeepsJudgingLatenessTheSameWay() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(event(2, T0, 1), T0);
            h.processWatermark(new Watermark(T0 - 5_001));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(1); // the mailbox turn after start
            assertThat(output(h)).containsExactly(new Watermark(T0 - 5_001));
            // no new input at all: at idleness the bound is released from the restored clocks
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(output(h)).containsExactly(new Watermark(T0), WatermarkStatus.IDLE);
            h.processElement(event(2, T0 - 5_500, 2), T0 - 5_500);
            assertThat(h.extractOutputValues().get(0).partitionWatermark).isEqualTo(T0 - 5_001);
        }
    }
}
