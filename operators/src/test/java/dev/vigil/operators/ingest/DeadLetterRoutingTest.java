package dev.vigil.operators.ingest;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DeadLetterRoutingTest {

    private final DeadLetterFactory factory = new DeadLetterFactory("node-health", () -> 42L);

    @Test
    void validEventsPassAndDeadLettersGoToTheSideOutput() throws Exception {
        IngestedTelemetry valid =
                IngestedTelemetry.valid(TestEvents.metric("n1", T0, 0, 1, 1), 0, 5);
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("telemetry")
                        .setSourcePartition(0)
                        .setSourceOffset(6)
                        .setSourceTimestamp(Instant.ofEpochMilli(T0))
                        .setValue(ByteBuffer.wrap(new byte[] {1}))
                        .setReasonCode("NOT_AVRO")
                        .setReason("bad")
                        .setJob("node-health")
                        .setDetectedAt(Instant.ofEpochMilli(42))
                        .build();

        try (OneInputStreamOperatorTestHarness<IngestedTelemetry, IngestedTelemetry> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DeadLetterRouter())) {
            harness.processElement(valid, T0);
            harness.processElement(IngestedTelemetry.rejected(letter), Long.MIN_VALUE);

            assertThat(harness.extractOutputValues()).containsExactly(valid);
            assertThat(harness.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(letter);
        }
    }

    @Test
    void lateEventsBecomeDeadLettersThatKeepTheEvent() throws Exception {
        TelemetryEvent event = TestEvents.metric("n1", T0 + 5_000, 3, 1, 1);
        LateEventDeadLetters function =
                new LateEventDeadLetters(
                        "telemetry", Duration.ofMinutes(1), Duration.ofSeconds(30), factory);

        try (OneInputStreamOperatorTestHarness<IngestedTelemetry, DeadLetter> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processWatermark(T0 + 100_000);
            harness.processElement(IngestedTelemetry.valid(event, 3, 77), T0 + 5_000);

            DeadLetter letter = harness.extractOutputValues().get(0);
            assertThat(letter.getReasonCode()).isEqualTo("LATE_EVENT");
            assertThat(letter.getReason())
                    .isEqualTo(
                            "event_time 2026-11-22T10:00:05Z belongs to the window"
                                + " [2026-11-22T10:00:00Z, 2026-11-22T10:01:00Z), which closed for"
                                + " good at watermark 2026-11-22T10:01:40Z (allowed lateness"
                                + " PT30S)");
            assertThat(letter.getSourcePartition()).isEqualTo(3);
            assertThat(letter.getSourceOffset()).isEqualTo(77L);
            byte[] value = new byte[letter.getValue().remaining()];
            letter.getValue().duplicate().get(value);
            assertThat(AvroCodec.of(TelemetryEvent.class).decode(value)).isEqualTo(event);
            assertThat(letter.getHeaders()).containsOnlyKeys("vigil.schema.fingerprint");
        }
    }
}
