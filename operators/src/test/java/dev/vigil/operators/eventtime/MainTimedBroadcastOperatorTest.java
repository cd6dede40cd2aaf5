package dev.vigil.operators.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class MainTimedBroadcastOperatorTest {

    private static final MapStateDescriptor<String, String> SIDE =
            new MapStateDescriptor<>("side", Types.STRING, Types.STRING);

    /** Waits for event time 500, then says so. */
    private static final class WaitsFor500
            extends KeyedBroadcastProcessFunction<String, String, String, String> {
        @Override
        public void processElement(String value, ReadOnlyContext ctx, Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(500);
        }

        @Override
        public void processBroadcastElement(String value, Context ctx, Collector<String> out) {}

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            out.collect("fired at " + timestamp);
        }
    }

    private static List<String> run(CoBroadcastWithKeyedOperator<String, String, String, String> op)
            throws Exception {
        try (var h = new KeyedBroadcastOperatorTestHarness<>(op, v -> v, Types.STRING, 1, 1, 0)) {
            h.open();
            h.processElement("node-1", 0);
            h.processWatermark(100); // the main input's event time
            h.processBroadcastWatermark(1_000); // a side input published ahead
            h.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.IDLE);
            return h.extractOutputValues();
        }
    }

    @Test
    void aSideInputCannotMoveEventTimeOnceTheMainInputIsIdle() throws Exception {
        // Flink's own operator takes the side input's watermark once the main input is idle
        assertThat(run(new CoBroadcastWithKeyedOperator<>(new WaitsFor500(), List.of(SIDE))))
                .containsExactly("fired at 500");
        assertThat(run(new MainTimedBroadcastOperator<>(new WaitsFor500(), List.of(SIDE))))
                .isEmpty();
    }
}
