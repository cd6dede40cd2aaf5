package dev.vigil.operators.ingest;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a decoded {@link TelemetryEvent} against the contract that the schema cannot express: ids
 * present, vocabularies respected, exactly one payload, finite numbers and a plausible event time.
 * Physically implausible but well-formed readings (a 300 °C temperature, CPU above 100 %) pass:
 * spotting them is the sensor-spoofing rule's job, and it needs to see them.
 *
 * <p>The event time is judged against the record's reference time — its Kafka timestamp, which on
 * the {@code telemetry} topic is the broker's {@code LogAppendTime}, capped by the reader's clock —
 * not against the event's own claims, so a replay years later accepts and rejects exactly the same
 * records and a producer cannot vouch for its own future-dated events.
 */
public final class TelemetryValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Events before this instant are rejected as {@link RejectReason#TIMESTAMP_TOO_OLD}. */
    public static final Instant MIN_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /** Default allowance for sensor clocks running ahead of the broker's clock. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    public static final Set<String> SITE_TYPES =
            Set.of(
                    "OFFICE_BUILDING",
                    "RETAIL",
                    "INDUSTRIAL",
                    "TRANSPORTATION",
                    "PUBLIC_INFRASTRUCTURE");

    public static final Set<String> SECURITY_KINDS =
            Set.of(
                    "AUTH_SUCCESS",
                    "AUTH_FAILURE",
                    "CONNECTION",
                    "PORT_PROBE",
                    "PROCESS_START",
                    "PRIVILEGE_CHANGE",
                    "ACCOUNT_CREATION",
                    "FILE_ACCESS",
                    "CONFIG_CHANGE");

    /** Highest power a sample may report (1 MW): beyond it the reading is a fault, not a node. */
    public static final double MAX_POWER_WATTS = 1_000_000;

    public static final Set<String> POWER_SOURCES = Set.of("GRID", "SOLAR", "WIND", "BATTERY");

    private final long maxFutureSkewMs;

    public TelemetryValidator(Duration maxFutureSkew) {
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("max future skew must not be negative");
        }
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    /** A validator with {@link #DEFAULT_MAX_FUTURE_SKEW}. */
    public static TelemetryValidator withDefaults() {
        return new TelemetryValidator(DEFAULT_MAX_FUTURE_SKEW);
    }

    /**
     * The first contract violation of {@code event}, if any.
     *
     * @param referenceTime the clock the producer does not control ({@code
     *     EventTimes.referenceTime}); negative skips the future check
     */
    public Optional<Rejection> validate(TelemetryEvent event, long referenceTime) {
        Rejection rejection = firstViolation(event, referenceTime);
        return Optional.ofNullable(rejection);
    }

    private Rejection firstViolation(TelemetryEvent event, long referenceTime) {
        if (isBlank(event.getEventId())) {
            return missing("event_id");
        }
        NodeIdentity node = event.getNode();
        if (isBlank(node.getHub())) {
            return missing("node.hub");
        }
        if (isBlank(node.getRegion())) {
            return missing("node.region");
        }
        if (isBlank(node.getCluster())) {
            return missing("node.cluster");
        }
        if (isBlank(node.getNodeId())) {
            return missing("node.node_id");
        }
        if (isBlank(node.getSiteId())) {
            return missing("node.site_id");
        }
        if (isBlank(node.getNodeClass())) {
            return missing("node.node_class");
        }
        if (!SITE_TYPES.contains(node.getSiteType())) {
            return invalid(
                    "node.site_type",
                    "'" + node.getSiteType() + "' is not one of " + sorted(SITE_TYPES));
        }
        if (isBlank(event.getSensorId())) {
            return missing("sensor_id");
        }
        if (event.getSequence() < 0) {
            return invalid("sequence", event.getSequence() + " is negative");
        }
        Rejection time = checkTime(event.getEventTime(), referenceTime);
        if (time != null) {
            return time;
        }
        int payloads =
                (event.getMetric() != null ? 1 : 0)
                        + (event.getSecurity() != null ? 1 : 0)
                        + (event.getPower() != null ? 1 : 0);
        if (payloads == 0) {
            return new Rejection(
                    RejectReason.NO_PAYLOAD, "none of metric, security and power is set");
        }
        if (payloads > 1) {
            return new Rejection(
                    RejectReason.MULTIPLE_PAYLOADS,
                    "more than one of metric, security and power is set");
        }
        if (event.getMetric() != null) {
            return checkMetric(event.getMetric());
        }
        if (event.getSecurity() != null) {
            return checkSecurity(event.getSecurity());
        }
        return checkPower(event.getPower());
    }

