package dev.vigil.operators.serde;

import dev.vigil.operators.threat.engine.RoutedEvent;
import dev.vigil.operators.threat.engine.RoutedEventSerializer;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract for {@link RoutedEventSerializer}, non-ASCII keys included. */
class RoutedEventSerializerTest extends SerializerTestBase<RoutedEvent> {

    @Override
    protected TypeSerializer<RoutedEvent> createSerializer() {
        return RoutedEventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<RoutedEvent> getTypeClass() {
        return RoutedEvent.class;
    }

    @Override
    protected RoutedEvent[] getTestData() {
        List<EnrichedEvent> events = EnrichedEventSerializerTest.randomEnriched(40, 11L);
        List<RoutedEvent> routed = new ArrayList<>();
        String[] keys = {
            "node|node-00007",
            "node+src_ip|node-00007|203.0.113.9",
            "user|jürgen ✓",
            "",
            "x".repeat(300)
        };
        for (int i = 0; i < events.size(); i++) {
            routed.add(new RoutedEvent(keys[i % keys.length], events.get(i)));
        }
        return routed.toArray(new RoutedEvent[0]);
    }
}
