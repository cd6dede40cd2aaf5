package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An event addressed to one key shape: {@code key} is {@code <shape>|<value>|...} (e.g. {@code
 * node+src_ip|node-00007|203.0.113.9}). The rule engine is keyed by it; serialized by {@link
 * RoutedEventSerializer}.
 */
@TypeInfo(RoutedEventSerializer.Factory.class)
public class RoutedEvent {

    public String key;
    public EnrichedEvent event;

    public RoutedEvent() {}

    public RoutedEvent(String key, EnrichedEvent event) {
        this.key = key;
        this.event = event;
    }

    public String key() {
        return key;
    }

    /** The shape part of a key. */
    public static String shapeOf(String key) {
        int bar = key.indexOf('|');
        return bar < 0 ? key : key.substring(0, bar);
    }

    /** The values part of a key. */
    public static String valuesOf(String key) {
        int bar = key.indexOf('|');
        return bar < 0 ? "" : key.substring(bar + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedEvent r
                && Objects.equals(key, r.key)
                && Objects.equals(event, r.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, event);
    }
}
