package dev.vigil.operators.remediation;

import static dev.vigil.operators.remediation.RemediationPlannerTest.MIN;
import static dev.vigil.operators.remediation.RemediationPlannerTest.T0;
import static dev.vigil.operators.remediation.RemediationPlannerTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.RemediationCommand;
import java.util.ArrayList;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TargetRemediationFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, Trigger, RemediationCommand>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new TargetRemediationFunction(
                                PolicyCatalogue.builtIn(), RateLimits.defaults())),
                t -> t.target,
                Types.STRING);
    }

    @Test
    void aTargetThatFallsQuietLeavesNothingBehindOnceAFreshStateWouldDecideTheSame()
            throws Exception {
        RemediationPlanner planner =
                new RemediationPlanner(PolicyCatalogue.builtIn(), RateLimits.defaults());
        try (var h = harness()) {
            h.open();
            h.processElement(alert("a-1", "memory-leak", "SUSPICIOUS", "node-1", T0), T0);
            h.processWatermark(new Watermark(T0));
            assertThat(h.extractOutputValues())
                    .extracting(RemediationCommand::getAction)
                    .containsExactly("RESTART_SERVICE");

            // what the planner remembers: the command id for its ttl (10 min) + 24 h
            TargetState s = new TargetState();
            planner.plan(
                    alert("a-1", "memory-leak", "SUSPICIOUS", "node-1", T0), s, new ArrayList<>());
            long forgettable = planner.forgettableFrom(s);
            assertThat(forgettable)
                    .isEqualTo(T0 + 10 * MIN + RemediationPlanner.SEEN_RETENTION_MILLIS + 1);

            h.processWatermark(new Watermark(forgettable - 1));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(new Watermark(forgettable));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // and the target, back, is treated as new: the same policy acts again
            h.processElement(
                    alert("a-2", "memory-leak", "SUSPICIOUS", "node-1", forgettable + 1),
                    forgettable + 1);
            h.processWatermark(new Watermark(forgettable + 1));
            assertThat(h.extractOutputValues())
                    .extracting(RemediationCommand::getAction)
                    .containsExactly("RESTART_SERVICE", "RESTART_SERVICE");
        }
    }
}
