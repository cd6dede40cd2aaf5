package dev.vigil.operators.health;

import dev.vigil.operators.ingest.IngestedTelemetry;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental aggregation of a node's telemetry into a {@link NodeHealthAccumulator}. */
public final class NodeHealthAggregate
        implements AggregateFunction<
                IngestedTelemetry, NodeHealthAccumulator, NodeHealthAccumulator> {

    private static final long serialVersionUID = 1L;

    @Override
    public NodeHealthAccumulator createAccumulator() {
        return new NodeHealthAccumulator();
    }

    @Override
    public NodeHealthAccumulator add(IngestedTelemetry value, NodeHealthAccumulator accumulator) {
        accumulator.add(value.event);
        return accumulator;
    }

    @Override
    public NodeHealthAccumulator getResult(NodeHealthAccumulator accumulator) {
        return accumulator;
    }

    @Override
    public NodeHealthAccumulator merge(NodeHealthAccumulator a, NodeHealthAccumulator b) {
        return a.merge(b);
    }
}
