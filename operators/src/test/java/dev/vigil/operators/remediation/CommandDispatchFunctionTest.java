package dev.vigil.operators.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.RemediationCommand;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CommandDispatchFunctionTest {

    private static final long T = 1_767_225_600_000L;

    /** Two commands per action per minute; ample per target and overall. */
    private static KeyedOneInputStreamOperatorTestHarness<
                    Integer, RemediationCommand, RemediationCommand>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CommandDispatchFunction(new RateLimits(100, 2, 100, 60_000))),
                c -> 0,
                Types.INT);
    }

    static RemediationCommand command(String id, long issuedAt) {
        return RemediationCommand.newBuilder()
                .setCommandId(id)
                .setCauseId("alert-" + id)
                .setPolicyId("security_breach")
                .setPolicyVersion(1)
                .setTargetNodeId("node-" + id)
                .setAction("ISOLATE_NODE")
                .setParameters(Map.of())
                .setRequiresApproval(false)
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setExpiresAt(Instant.ofEpochMilli(issuedAt + 300_000))
                .setKeyId("")
                .setSignatureEd25519(ByteBuffer.allocate(0))
                .setSignatureMlDsa(ByteBuffer.allocate(0))
                .build();
    }

    @Test
    void commandsBehindTheWatermarkShareTheBudgetInEventTimeOrderNotArrivalOrder()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark(new Watermark(T + 10_000));
            // all behind the watermark, arriving newest first
            h.processElement(command("c", T + 3_000), T + 3_000);
            h.processElement(command("b", T + 2_000), T + 2_000);
            h.processElement(command("a", T + 1_000), T + 1_000);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(T + 11_000));
            assertThat(h.extractOutputValues())
                    .extracting(RemediationCommand::getCommandId)
                    .containsExactly("a", "b");
        }
    }

    @Test
    void shouldEventTimeNotMoveAgainTheyGoOutAfterTheLateWait() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processWatermark(new Watermark(T + 10_000));
            h.processElement(command("b", T + 2_000), T + 2_000);
            h.processElement(command("a", T + 1_000), T + 1_000);
            h.setProcessingTime(BehindWatermark.WAIT_MILLIS - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(BehindWatermark.WAIT_MILLIS);
            assertThat(h.extractOutputValues())
                    .extracting(RemediationCommand::getCommandId)
                    .containsExactly("a", "b");
            // the watermark that comes later sends nothing twice
            h.processWatermark(new Watermark(T + 20_000));
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }
}
