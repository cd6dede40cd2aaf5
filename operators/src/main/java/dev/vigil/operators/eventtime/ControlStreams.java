package dev.vigil.operators.eventtime;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Control inputs (rule commands, model updates) are not event-time data: they take effect in
 * processing order. Their sources emit no watermark and declare themselves idle at the first
 * periodic emit and for good, so an operator they are connected to takes its event time from its
 * other inputs alone — a control stream neither holds event time back nor, when those inputs fall
 * silent, moves it (a {@code Long.MAX_VALUE} watermark would, and would make every later event
 * late).
 */
public final class ControlStreams {

    private ControlStreams() {}

    public static <T> WatermarkStrategy<T> noEventTime() {
        return WatermarkStrategy.forGenerator(context -> new AlwaysIdle<>());
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
