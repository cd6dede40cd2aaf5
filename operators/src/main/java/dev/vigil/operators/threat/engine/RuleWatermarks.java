package dev.vigil.operators.threat.engine;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Rule commands are control data, not event-time data: their stream declares the end of event time
 * at once, so it never holds back the watermark of the operators it is connected to (which would
 * stop every rule from firing). Commands take effect in processing order.
 */
public final class RuleWatermarks {

    private RuleWatermarks() {}

    public static <T> WatermarkStrategy<T> neverHoldBack() {
        return WatermarkStrategy.forGenerator(
                context ->
                        new WatermarkGenerator<T>() {
                            @Override
                            public void onEvent(T event, long timestamp, WatermarkOutput output) {}

                            @Override
                            public void onPeriodicEmit(WatermarkOutput output) {
                                output.emitWatermark(new Watermark(Long.MAX_VALUE));
                            }
                        });
    }
}
