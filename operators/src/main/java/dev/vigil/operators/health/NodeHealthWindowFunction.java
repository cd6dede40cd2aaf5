package dev.vigil.operators.health;

import dev.vigil.schema.NodeHealthSummary;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Emits the {@link NodeHealthSummary} of a window each time it fires: revision 0 when the watermark
 * passes the window's end, then one higher revision for every late event that arrives within the
 * allowed lateness. Consumers keep the highest revision of each window.
 */
public final class NodeHealthWindowFunction
        extends ProcessWindowFunction<
                NodeHealthAccumulator, NodeHealthSummary, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<Integer> FIRINGS =
            new ValueStateDescriptor<>("firings", Types.INT);

    @Override
    public void process(
            String nodeId,
            Context context,
            Iterable<NodeHealthAccumulator> elements,
            Collector<NodeHealthSummary> out)
            throws Exception {
        ValueState<Integer> firings = context.windowState().getState(FIRINGS);
        int revision = firings.value() == null ? 0 : firings.value();
        NodeHealthAccumulator accumulator = elements.iterator().next();
        TimeWindow window = context.window();
        out.collect(accumulator.toSummary(window.getStart(), window.getEnd(), revision));
        firings.update(revision + 1);
    }

    @Override
    public void clear(Context context) {
        context.windowState().getState(FIRINGS).clear();
    }
}
