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

    @Test
    void aLateEventAlreadyDeliveredIsReplayEvidenceAndAnyOtherLateEventADeadLetter()
            throws Exception {
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new TelemetryDeduplicator(
                                Duration.ofMinutes(10),
                                "telemetry",
                                new DeadLetterFactory("threat-detection", () -> 42L),
                                true),
                        IngestedTelemetry::nodeId,
                        org.apache.flink.api.common.typeinfo.Types.STRING)) {
            h.open();
            long hour = 3_600_000L;
            for (int seq = 0; seq < 10; seq++) {
                if (seq != 4) { // sequence 4 was lost on the way
                    h.processElement(
                            read(TestEvents.metric("n1", T0 + seq * 1000L, seq, 10, 30), seq),
                            T0 + seq * 1000L);
                }
            }
            // an hour on: the ids are forgotten, the delivered sequences are not
            h.processWatermark(T0 + hour);
            IngestedTelemetry replayed = read(TestEvents.metric("n1", T0 + 2000, 2, 10, 30), 20);
            replayed.late = "behind the watermark";
            replayed.partitionWatermark = T0 + hour;
            IngestedTelemetry lost = read(TestEvents.metric("n1", T0 + 4000, 4, 10, 30), 21);
            lost.late = "behind the watermark";
            lost.partitionWatermark = T0 + hour;
            // a new event reusing a delivered sequence, within the horizon: not a copy (its id
            // would be known), just late
            IngestedTelemetry reused =
                    read(TestEvents.metric("n1", T0 + hour - 60_000, 3, 10, 30), 22);
            reused.event.setEventId("n1-3-again");
            reused.late = "behind the watermark";
            reused.partitionWatermark = T0 + hour;
            h.processElement(replayed, T0 + 2000);
            h.processElement(lost, T0 + 4000);
            h.processElement(reused, T0 + hour - 60_000);
            assertThat(h.extractOutputValues())
                    .filteredOn(i -> i.offset >= 20)
                    .extracting(i -> i.offset, i -> i.copy)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(20L, 1));
            assertThat(h.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                    .extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::getReasonCode, DeadLetter::getSourceOffset)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("LATE_EVENT", 21L),
                            org.assertj.core.groups.Tuple.tuple("LATE_EVENT", 22L));
        }
    }

    @Test
    void deliveredSequencesAreKeptAsFewSortedRanges() {
        long[] r = null;
        for (long seq : new long[] {1, 2, 3, 7, 8, 5, 4, 6, 20}) {
            r = TelemetryDeduplicator.add(r, seq);
        }
        assertThat(r).containsExactly(1, 8, 20, 20);
        assertThat(TelemetryDeduplicator.contains(r, 5)).isTrue();
        assertThat(TelemetryDeduplicator.contains(r, 9)).isFalse();
        for (long seq = 100; seq < 100 + 2 * TelemetryDeduplicator.MAX_RANGES; seq += 2) {
            r = TelemetryDeduplicator.add(r, seq);
        }
        assertThat(r).hasSize(2 * TelemetryDeduplicator.MAX_RANGES);
        // the oldest ranges went first
        assertThat(TelemetryDeduplicator.contains(r, 1)).isFalse();
        assertThat(TelemetryDeduplicator.contains(r, 130)).isTrue();
    }
}
