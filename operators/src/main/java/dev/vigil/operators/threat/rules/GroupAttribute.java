package dev.vigil.operators.threat.rules;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import java.util.Locale;

/**
 * What a rule correlates on. A rule's {@code groupBy} is a combination of these (its key shape);
 * events are routed to each key shape once, however many rules share it.
 */
public enum GroupAttribute {
    NODE("node.node_id"),
    CLUSTER("node.cluster"),
    SITE("node.site_id"),
    SENSOR("sensor_id"),
    USER("security.user"),
    SRC_IP("security.src_ip"),
    DST_IP("security.dst_ip");

    private final FieldPath field;

    GroupAttribute(String field) {
        this.field = FieldPath.lookup(field);
    }

    /** Name in the rule format, e.g. {@code src_ip}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The attribute's value in {@code event}, or null when it has none. */
    public String valueOf(EnrichedEvent event) {
        Object value = field.get(event);
        return value == null ? null : value.toString();
    }

    public static GroupAttribute parse(String json) {
        for (GroupAttribute a : values()) {
            if (a.json().equals(json)) {
                return a;
            }
        }
        return null;
    }
}
