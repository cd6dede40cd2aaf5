package dev.vigil.operators.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class EventTimeBufferTest {

    /**
     * Buffers "key/time/name" strings under their time; emits "name@timer" when the buffer hands
     * them back and "name!" when the caller must handle one at once.
     */
    static final class Releasing extends KeyedProcessFunction<String, String, String> {
        private final EventTimeBuffer.Late late;
        private transient EventTimeBuffer<String> buffer;

        Releasing(EventTimeBuffer.Late late) {
            this.late = late;
        }

        @Override
        public void open(OpenContext openContext) {
            buffer =
                    EventTimeBuffer.create(
                            getRuntimeContext(),
                            "waiting",
                            Types.STRING,
                            Comparator.comparing(Releasing::name),
                            late);
        }

        @Override
        public void processElement(String in, Context ctx, Collector<String> out) throws Exception {
            if (!buffer.add(in, time(in), ctx.timerService())) {
                out.collect(name(in) + "!");
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out)
                throws Exception {
            String at = ctx.timeDomain().name().startsWith("EVENT") ? "" + timestamp : "wait";
            for (String in : buffer.release(timestamp, ctx.timeDomain())) {
                out.collect(name(in) + "@" + at);
            }
        }

        static long time(String in) {
            return Long.parseLong(in.split("/")[1]);
        }

        static String name(String in) {
            return in.split("/")[2];
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            EventTimeBuffer.Late late) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new Releasing(late)),
                in -> in.split("/")[0],
                Types.STRING);
    }

    @Test
    void elementsWaitForTheWatermarkAndComeBackInTimeThenComparatorOrder() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.atOnce())) {
            h.open();
            h.processElement("k/300/c", 300);
            h.processElement("k/100/b", 100);
            h.processElement("k/300/a", 300);
            h.processElement("k/200/d", 200);
            h.processWatermark(new Watermark(99));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(250));
            assertThat(h.extractOutputValues()).containsExactly("b@100", "d@200");
            h.processWatermark(new Watermark(300));
            assertThat(h.extractOutputValues()).containsExactly("b@100", "d@200", "a@300", "c@300");
            // a key whose elements were all handed back keeps nothing
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void atOnceHandsALateElementBackToTheCallerAndKeepsNothing() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.atOnce())) {
            h.open();
            h.processWatermark(new Watermark(1_000));
            h.processElement("k/1000/late", 1_000);
            h.processElement("k/1001/on-time", 1_001);
            assertThat(h.extractOutputValues()).containsExactly("late!");
            h.processWatermark(new Watermark(2_000));
            assertThat(h.extractOutputValues()).containsExactly("late!", "on-time@1001");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void nextWatermarkTakesLateElementsInOrderWithWhatTheWatermarkBrings() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.nextWatermark())) {
            h.open();
            h.processElement("k/1500/on-time", 1_500);
            h.processWatermark(new Watermark(1_000));
            // behind the watermark, arriving newest first
            h.processElement("k/900/y", 900);
            h.processElement("k/800/x", 800);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(2_000));
            assertThat(h.extractOutputValues()).containsExactly("x@800", "y@900", "on-time@1500");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void nextWatermarkOrWaitReleasesLateElementsOnceShouldEventTimeStandStill() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.nextWatermarkOr(Duration.ofSeconds(5)))) {
            h.open();
            h.setProcessingTime(10_400);
            h.processWatermark(new Watermark(1_000));
            h.processElement("k/900/b", 900);
            h.processElement("k/700/a", 700);
            h.processElement("k/1200/later", 1_200);
            // the wait ends on a whole second: 10 s + 5 s
            h.setProcessingTime(14_999);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(15_000);
            assertThat(h.extractOutputValues()).containsExactly("a@wait", "b@wait");
            // the watermark that comes later hands back only what is still waiting
            h.processWatermark(new Watermark(2_000));
            assertThat(h.extractOutputValues()).containsExactly("a@wait", "b@wait", "later@1200");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aLateElementTheWatermarkReachesFirstIsNotHandedBackTwice() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.nextWatermarkOr(Duration.ofSeconds(5)))) {
            h.open();
            h.setProcessingTime(0);
            h.processWatermark(new Watermark(1_000));
            h.processElement("k/900/a", 900);
            h.processWatermark(new Watermark(1_100));
            h.setProcessingTime(5_000);
            assertThat(h.extractOutputValues()).containsExactly("a@900");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void afterTheEndOfInputTheCallerHandlesLateElementsWhateverThePolicy() throws Exception {
        for (EventTimeBuffer.Late late :
                new EventTimeBuffer.Late[] {
                    EventTimeBuffer.Late.nextWatermark(),
                    EventTimeBuffer.Late.nextWatermarkOr(Duration.ofSeconds(1))
                }) {
            try (var h = harness(late)) {
                h.open();
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                h.processElement("k/5/a", 5);
                assertThat(h.extractOutputValues()).containsExactly("a!");
                assertThat(h.numKeyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void waitingElementsSurviveARestoreAndKeysStaySeparate() throws Exception {
        try (var h = harness(EventTimeBuffer.Late.atOnce())) {
            h.open();
            h.processElement("k/200/b", 200);
            h.processElement("j/200/a", 200);
            h.processElement("k/100/c", 100);
            h.processWatermark(new Watermark(150));
            assertThat(h.extractOutputValues()).containsExactly("c@100");
            var state = h.snapshot(1, 1);
            try (var restored = harness(EventTimeBuffer.Late.atOnce())) {
                restored.initializeState(state);
                restored.open();
                restored.processWatermark(new Watermark(200));
                assertThat(restored.extractOutputValues())
                        .containsExactlyInAnyOrder("a@200", "b@200");
                assertThat(restored.numKeyedStateEntries()).isZero();
            }
        }
    }
}
