package dev.vigil.operators.ingest;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.schema.MetricSample;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryValidatorTest {

    private final TelemetryValidator validator = new TelemetryValidator(Duration.ofMinutes(5));

    @Test
    void acceptsEachKindOfPayload() {
        assertThat(validator.validate(TestEvents.metric("n1", T0, 0, 10, 20), T0)).isEmpty();
        assertThat(validator.validate(TestEvents.security("n1", T0, 1, "AUTH_FAILURE"), T0))
                .isEmpty();
        assertThat(validator.validate(TestEvents.power("n1", T0, 2, 150.0), T0)).isEmpty();
    }

    @Test
    void acceptsPhysicallyImpossibleReadingsForTheSpoofingRuleToJudge() {
        assertThat(validator.validate(TestEvents.metric("n1", T0, 0, 180.0, 500.0), T0)).isEmpty();
    }

    @Test
    void rejectsAnEmptyNodeIdNamingTheField() {
        TelemetryEvent event = TestEvents.metric("n1", T0, 0, 10, 20);
        event.getNode().setNodeId("  ");

        assertRejected(event, T0, RejectReason.MISSING_FIELD, "node.node_id is empty");
    }

    @Test
    void rejectsEmptyEventIdHubAndSensor() {
        TelemetryEvent noId = TestEvents.metric("n1", T0, 0, 10, 20);
        noId.setEventId("");
        assertRejected(noId, T0, RejectReason.MISSING_FIELD, "event_id is empty");

        TelemetryEvent noHub = TestEvents.metric("n1", T0, 0, 10, 20);
        noHub.getNode().setHub("");
        assertRejected(noHub, T0, RejectReason.MISSING_FIELD, "node.hub is empty");

        TelemetryEvent noSensor = TestEvents.metric("n1", T0, 0, 10, 20);
        noSensor.setSensorId("");
        assertRejected(noSensor, T0, RejectReason.MISSING_FIELD, "sensor_id is empty");
    }

    @Test
    void rejectsAnUnknownSiteType() {
        TelemetryEvent event = TestEvents.metric("n1", T0, 0, 10, 20);
        event.getNode().setSiteType("SPACESHIP");

        assertRejected(
                event,
                T0,
                RejectReason.INVALID_VALUE,
                "node.site_type: 'SPACESHIP' is not one of [INDUSTRIAL, OFFICE_BUILDING,"
                        + " PUBLIC_INFRASTRUCTURE, RETAIL, TRANSPORTATION]");
    }

    @Test
    void rejectsEventsBefore2000() {
        TelemetryEvent event = TestEvents.metric("n1", 946_684_799_999L, 0, 10, 20);

        assertRejected(
                event,
                T0,
                RejectReason.TIMESTAMP_TOO_OLD,
                "event_time 1999-12-31T23:59:59.999Z is before 2000-01-01T00:00:00Z");
    }

    @Test
    void judgesTheFutureAgainstTheReferenceTime() {
        long fiveMinutes = Duration.ofMinutes(5).toMillis();
        TelemetryEvent atLimit = TestEvents.metric("n1", T0 + fiveMinutes, 0, 10, 20);
        TelemetryEvent beyond = TestEvents.metric("n1", T0 + fiveMinutes + 1, 0, 10, 20);

        assertThat(validator.validate(atLimit, T0)).isEmpty();
        assertRejected(
                beyond,
                T0,
                RejectReason.TIMESTAMP_IN_FUTURE,
                "event_time 2026-11-22T10:05:00.001Z is PT5M0.001S ahead of its reference time"
                        + " 2026-11-22T10:00:00Z (the Kafka record timestamp, capped by the"
                        + " reader's clock; at most PT5M allowed)");
        // without a reference time the future cannot be judged
        assertThat(validator.validate(beyond, -1L)).isEmpty();
    }

    @Test
    void rejectsNoAndSeveralPayloads() {
        TelemetryEvent none = TestEvents.base("n1", T0, 0).build();
        assertRejected(
                none, T0, RejectReason.NO_PAYLOAD, "none of metric, security and power is set");

        TelemetryEvent both = TestEvents.metric("n1", T0, 0, 10, 20);
        both.setPower(PowerSample.newBuilder().setPowerW(10.0).setSource("GRID").build());
        assertRejected(
                both,
                T0,
                RejectReason.MULTIPLE_PAYLOADS,
                "more than one of metric, security and power is set");
    }

    @Test
    void rejectsNonFiniteAndNegativeMetricValues() {
        TelemetryEvent nan = TestEvents.metric("n1", T0, 0, Double.NaN, 20);
        assertRejected(
                nan,
                T0,
                RejectReason.INVALID_VALUE,
                "metric.cpu_percent: NaN is not a finite number");

        TelemetryEvent negative = TestEvents.metric("n1", T0, 0, 10, 20);
        negative.getMetric().setNetworkInBytes(-5L);
        assertRejected(
                negative,
                T0,
                RejectReason.INVALID_VALUE,
                "metric.network_in_bytes: -5 is negative");

        TelemetryEvent empty =
                TestEvents.base("n1", T0, 0).setMetric(MetricSample.newBuilder().build()).build();
        assertRejected(empty, T0, RejectReason.INVALID_VALUE, "metric: the sample has no reading");
    }

    @Test
    void rejectsUnknownSecurityKindsAndBadPorts() {
        TelemetryEvent kind = TestEvents.security("n1", T0, 0, "TELEPORT");
        assertThat(validator.validate(kind, T0).orElseThrow().reason())
                .isEqualTo(RejectReason.INVALID_VALUE);

        TelemetryEvent port =
                TestEvents.base("n1", T0, 0)
                        .setSecurity(
                                SecurityEvent.newBuilder()
                                        .setKind("PORT_PROBE")
                                        .setDstPort(70000)
                                        .build())
                        .build();
        assertRejected(
                port,
                T0,
                RejectReason.INVALID_VALUE,
                "security.dst_port: 70000 is not a port (0-65535)");
    }

    @Test
    void rejectsPowerWithoutReadingOrWithUnknownSource() {
        TelemetryEvent empty =
                TestEvents.base("n1", T0, 0)
                        .setPower(PowerSample.newBuilder().setSource("GRID").build())
                        .build();
        assertRejected(
                empty,
                T0,
                RejectReason.INVALID_VALUE,
                "power: neither power_w nor energy_j is set");

        TelemetryEvent nuclear = TestEvents.power("n1", T0, 0, 100.0);
        nuclear.getPower().setSource("FUSION");
        assertThat(validator.validate(nuclear, T0).orElseThrow().message())
                .startsWith("power.source: 'FUSION'");
    }

    @Test
    void rejectsANegativeSequence() {
        TelemetryEvent event = TestEvents.metric("n1", T0, -1, 10, 20);

        assertRejected(event, T0, RejectReason.INVALID_VALUE, "sequence: -1 is negative");
    }

    private void assertRejected(
            TelemetryEvent event, long recordTimestamp, RejectReason reason, String message) {
        Optional<Rejection> rejection = validator.validate(event, recordTimestamp);
        assertThat(rejection).isPresent();
        assertThat(rejection.get().reason()).isEqualTo(reason);
        assertThat(rejection.get().message()).isEqualTo(message);
    }
}
