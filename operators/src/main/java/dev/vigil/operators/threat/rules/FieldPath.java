package dev.vigil.operators.threat.rules;

import dev.vigil.operators.threat.enrich.DerivedFeatures;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields a rule may refer to, by dotted name, each with its value type and the event types that
 * can carry it. Accessors are resolved once when a rule compiles, never per event by name.
 */
public final class FieldPath implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Value type of a field. */
    public enum Type {
        STRING,
        NUMBER,
        BOOLEAN
    }

    private interface Accessor extends Function<EnrichedEvent, Object>, Serializable {}

    private static final Map<String, FieldPath> FIELDS = new LinkedHashMap<>();

    static {
        Set<String> all = EventTypes.ALL;
        Set<String> metric = Set.of(EventTypes.METRIC);
        Set<String> power = Set.of(EventTypes.POWER);
        Set<String> security = EventTypes.ALL_SECURITY;
        add("event_id", Type.STRING, all, e -> e.event.getEventId());
        add("sensor_id", Type.STRING, all, e -> e.event.getSensorId());
        add("sequence", Type.NUMBER, all, e -> (double) e.event.getSequence());
        add("payload", Type.STRING, all, e -> payload(e.event));
        add("node.hub", Type.STRING, all, e -> e.event.getNode().getHub());
        add("node.region", Type.STRING, all, e -> e.event.getNode().getRegion());
        add("node.cluster", Type.STRING, all, e -> e.event.getNode().getCluster());
        add("node.node_id", Type.STRING, all, e -> e.event.getNode().getNodeId());
        add("node.site_id", Type.STRING, all, e -> e.event.getNode().getSiteId());
        add("node.site_type", Type.STRING, all, e -> e.event.getNode().getSiteType());
        add("node.node_class", Type.STRING, all, e -> e.event.getNode().getNodeClass());
        add(
                "metric.cpu_percent",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getCpuPercent());
        add(
                "metric.memory_percent",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getMemoryPercent());
        add(
                "metric.disk_percent",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getDiskPercent());
        add(
                "metric.network_in_bytes",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : num(m(e).getNetworkInBytes()));
        add(
                "metric.network_out_bytes",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : num(m(e).getNetworkOutBytes()));
        add(
                "metric.packet_loss_percent",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getPacketLossPercent());
        add(
                "metric.latency_ms",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getLatencyMs());
        add(
                "metric.temperature_c",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getTemperatureC());
        add(
                "metric.error_rate",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getErrorRate());
        add(
                "metric.response_time_ms",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : m(e).getResponseTimeMs());
        add(
                "metric.interval_ms",
                Type.NUMBER,
                metric,
                e -> m(e) == null ? null : (double) m(e).getIntervalMs());
        add("security.kind", Type.STRING, security, e -> s(e) == null ? null : s(e).getKind());
        add("security.user", Type.STRING, security, e -> s(e) == null ? null : s(e).getUser());
        add(
                "security.auth_factor",
                Type.STRING,
                security,
                e -> s(e) == null ? null : s(e).getAuthFactor());
        add(
                "security.failure_reason",
                Type.STRING,
                security,
                e -> s(e) == null ? null : s(e).getFailureReason());
        add("security.src_ip", Type.STRING, security, e -> s(e) == null ? null : s(e).getSrcIp());
        add(
                "security.src_port",
                Type.NUMBER,
                security,
                e -> s(e) == null ? null : num(s(e).getSrcPort()));
        add("security.dst_ip", Type.STRING, security, e -> s(e) == null ? null : s(e).getDstIp());
        add(
                "security.dst_port",
                Type.NUMBER,
                security,
                e -> s(e) == null ? null : num(s(e).getDstPort()));
        add(
                "security.protocol",
                Type.STRING,
                security,
                e -> s(e) == null ? null : s(e).getProtocol());
        add(
                "security.bytes",
                Type.NUMBER,
                security,
                e -> s(e) == null ? null : num(s(e).getBytes()));
        add(
                "security.process_name",
                Type.STRING,
                security,
                e -> s(e) == null ? null : s(e).getProcessName());
        add("security.target", Type.STRING, security, e -> s(e) == null ? null : s(e).getTarget());
        add("power.power_w", Type.NUMBER, power, e -> p(e) == null ? null : p(e).getPowerW());
        add("power.energy_j", Type.NUMBER, power, e -> p(e) == null ? null : p(e).getEnergyJ());
        add("power.source", Type.STRING, power, e -> p(e) == null ? null : p(e).getSource());
        add("time.hour_utc", Type.NUMBER, all, e -> (double) utc(e).getHour());
        add(
                "time.minute_of_day_utc",
                Type.NUMBER,
                all,
                e -> (double) (utc(e).getHour() * 60 + utc(e).getMinute()));
        add("time.weekday_utc", Type.NUMBER, all, e -> (double) utc(e).getDayOfWeek().getValue());
        add("derived.sequence_delta", Type.NUMBER, all, e -> num(d(e).sequenceDelta));
        add("derived.gap_ms", Type.NUMBER, all, e -> num(d(e).gapMs));
        // true on a copy of an event already read (same id, time and content): a retry or a
        // replay; such copies reach only rules that test this field
        add("derived.resent", Type.BOOLEAN, all, e -> e.derived != null && e.derived.copy != null);
        add("derived.copy", Type.NUMBER, all, e -> e.derived == null ? null : num(e.derived.copy));
        // on a copy: how far behind the node's newest event it is (a retry: seconds; a replay of
        // old telemetry: minutes or more)
        add(
                "derived.copy_age_ms",
                Type.NUMBER,
                all,
                e -> e.derived == null ? null : num(e.derived.copyAgeMs));
        // what operations declared (OperationsContext): routine work is a condition, not a guess
        add(
                "context.change_window",
                Type.BOOLEAN,
                all,
                e -> d(e).contextFlags != null && (d(e).contextFlags & 1) != 0);
        add(
                "context.automation_account",
                Type.BOOLEAN,
                security,
                e -> d(e).contextFlags != null && (d(e).contextFlags & 2) != 0);
        add("derived.egress_ratio", Type.NUMBER, metric, e -> d(e).egressRatio);
        add("derived.ingress_ratio", Type.NUMBER, metric, e -> d(e).ingressRatio);
        add("previous.cpu_percent", Type.NUMBER, metric, e -> d(e).previousCpuPercent);
        add("previous.memory_percent", Type.NUMBER, metric, e -> d(e).previousMemoryPercent);
        add("previous.disk_percent", Type.NUMBER, metric, e -> d(e).previousDiskPercent);
        add("previous.temperature_c", Type.NUMBER, metric, e -> d(e).previousTemperatureC);
        add(
                "previous.packet_loss_percent",
                Type.NUMBER,
                metric,
                e -> d(e).previousPacketLossPercent);
        add("previous.egress_ratio", Type.NUMBER, metric, e -> d(e).previousEgressRatio);
        add("previous.ingress_ratio", Type.NUMBER, metric, e -> d(e).previousIngressRatio);
        // sensor integrity: how fast the temperature moved since the sensor's previous sample, per
        // second of the sample's interval (a board's thermal mass allows a few degrees a second)
        add("derived.temperature_rate_c_per_s", Type.NUMBER, metric, FieldPath::temperatureRate);
        // true when two or more of CPU, memory and temperature repeat the sensor's previous sample
        // exactly: live readings are noisy, a stuck or fed sensor's are not
        add("derived.metric_repeated", Type.BOOLEAN, metric, FieldPath::metricRepeated);
    }

    private final String name;
    private final Type type;
    private final Set<String> eventTypes;
    private final Accessor accessor;

    private FieldPath(String name, Type type, Set<String> eventTypes, Accessor accessor) {
        this.name = name;
        this.type = type;
        this.eventTypes = eventTypes;
        this.accessor = accessor;
    }

    private static void add(String name, Type type, Set<String> eventTypes, Accessor accessor) {
        FIELDS.put(name, new FieldPath(name, type, eventTypes, accessor));
    }

    /** The field called {@code name}, or null. */
    public static FieldPath lookup(String name) {
        return FIELDS.get(name);
    }

    /** Every field name, in documentation order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(FIELDS.keySet());
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** Event types that can carry a value of this field. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** The value: String, Double or Boolean; null when the event has none. */
    public Object get(EnrichedEvent event) {
        return accessor.apply(event);
    }

    private static MetricSample m(EnrichedEvent e) {
        return e.event.getMetric();
    }

    private static SecurityEvent s(EnrichedEvent e) {
        return e.event.getSecurity();
    }

    private static PowerSample p(EnrichedEvent e) {
        return e.event.getPower();
    }

    private static DerivedFeatures d(EnrichedEvent e) {
        return e.derived == null ? EMPTY : e.derived;
    }

    private static final DerivedFeatures EMPTY = new DerivedFeatures();

    private static Double temperatureRate(EnrichedEvent e) {
        MetricSample m = m(e);
        Double previous = d(e).previousTemperatureC;
        if (m == null || m.getTemperatureC() == null || previous == null) {
            return null;
        }
        return Math.abs(m.getTemperatureC() - previous) * 1000.0 / Math.max(1, m.getIntervalMs());
    }

    private static Boolean metricRepeated(EnrichedEvent e) {
        MetricSample m = m(e);
        if (m == null) {
            return null;
        }
        DerivedFeatures d = d(e);
        int compared = 0;
        int repeated = 0;
        Double[][] pairs = {
            {m.getCpuPercent(), d.previousCpuPercent},
            {m.getMemoryPercent(), d.previousMemoryPercent},
            {m.getTemperatureC(), d.previousTemperatureC}
        };
        for (Double[] pair : pairs) {
            if (pair[0] != null && pair[1] != null) {
                compared++;
                if (pair[0].equals(pair[1])) {
                    repeated++;
                }
            }
        }
        return compared < 2 ? null : repeated >= 2;
    }

    private static Double num(Number n) {
        return n == null ? null : n.doubleValue();
    }

    private static java.time.LocalDateTime utc(EnrichedEvent e) {
        Instant t = e.event.getEventTime();
        return java.time.LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String payload(TelemetryEvent event) {
        return event.getMetric() != null
                ? "metric"
                : event.getPower() != null ? "power" : "security";
    }
}
