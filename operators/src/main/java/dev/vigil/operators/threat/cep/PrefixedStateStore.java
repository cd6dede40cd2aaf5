package dev.vigil.operators.threat.cep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * A keyed state store that gives each rule its own copy of state whose names are fixed by flink-cep
 * ({@code SharedBuffer} always asks for {@code sharedBuffer-events} etc.): names are prefixed with
 * the rule id. It remembers the descriptors it handed out so the rule's state can be cleared for
 * every key when the rule changes or goes.
 */
final class PrefixedStateStore implements KeyedStateStore {

    private final RuntimeContext context;
    private final String prefix;
    private final List<StateDescriptor<?, ?>> descriptors = new ArrayList<>();
    private final List<org.apache.flink.api.common.state.State> handles = new ArrayList<>();

    PrefixedStateStore(RuntimeContext context, String prefix) {
        this.context = context;
        this.prefix = prefix;
    }

    /** Clears, for the current key, every state created through this store. */
    void clearAll() {
        handles.forEach(org.apache.flink.api.common.state.State::clear);
    }

    /** Descriptors (with prefixed names) of all state created through this store. */
    List<StateDescriptor<?, ?>> descriptors() {
        return Collections.unmodifiableList(descriptors);
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> d) {
        ValueStateDescriptor<T> renamed =
                new ValueStateDescriptor<>(prefix + d.getName(), d.getSerializer());
        descriptors.add(renamed);
        ValueState<T> handle = context.getState(renamed);
        handles.add(handle);
        return handle;
    }

    @Override
    public <UK, UV> MapState<UK, UV> getMapState(MapStateDescriptor<UK, UV> d) {
        MapStateDescriptor<UK, UV> renamed =
                new MapStateDescriptor<>(
                        prefix + d.getName(), d.getKeySerializer(), d.getValueSerializer());
        descriptors.add(renamed);
        MapState<UK, UV> handle = context.getMapState(renamed);
        handles.add(handle);
        return handle;
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> d) {
        throw new UnsupportedOperationException("rules only use value and map state");
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> d) {
        throw new UnsupportedOperationException("rules only use value and map state");
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(
            AggregatingStateDescriptor<IN, ACC, OUT> d) {
        throw new UnsupportedOperationException("rules only use value and map state");
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ValueState<T> getValueState(
            org.apache.flink.api.common.state.v2.ValueStateDescriptor<T> d) {
        throw new UnsupportedOperationException("rules use the synchronous state API");
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ListState<T> getListState(
            org.apache.flink.api.common.state.v2.ListStateDescriptor<T> d) {
        throw new UnsupportedOperationException("rules use the synchronous state API");
    }

    @Override
    public <UK, UV> org.apache.flink.api.common.state.v2.MapState<UK, UV> getMapState(
            org.apache.flink.api.common.state.v2.MapStateDescriptor<UK, UV> d) {
        throw new UnsupportedOperationException("rules use the synchronous state API");
    }

    @Override
    public <T> org.apache.flink.api.common.state.v2.ReducingState<T> getReducingState(
            org.apache.flink.api.common.state.v2.ReducingStateDescriptor<T> d) {
        throw new UnsupportedOperationException("rules use the synchronous state API");
    }

    @Override
    public <IN, ACC, OUT>
            org.apache.flink.api.common.state.v2.AggregatingState<IN, OUT> getAggregatingState(
                    org.apache.flink.api.common.state.v2.AggregatingStateDescriptor<IN, ACC, OUT>
                            d) {
        throw new UnsupportedOperationException("rules use the synchronous state API");
    }

    @Override
    public String getBackendTypeIdentifier() {
        return "prefixed";
    }
}
