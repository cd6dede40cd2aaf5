package dev.vigil.jobs.carbon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.CarbonRecomputation;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.carbon.ShiftWorkloadSignal;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carbon job over an hour of a simulated fleet (every scenario on, so replays, duplicates and
 * sequence jumps are in the data), crossing midnight, through the real broker:
 *
 * <ul>
 *   <li>region emissions per minute, hour and day agree with a recomputation from the raw samples
 *       that shares no code with the job, within the documented rounding (half a mg or mWh per
 *       node-minute);
 *   <li>every roll-up is the exact sum of its node-minutes;
 *   <li>the same telemetry with its arrival order shuffled within the watermark bound, and a plain
 *       replay, give identical reports;
 *   <li>shift_workload recommendations are exactly the upward crossings of the threshold.
 * </ul>
 */
class CarbonJobITCase {

    static final Instant START = Instant.parse("2026-03-02T23:30:00Z");
    static final String PREFIX = "carbon-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    static final double THRESHOLD = 300.0;

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir static Path checkpoints;

    static List<TelemetryEvent> telemetry;
    static List<GridIntensity> grid;
    static List<CarbonReport> inOrder;

    @BeforeAll
    static void simulateAndRun() throws Exception {
        KAFKA.createTopics(4, PREFIX + "telemetry", PREFIX + "telemetry-shuffled");
        KAFKA.createTopics(
                1, PREFIX + "grid-intensity", PREFIX + "ground-truth", PREFIX + "models");
        SimulatorOptions simulation =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            KAFKA.bootstrapServers(),
                            "--rate",
                            "max",
                            "--duration",
                            "60m",
                            "--start",
                            START.toString(),
                            "--seed",
                            "77",
                            "--topic-prefix",
                            PREFIX
                        },
                        Instant.now());
        assertThat(SimulatorMain.run(simulation)).isTrue();
        telemetry = AvroTopics.read(KAFKA, PREFIX + "telemetry", TelemetryEvent.class);
        grid = AvroTopics.read(KAFKA, PREFIX + "grid-intensity", GridIntensity.class);
        inOrder = runJob("telemetry", "in-order");
    }

    static List<CarbonReport> runJob(String telemetryTopic, String run) throws Exception {
        String out = PREFIX + run + "-";
        KAFKA.createTopics(4, out + "carbon", out + "alerts");
        KAFKA.createTopics(1, out + "dead-letters");
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--topic.telemetry",
                            PREFIX + telemetryTopic,
                            "--topic.grid-intensity",
                            PREFIX + "grid-intensity",
                            "--topic.carbon",
                            out + "carbon",
                            "--topic.alerts",
                            out + "alerts",
                            "--topic.dead-letters",
                            out + "dead-letters",
                            "--carbon.shift-threshold-g-per-kwh",
                            Double.toString(THRESHOLD),
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "2 s",
                            "--checkpoint.dir",
                            checkpoints.resolve(run).toUri().toString(),
                            "--sink.transactional-id-prefix",
                            out,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2"
                        },
                        CarbonJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CarbonJob.configure(env, options);
        env.execute("carbon-" + run);
        List<DeadLetter> late =
                AvroTopics.read(KAFKA, out + "dead-letters", DeadLetter.class).stream()
                        .filter(d -> d.getReasonCode().equals("LATE_EVENT"))
                        .toList();
        assertThat(late).as("nothing arrives later than the bound").isEmpty();
        return AvroTopics.read(KAFKA, out + "carbon", CarbonReport.class);
    }

    /** The highest revision of each (level, key, size, window start). */
    static Map<String, CarbonReport> latest(List<CarbonReport> reports) {
        Map<String, CarbonReport> out = new TreeMap<>();
        for (CarbonReport r : reports) {
            String k =
                    r.getLevel()
                            + "/"
                            + r.getKey()
                            + "/"
                            + r.getWindowSize()
                            + "/"
                            + r.getWindowStart();
            CarbonReport before = out.get(k);
            if (before == null || r.getRevision() > before.getRevision()) {
                out.put(k, r);
            }
        }
        return out;
    }

    @Test
    void regionEmissionsMatchARecomputationFromTheRawSamples() {
        Map<String, TreeMap<Long, CarbonRecomputation.Totals>> truth =
                new CarbonRecomputation(60_000, 400, 20).byRegionMinute(telemetry, grid);
        Map<String, CarbonReport> reports = latest(inOrder);
        int compared = 0;
        for (CarbonReport r : reports.values()) {
            if (!r.getLevel().equals("REGION")) {
                continue;
            }
            CarbonRecomputation.Totals t =
                    CarbonRecomputation.sum(
                            truth.get(r.getKey()),
                            r.getWindowStart().toEpochMilli(),
                            r.getWindowEnd().toEpochMilli());
            BigDecimal bound = t.roundingBound();
            String what = r.getKey() + " " + r.getWindowSize() + " " + r.getWindowStart();
            assertThat(BigDecimal.valueOf(r.getLocationBasedMg()).subtract(t.locationMg).abs())
                    .as("location-based mg of " + what)
                    .isLessThanOrEqualTo(bound);
            assertThat(BigDecimal.valueOf(r.getMarketBasedMg()).subtract(t.marketMg).abs())
                    .as("market-based mg of " + what)
                    .isLessThanOrEqualTo(bound);
            assertThat(
                            BigDecimal.valueOf(r.getEnergyMwh())
                                    .subtract(t.energyKwh.movePointRight(6))
                                    .abs())
                    .as("energy mWh of " + what)
                    .isLessThanOrEqualTo(bound);
            compared++;
            if (r.getWindowSize().equals("1d")) {
                System.out.printf(
                        "carbon %s %s: location %d mg (recomputed %s), market %d mg (recomputed"
                                + " %s), %d mWh, bound %s mg%n",
                        r.getKey(),
                        r.getWindowStart(),
                        r.getLocationBasedMg(),
                        t.locationMg.setScale(3, java.math.RoundingMode.HALF_UP),
                        r.getMarketBasedMg(),
                        t.marketMg.setScale(3, java.math.RoundingMode.HALF_UP),
                        r.getEnergyMwh(),
                        bound);
            }
        }
        // every region-minute with telemetry, and every hour and day they fall in
        long expected = 0;
        for (TreeMap<Long, CarbonRecomputation.Totals> minutes : truth.values()) {
            expected += minutes.size();
            expected += minutes.keySet().stream().map(m -> m / 3_600_000L).distinct().count();
            expected += minutes.keySet().stream().map(m -> m / 86_400_000L).distinct().count();
        }
        assertThat(compared).isEqualTo(expected).isGreaterThan(2 * 60);
        long dayOne =
                reports.values().stream()
                        .filter(
                                r ->
                                        r.getLevel().equals("REGION")
                                                && r.getWindowSize().equals("1d"))
                        .mapToLong(CarbonReport::getLocationBasedMg)
                        .sum();
        assertThat(dayOne).as("the fleet emitted something").isPositive();
    }

    @Test
    void everyRollUpIsTheExactSumOfItsNodeMinutes() {
        Map<String, CarbonReport> reports = latest(inOrder);
        List<CarbonReport> nodeMinutes =
                reports.values().stream()
                        .filter(r -> r.getLevel().equals("NODE") && r.getWindowSize().equals("1m"))
                        .toList();
        int checked = 0;
        for (CarbonReport r : reports.values()) {
            if (r.getLevel().equals("NODE") && r.getWindowSize().equals("1m")) {
                continue;
            }
            List<CarbonReport> parts =
                    nodeMinutes.stream()
                            .filter(m -> belongsTo(m, r))
                            .filter(m -> !m.getWindowStart().isBefore(r.getWindowStart()))
                            .filter(m -> m.getWindowEnd().compareTo(r.getWindowEnd()) <= 0)
                            .toList();
            assertThat(parts).as(r.getLevel() + " " + r.getKey()).isNotEmpty();
            assertThat(r.getEnergyMwh())
                    .isEqualTo(parts.stream().mapToLong(CarbonReport::getEnergyMwh).sum());
            assertThat(r.getRenewableEnergyMwh())
                    .isEqualTo(parts.stream().mapToLong(CarbonReport::getRenewableEnergyMwh).sum());
            assertThat(r.getLocationBasedMg())
                    .isEqualTo(parts.stream().mapToLong(CarbonReport::getLocationBasedMg).sum());
            assertThat(r.getMarketBasedMg())
                    .isEqualTo(parts.stream().mapToLong(CarbonReport::getMarketBasedMg).sum());
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    static boolean belongsTo(CarbonReport node, CarbonReport rollUp) {
        return switch (rollUp.getLevel()) {
            case "NODE" -> node.getKey().equals(rollUp.getKey());
            case "CLUSTER" -> node.getCluster().equals(rollUp.getKey());
            case "REGION" -> node.getRegion().equals(rollUp.getKey());
            default -> node.getHub().equals(rollUp.getKey());
        };
    }

    @Test
    void shuffledArrivalWithinTheBoundAndAReplayGiveIdenticalReports() throws Exception {
        // per partition, each record delayed by up to 4 s of event time (the bound is 5 s)
        AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> partitions = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KAFKA.readCommitted(PREFIX + "telemetry")) {
            partitions.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
        }
        Random random = new Random(5);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        int moved = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (var e : partitions.entrySet()) {
                List<long[]> order = new ArrayList<>();
                List<ConsumerRecord<byte[], byte[]>> records = e.getValue();
                for (int i = 0; i < records.size(); i++) {
                    long t = codec.decode(records.get(i).value()).getEventTime().toEpochMilli();
                    order.add(new long[] {t + random.nextInt(4_001), i});
                }
                order.sort(
                        Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
                for (int i = 0; i < order.size(); i++) {
                    moved += order.get(i)[1] != i ? 1 : 0;
                    ConsumerRecord<byte[], byte[]> r = records.get((int) order.get(i)[1]);
                    producer.send(
                            new ProducerRecord<>(
                                    PREFIX + "telemetry-shuffled",
                                    e.getKey(),
                                    r.timestamp(),
                                    r.key(),
                                    r.value()));
                }
            }
            producer.flush();
        }
        assertThat(moved).as("records that changed place").isGreaterThan(telemetry.size() / 2);
        List<CarbonReport> shuffled = runJob("telemetry-shuffled", "shuffled");
        List<CarbonReport> replay = runJob("telemetry", "replay");
        assertThat(sorted(shuffled)).isEqualTo(sorted(inOrder));
        assertThat(sorted(replay)).isEqualTo(sorted(inOrder));
        assertThat(inOrder).allMatch(r -> r.getRevision() == 0);
    }

    static List<String> sorted(List<CarbonReport> reports) {
        return reports.stream().map(CarbonReport::toString).sorted().collect(Collectors.toList());
    }

    @Test
    void shiftWorkloadIsRecommendedOnEachUpwardCrossingOfTheThreshold() throws Exception {
        Map<String, TreeMap<Long, Double>> byRegion = new HashMap<>();
        for (GridIntensity g : grid) {
            byRegion.computeIfAbsent(g.getRegion(), k -> new TreeMap<>())
                    .put(g.getValidFrom().toEpochMilli(), g.getMarginalGPerKwh());
        }
        TreeSet<String> expected = new TreeSet<>();
        byRegion.forEach(
                (region, series) -> {
                    boolean above = false;
                    for (var e : series.entrySet()) {
                        boolean now = e.getValue() >= THRESHOLD;
                        if (now && !above) {
                            expected.add("shift-workload-" + region + "-" + e.getKey());
                        }
                        above = now;
                    }
                });
        List<ThreatAlert> alerts =
                AvroTopics.read(KAFKA, PREFIX + "in-order-alerts", ThreatAlert.class);
        assertThat(expected).isNotEmpty();
        assertThat(new TreeSet<>(alerts.stream().map(a -> a.getAlertId().toString()).toList()))
                .isEqualTo(expected);
        assertThat(alerts)
                .allMatch(a -> a.getRuleId().equals(ShiftWorkloadSignal.RULE_ID))
                .allMatch(a -> a.getGroupBy().equals("region"));
    }
}