    private Rejection checkTime(Instant eventTime, long referenceTime) {
        if (eventTime.isBefore(MIN_EVENT_TIME)) {
            return new Rejection(
                    RejectReason.TIMESTAMP_TOO_OLD,
                    "event_time " + eventTime + " is before " + MIN_EVENT_TIME);
        }
        if (referenceTime >= 0) {
            long ahead = eventTime.toEpochMilli() - referenceTime;
            if (ahead > maxFutureSkewMs) {
                return new Rejection(
                        RejectReason.TIMESTAMP_IN_FUTURE,
                        "event_time "
                                + eventTime
                                + " is "
                                + Duration.ofMillis(ahead)
                                + " ahead of its reference time "
                                + Instant.ofEpochMilli(referenceTime)
                                + " (the Kafka record timestamp, capped by the reader's clock; at"
                                + " most "
                                + Duration.ofMillis(maxFutureSkewMs)
                                + " allowed)");
            }
        }
        return null;
    }

    private static Rejection checkMetric(MetricSample m) {
        Rejection r;
        if ((r = finite("metric.cpu_percent", m.getCpuPercent())) != null
                || (r = finite("metric.memory_percent", m.getMemoryPercent())) != null
                || (r = finite("metric.disk_percent", m.getDiskPercent())) != null
                || (r = finite("metric.packet_loss_percent", m.getPacketLossPercent())) != null
                || (r = finite("metric.latency_ms", m.getLatencyMs())) != null
                || (r = finite("metric.temperature_c", m.getTemperatureC())) != null
                || (r = finite("metric.error_rate", m.getErrorRate())) != null
                || (r = finite("metric.response_time_ms", m.getResponseTimeMs())) != null
                || (r = nonNegative("metric.network_in_bytes", m.getNetworkInBytes())) != null
                || (r = nonNegative("metric.network_out_bytes", m.getNetworkOutBytes())) != null) {
            return r;
        }
        if (m.getIntervalMs() <= 0) {
            return invalid("metric.interval_ms", m.getIntervalMs() + " is not positive");
        }
        boolean anyReading =
                m.getCpuPercent() != null
                        || m.getMemoryPercent() != null
                        || m.getDiskPercent() != null
                        || m.getNetworkInBytes() != null
                        || m.getNetworkOutBytes() != null
                        || m.getPacketLossPercent() != null
                        || m.getLatencyMs() != null
                        || m.getTemperatureC() != null
                        || m.getErrorRate() != null
                        || m.getResponseTimeMs() != null;
        return anyReading ? null : invalid("metric", "the sample has no reading");
    }

    private static Rejection checkSecurity(SecurityEvent s) {
        if (!SECURITY_KINDS.contains(s.getKind())) {
            return invalid(
                    "security.kind",
                    "'" + s.getKind() + "' is not one of " + sorted(SECURITY_KINDS));
        }
        Rejection r;
        if ((r = port("security.src_port", s.getSrcPort())) != null
                || (r = port("security.dst_port", s.getDstPort())) != null
                || (r = nonNegative("security.bytes", s.getBytes())) != null) {
            return r;
        }
        return null;
    }

    private static Rejection checkPower(PowerSample p) {
        if (!POWER_SOURCES.contains(p.getSource())) {
            return invalid(
                    "power.source",
                    "'" + p.getSource() + "' is not one of " + sorted(POWER_SOURCES));
        }
        if (p.getPowerW() == null && p.getEnergyJ() == null) {
            return invalid("power", "neither power_w nor energy_j is set");
        }
        Rejection r;
        if ((r = finite("power.power_w", p.getPowerW())) != null
                || (r = finite("power.energy_j", p.getEnergyJ())) != null
                || (r = notNegative("power.power_w", p.getPowerW())) != null
                || (r = notNegative("power.energy_j", p.getEnergyJ())) != null) {
            return r;
        }
        if (p.getPowerW() != null && p.getPowerW() > MAX_POWER_WATTS) {
            return invalid(
                    "power.power_w",
                    p.getPowerW()
                            + " W is above the "
                            + MAX_POWER_WATTS
                            + " W an edge node can draw");
        }
        return null;
    }

    private static Rejection notNegative(String field, Double value) {
        return value != null && value < 0 ? invalid(field, value + " is negative") : null;
    }

    private static Rejection finite(String field, Double value) {
        return value != null && !Double.isFinite(value)
                ? invalid(field, value + " is not a finite number")
                : null;
    }

    private static Rejection nonNegative(String field, Long value) {
        return value != null && value < 0 ? invalid(field, value + " is negative") : null;
    }

    private static Rejection port(String field, Integer value) {
        return value != null && (value < 0 || value > 65535)
                ? invalid(field, value + " is not a port (0-65535)")
                : null;
    }

    private static Rejection missing(String field) {
        return new Rejection(RejectReason.MISSING_FIELD, field + " is empty");
    }

    private static Rejection invalid(String field, String what) {
        return new Rejection(RejectReason.INVALID_VALUE, field + ": " + what);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
