package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    private static Recording threeHours;

    @BeforeAll
    static void simulate() {
        threeHours = Recording.allScenarios(Duration.ofHours(3));
    }

    @Test
    void theSameSeedGivesTheSameTelemetryByteForByte() throws Exception {
        Recording again = Recording.allScenarios(Duration.ofHours(3));

        assertThat(digest(again.events)).isEqualTo(digest(threeHours.events));
        assertThat(again.labels).isEqualTo(threeHours.labels);
        assertThat(again.intensities).isEqualTo(threeHours.intensities);
    }

    @Test
    void anotherSeedGivesOtherTelemetry() throws Exception {
        Recording other =
                Recording.run(
                        new FleetSpec(1, 2, 2, 4, 0, 7),
                        ScenarioType.standard(),
                        Recording.START,
                        Duration.ofMinutes(10));
        Recording same = Recording.allScenarios(Duration.ofMinutes(10));

        assertThat(digest(other.events)).isNotEqualTo(digest(same.events));
    }

    @Test
    void everyScenarioIsInjectedAsAttackAndAsNearMiss() {
        Set<String> seen =
                threeHours.labels.stream()
                        .map(l -> l.getScenario() + (l.getNearMiss() ? "/near-miss" : "/attack"))
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>();
        for (ScenarioType type : ScenarioType.standard()) {
            expected.add(type.label() + "/attack");
            expected.add(type.label() + "/near-miss");
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void variantsAreInjectedOnRequestWithTheirParametersInsideOrOutsideTheTunedRanges() {
        Set<ScenarioType> variants = ScenarioType.variants();
        List<GroundTruthLabel> tuned =
                Recording.run(FleetSpec.small(42), variants, Recording.START, Duration.ofHours(4))
                        .labels;
        List<GroundTruthLabel> outside =
                Recording.run(
                                FleetSpec.small(42),
                                variants,
                                Recording.START,
                                Duration.ofHours(4),
                                true)
                        .labels;
        Set<String> expected = new TreeSet<>();
        for (ScenarioType type : variants) {
            expected.add(type.label() + "/attack");
            expected.add(type.label() + "/near-miss");
        }
        for (List<GroundTruthLabel> labels : List.of(tuned, outside)) {
            Set<String> kinds = new TreeSet<>();
            for (GroundTruthLabel l : labels) {
                kinds.add(l.getScenario() + (l.getNearMiss() ? "/near-miss" : "/attack"));
            }
            assertThat(kinds).isEqualTo(expected);
        }
        // beacon jitter 10-35 % tuned, 35-50 % outside
        assertThat(jitters(tuned)).isNotEmpty().allMatch(j -> j >= 0.10 && j <= 0.35);
        assertThat(jitters(outside)).isNotEmpty().allMatch(j -> j >= 0.35 && j <= 0.50);
    }

    private static List<Double> jitters(List<GroundTruthLabel> labels) {
        return labels.stream()
                .filter(l -> l.getScenario().equals("jittered_beaconing") && !l.getNearMiss())
                .map(l -> Double.parseDouble(l.getAttributes().get("jitter")))
                .toList();
    }

    @Test
    void labelsNeverOverlapOnANode() {
        Map<String, List<GroundTruthLabel>> byNode = new HashMap<>();
        for (GroundTruthLabel label : threeHours.labels) {
            for (String node : label.getNodeIds()) {
                byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(label);
            }
        }
        for (List<GroundTruthLabel> labels : byNode.values()) {
            labels.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
            for (int i = 1; i < labels.size(); i++) {
                assertThat(labels.get(i).getStartTime()).isAfter(labels.get(i - 1).getEndTime());
            }
        }
    }

    @Test
    void everyEventPassesTheIngestContract() {
        TelemetryValidator validator = TelemetryValidator.withDefaults();
        for (TelemetryEvent event : threeHours.events) {
            assertThat(validator.validate(event, event.getEventTime().toEpochMilli()))
                    .as(event.getEventId())
                    .isEmpty();
        }
    }

    @Test
    void sequencesAdvanceByOneExceptWhereSpoofingOrLossWasInjected() {
        Map<String, Long> last = new HashMap<>();
        List<String> irregular = new ArrayList<>();
        for (TelemetryEvent event : threeHours.events) {
            String node = event.getNode().getNodeId();
            Long previous = last.put(node, event.getSequence());
            long expected =
                    previous == null
                            ? Recording.START / 1000 * FleetSimulator.SEQUENCE_PER_SECOND
                            : previous + 1;
            if (event.getSequence() != expected) {
                irregular.add(node + "@" + event.getEventTime().toEpochMilli());
            }
        }
        for (String at : irregular) {
            String node = at.substring(0, at.indexOf('@'));
            long time = Long.parseLong(at.substring(at.indexOf('@') + 1));
            assertThat(threeHours.labels)
                    .as("irregular sequence at " + at)
                    .anyMatch(
                            l ->
                                    l.getScenario().equals("sensor_spoofing")
                                            && l.getNodeIds().contains(node)
                                            && time >= l.getStartTime().toEpochMilli()
                                            && time <= l.getEndTime().toEpochMilli() + 1000);
        }
        assertThat(irregular).isNotEmpty();
    }

    @Test
    void normalTrafficStaysClearOfTheThresholdsAttacksCross() {
        Recording normal =
                Recording.run(FleetSpec.small(42), Set.of(), Recording.START, Duration.ofHours(14));

        double maxTemperature = 0;
        double maxCpu = 0;
        double maxMemory = 0;
        double maxDisk = 0;
        double maxLoss = 0;
        int grid = 0;
        int solarOrWind = 0;
        for (TelemetryEvent e : normal.events) {
            if (e.getMetric() != null && e.getMetric().getCpuPercent() != null) {
                maxTemperature = Math.max(maxTemperature, e.getMetric().getTemperatureC());
                maxCpu = Math.max(maxCpu, e.getMetric().getCpuPercent());
                maxMemory = Math.max(maxMemory, e.getMetric().getMemoryPercent());
                maxDisk = Math.max(maxDisk, e.getMetric().getDiskPercent());
                maxLoss = Math.max(maxLoss, e.getMetric().getPacketLossPercent());
            }
            if (e.getPower() != null) {
                if (e.getPower().getSource().equals("GRID")) {
                    grid++;
                } else {
                    solarOrWind++;
                }
            }
        }
        assertThat(normal.labels).isEmpty();
        assertThat(maxTemperature).isLessThan(33.0);
        assertThat(maxCpu).isLessThanOrEqualTo(99.0);
        assertThat(maxMemory).isLessThan(91.0);
        assertThat(maxDisk).isLessThan(91.0);
        assertThat(maxLoss).isLessThan(1.0);
        assertThat(grid).isPositive();
        assertThat(solarOrWind).isPositive();
        // 14 hours x 2 regions, one intensity record per region every five minutes
        assertThat(normal.intensities).hasSize(14 * 12 * 2);
    }

    @Test
    void aBruteForceLabelMatchesManyFailuresOfOneUserFromOneSource() {
        GroundTruthLabel label = first("brute_force", false);
        String node = label.getNodeIds().get(0);
        long failures =
                eventsOf(node, label).stream()
                        .filter(
                                e ->
                                        e.getSecurity() != null
                                                && e.getSecurity().getKind().equals("AUTH_FAILURE"))
                        .filter(
                                e ->
                                        e.getSecurity()
                                                .getUser()
                                                .equals(label.getAttributes().get("user")))
                        .filter(
                                e ->
                                        e.getSecurity()
                                                .getSrcIp()
                                                .equals(label.getAttributes().get("src_ip")))
                        .count();
        long seconds =
                (label.getEndTime().toEpochMilli() - label.getStartTime().toEpochMilli()) / 1000;
        assertThat(failures).isGreaterThanOrEqualTo(seconds / 3);
    }

    @Test
    void aPortScanLabelMatchesManyDistinctPorts() {
        GroundTruthLabel label = first("port_scan", false);
        long ports =
                eventsOf(label.getNodeIds().get(0), label).stream()
                        .filter(
                                e ->
                                        e.getSecurity() != null
                                                && e.getSecurity().getKind().equals("PORT_PROBE"))
                        .map(e -> e.getSecurity().getDstPort())
                        .distinct()
                        .count();
        assertThat(ports).isGreaterThanOrEqualTo(20);
        GroundTruthLabel nearMiss = first("port_scan", true);
        assertThat(
                        eventsOf(nearMiss.getNodeIds().get(0), nearMiss).stream()
                                .filter(
                                        e ->
                                                e.getSecurity() != null
                                                        && e.getSecurity()
                                                                .getKind()
                                                                .equals("PORT_PROBE"))
                                .map(e -> e.getSecurity().getDstPort())
                                .distinct()
                                .count())
                .isEqualTo(4);
    }

    @Test
    void anOverheatingLabelHoldsAbove35AndItsNearMissDoesNotStayThere() {
        GroundTruthLabel attack = first("overheating", false);
        long hotSeconds =
                eventsOf(attack.getNodeIds().get(0), attack).stream()
                        .filter(
                                e ->
                                        e.getMetric() != null
                                                && e.getMetric().getTemperatureC() != null)
                        .filter(e -> e.getMetric().getTemperatureC() > 35.0)
                        .count();
        assertThat(hotSeconds).isGreaterThanOrEqualTo(60);

        for (GroundTruthLabel nearMiss : threeHours.labels) {
            if (nearMiss.getScenario().equals("overheating") && nearMiss.getNearMiss()) {
                long hot =
                        eventsOf(nearMiss.getNodeIds().get(0), nearMiss).stream()
                                .filter(
                                        e ->
                                                e.getMetric() != null
                                                        && e.getMetric().getTemperatureC() != null)
                                .filter(e -> e.getMetric().getTemperatureC() > 35.0)
                                .count();
                assertThat(hot).isLessThan(30);
            }
        }
    }

    private static GroundTruthLabel first(String scenario, boolean nearMiss) {
        return threeHours.labels.stream()
                .filter(l -> l.getScenario().equals(scenario) && l.getNearMiss() == nearMiss)
                .findFirst()
                .orElseThrow();
    }

    private static List<TelemetryEvent> eventsOf(String node, GroundTruthLabel label) {
        long start = label.getStartTime().toEpochMilli();
        long end = label.getEndTime().toEpochMilli() + 999;
        return threeHours.events.stream()
                .filter(e -> e.getNode().getNodeId().equals(node))
                .filter(
                        e ->
                                e.getEventTime().toEpochMilli() >= start
                                        && e.getEventTime().toEpochMilli() <= end)
                .toList();
    }

    private static String digest(List<TelemetryEvent> events) throws Exception {
        AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (TelemetryEvent event : events) {
            sha.update(codec.encode(event));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void theAlternateBackgroundIsAnotherFleetDesignWithoutIncidents() {
        long night = java.time.Instant.parse("2026-01-15T01:00:00Z").toEpochMilli();
        long noon = java.time.Instant.parse("2026-01-15T12:00:00Z").toEpochMilli();
        double standardNight = meanCpu(false, night);
        double standardNoon = meanCpu(false, noon);
        double alternateNight = meanCpu(true, night);
        double alternateNoon = meanCpu(true, noon);
        // the standard fleet is busy by day, the alternate one by night, and busier overall
        assertThat(standardNoon).isGreaterThan(standardNight);
        assertThat(alternateNight).isGreaterThan(alternateNoon);
        assertThat(alternateNight).isGreaterThan(standardNoon);
    }

    private static double meanCpu(boolean alternate, long start) {
        FleetSimulator simulator =
                new FleetSimulator(
                        dev.vigil.simulator.fleet.Fleet.of(FleetSpec.small(42)),
                        1000,
                        Set.of(),
                        1.0,
                        start,
                        false,
                        alternate);
        Recording r = new Recording();
        for (int i = 0; i < 300; i++) {
            simulator.next(r);
        }
        return r.events.stream()
                .filter(e -> e.getMetric() != null && e.getMetric().getCpuPercent() != null)
                .mapToDouble(e -> e.getMetric().getCpuPercent())
                .average()
                .orElseThrow();
    }
}
