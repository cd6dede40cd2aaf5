package dev.vigil.operators.eventtime;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * A keyed-broadcast operator whose event time belongs to its main (keyed) input: the broadcast side
 * input may hold event time back (the carbon ledger waits for the grid intensity of a sample's
 * time), but never moves it past the main input. Flink combines the two inputs' watermarks as the
 * minimum over the active ones, so once the main input falls idle the side input's watermark alone
 * would drive the operator: a grid intensity published ahead of its validity would then close every
 * node's minutes and make all later telemetry late. Here the main input's idleness is ignored: its
 * last watermark (which its {@link EventTimeClock} released to the newest event time before going
 * idle) keeps bounding the operator's.
 *
 * <p>{@code CoBroadcastWithKeyedOperator} is Flink-internal; this class is the only place Vigil
 * extends it.
 */
public final class MainTimedBroadcastOperator<K, IN1, IN2, OUT>
        extends CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT> {

    private static final long serialVersionUID = 1L;

    public MainTimedBroadcastOperator(
            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
            List<MapStateDescriptor<?, ?>> broadcastStateDescriptors) {
        super(function, broadcastStateDescriptors);
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 0 && status.isIdle()) {
            return;
        }
        super.processWatermarkStatus(status, index);
    }
}
