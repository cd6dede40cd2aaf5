package dev.vigil.operators.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.HybridSigner;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import java.security.SecureRandom;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CommandLifecycleFunctionTest {

    private static final long T = 1_767_225_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, LifecycleInput, RemediationCommand>
            harness() throws Exception {
        SignerSource signer = () -> HybridSigner.generate("test-key", new SecureRandom());
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CommandLifecycleFunction(signer)),
                in -> in.commandId,
                Types.STRING);
    }

    private static LifecycleInput report(String status, long at) {
        return LifecycleInput.of(
                RemediationResult.newBuilder()
                        .setCommandId("c")
                        .setNodeId("node-c")
                        .setStatus(status)
                        .setAttempt(0)
                        .setDetail("")
                        .setReportedAt(Instant.ofEpochMilli(at))
                        .build(),
                "remediation-results",
                0,
                7);
    }

    @Test
    void aFinalCommandDropsItsPayloadThenEverythingAfterItsRetention() throws Exception {
        RemediationCommand c = CommandDispatchFunctionTest.command("c", T);
        long expiresAt = c.getExpiresAt().toEpochMilli();
        try (var h = harness()) {
            h.open();
            h.processElement(LifecycleInput.of(c), T);
            assertThat(h.extractOutputValues()).hasSize(1); // sent, signed
            h.processElement(report("DISPATCHED", T + 200), T + 200);
            h.processElement(report("SUCCEEDED", T + 500), T + 500);
            h.processWatermark(new Watermark(T + 600));
            assertThat(h.extractOutputValues()).hasSize(1); // no retry after the report

            // the same command planned again (a replayed cause) is recognised, not sent again
            h.processElement(LifecycleInput.of(c), T);
            h.processWatermark(
                    new Watermark(expiresAt + CommandLifecycleFunction.RETENTION_MILLIS - 1));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getSideOutput(CommandLifecycleFunction.DECIDED)).isNull();
            // one value (status, no payload) and its clean-up timer
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(
                    new Watermark(expiresAt + CommandLifecycleFunction.RETENTION_MILLIS));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // a report after that is for a command the job no longer knows: a dead letter
            long after = expiresAt + CommandLifecycleFunction.RETENTION_MILLIS + 10;
            h.processElement(report("SUCCEEDED", after), after);
            h.processWatermark(new Watermark(after));
            assertThat(h.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                    .extracting(r -> ((DeadLetter) r.getValue()).getReasonCode())
                    .containsExactly("UNKNOWN_COMMAND");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anExpiredCommandIsDecidedOnceAndLeavesNothingBehindAfterItsRetention() throws Exception {
        RemediationCommand c = CommandDispatchFunctionTest.command("c", T);
        try (var h = harness()) {
            h.open();
            h.processElement(LifecycleInput.of(c), T);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            // the first send and three retries, then given up (before the 300 s expiry)
            assertThat(h.extractOutputValues())
                    .extracting(RemediationCommand::getAttempt)
                    .containsExactly(0, 1, 2, 3);
            assertThat(h.getSideOutput(CommandLifecycleFunction.DECIDED))
                    .extracting(r -> r.getValue().getStatus())
                    .containsExactly("RETRIES_EXHAUSTED");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
