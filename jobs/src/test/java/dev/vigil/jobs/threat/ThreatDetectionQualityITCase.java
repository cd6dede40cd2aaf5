package dev.vigil.jobs.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection quality of the built-in catalogue on the simulator's labelled scenarios (attacks and
 * near misses) run through the real job on a real broker, scored against the ground truth (see
 * {@link DetectionScore}): recall per scenario type, precision per alert, the share of near misses
 * and benign look-alikes that raised nothing, and event-time detection latency. Two runs: the
 * standard scenarios together with the variant families (slow, sparse, jittered, ramping attacks
 * and bigger look-alikes) in their tuned ranges, and a second, separately seeded run of the variant
 * families with their parameters beyond those ranges. {@code -Dvigil.quality.docs=<file>} writes
 * both tables to a Markdown file (docs/rules/QUALITY.md holds the committed one).
 */
class ThreatDetectionQualityITCase {

    /** Another seed or length: -Dvigil.quality.seed=7 -Dvigil.quality.hours=6. */
    static final long SEED = Long.getLong("vigil.quality.seed", 42);

    static final long OUTSIDE_SEED = Long.getLong("vigil.quality.outside-seed", 7);

    static final Duration RUN = Duration.ofHours(Long.getLong("vigil.quality.hours", 3));

    /** Fleet size: -Dvigil.quality.nodes=200 (default: the small 16-node fleet). */
    static final String NODES = System.getProperty("vigil.quality.nodes");

    // midnight UTC, so the run spans the 02:00-04:00 change window and its near misses
    static final Instant START = Instant.parse("2026-01-15T00:00:00Z");

    static final Map<String, String> TABLES = new TreeMap<>();

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    @Test
    void standardAndVariantScenariosMeetTheTargets() throws Exception {
        assertTargets(
                run(
                        "standard and variant scenarios, tuned ranges",
                        SEED,
                        "all+variants",
                        "tuned",
                        1));
    }

    @Test
    void variantsBeyondTheTunedRangesMeetTheTargets() throws Exception {
        assertTargets(
                run(
                        "variant scenarios beyond the tuned ranges",
                        OUTSIDE_SEED,
                        "variants",
                        "outside",
                        // the four families alone, twice as often: as many attacks to score
                        2));
    }

    @AfterAll
    static void writeDocs() throws Exception {
        String file = System.getProperty("vigil.quality.docs");
        if (file == null || TABLES.isEmpty()) {
            return;
        }
        StringBuilder doc = new StringBuilder();
        doc.append("# Detection quality of the built-in catalogue\n\n");
        doc.append(
                "Written by `ThreatDetectionQualityITCase` (`mvn -pl jobs verify"
                    + " -Dit.test=ThreatDetectionQualityITCase"
                    + " -Dvigil.quality.docs=$PWD/docs/rules/QUALITY.md`): the simulator's labelled"
                    + " scenarios through the real threat-detection job on a real broker, scored"
                    + " against the ground truth. An attack is detected when an alert of a rule"
                    + " meant for it covers its nodes and time (up to a minute after its end); an"
                    + " alert is a true positive when it covers an attack its rule is meant for,"
                    + " otherwise a false positive; a near miss (a benign look-alike) counts as"
                    + " alerted when any alert covers it. Latency is event time from the event that"
                    + " completed the behaviour to the decision.\n");
        TABLES.forEach(
                (name, table) -> doc.append("\n## ").append(name).append("\n\n").append(table));
        Files.writeString(Path.of(file), doc.toString(), StandardCharsets.UTF_8);
    }

    private static void assertTargets(DetectionScore.Score score) {
        assertThat(
                        score.scenarios().values().stream()
                                .mapToInt(DetectionScore.ScenarioRow::attacks)
                                .sum())
                .isGreaterThanOrEqualTo(10);
        for (DetectionScore.ScenarioRow row : score.scenarios().values()) {
            assertThat(row.recall())
                    .as(row.scenario() + " recall; missed " + row.missed())
                    .isGreaterThanOrEqualTo(0.95);
        }
        assertThat(score.precision())
                .as("precision per alert; " + falseAlerts(score))
                .isGreaterThanOrEqualTo(0.95);
        assertThat(score.nearMissesQuiet())
                .as(
                        "near misses without an alert; "
                                + score.scenarios().values().stream()
                                        .flatMap(r -> r.nearMissAlerts().stream())
                                        .toList())
                .isGreaterThanOrEqualTo(0.99);
        for (DetectionScore.RuleRow row : score.rules().values()) {
            assertThat(row.maxLatencyMs())
                    .as(row.rule() + " event-time detection latency")
                    .isLessThanOrEqualTo(1000);
        }
    }

    private static List<String> falseAlerts(DetectionScore.Score score) {
        List<String> out = new ArrayList<>();
        score.rules()
                .values()
                .forEach(r -> r.falseAlerts().forEach(f -> out.add(r.rule() + " " + f)));
        return out;
    }

    private DetectionScore.Score run(
            String name, long seed, String scenarios, String ranges, int perHour) throws Exception {
        String prefix = "quality-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KAFKA.createTopics(
                4, prefix + Topic.TELEMETRY.topicName(), prefix + Topic.ALERTS.topicName());
        KAFKA.createTopics(
                1,
                prefix + Topic.GROUND_TRUTH.topicName(),
                prefix + Topic.GRID_INTENSITY.topicName(),
                prefix + Topic.RULES.topicName(),
                prefix + Topic.RULE_ACKS.topicName(),
                prefix + Topic.ANOMALIES.topicName(),
                prefix + Topic.DEAD_LETTERS.topicName());

        List<String> simulatorArgs =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                KAFKA.bootstrapServers(),
                                "--rate",
                                "max",
                                "--duration",
                                RUN.toMinutes() + "m",
                                "--start",
                                START.toString(),
                                "--seed",
                                Long.toString(seed),
                                "--scenarios",
                                scenarios,
                                "--variant-ranges",
                                ranges,
                                "--scenarios-per-hour",
                                Integer.toString(perHour),
                                "--topic-prefix",
                                prefix));
        if (NODES != null) {
            simulatorArgs.addAll(List.of("--nodes", NODES));
        }
        SimulatorOptions simulation =
                SimulatorOptions.parse(simulatorArgs.toArray(String[]::new), Instant.now());
        assertThat(SimulatorMain.run(simulation)).isTrue();
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--topic.telemetry",
                            prefix + "telemetry",
                            "--topic.rules",
                            prefix + "rules",
                            "--topic.anomalies",
                            prefix + "anomalies",
                            "--topic.alerts",
                            prefix + "alerts",
                            "--topic.rule-acks",
                            prefix + "rule-acks",
                            "--topic.dead-letters",
                            prefix + "dead-letters",
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "2 s",
                            "--checkpoint.dir",
                            checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix",
                            prefix,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2",
                            // the simulated fleet's automation account, as its operators declare
                            "--context.automation-accounts",
                            "svc-automation"
                        },
                        ThreatDetectionJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatDetectionJob.configure(env, options);
        env.execute("threat-detection-quality");

        List<GroundTruthLabel> labels = decode(prefix + "ground-truth", GroundTruthLabel.class);
        List<ThreatAlert> alerts = decode(prefix + "alerts", ThreatAlert.class);
        List<String> rules = new ArrayList<>();
        for (String json : RuleCatalogue.builtIn()) {
            rules.add(RuleParser.parse(json).id());
        }
        DetectionScore.Score score =
                DetectionScore.score(rules, labels, alerts, START.plus(RUN).toEpochMilli());
        String title =
                String.format(
                        "%s: seed %d, %d nodes, %d h, %d scenarios per type and hour, %d labels,"
                                + " %d alerts",
                        name,
                        seed,
                        simulation.fleet().nodeCount(),
                        RUN.toHours(),
                        perHour,
                        labels.size(),
                        alerts.size());
        String table = DetectionScore.table(score);
        TABLES.put(title, table);
        System.out.println("Detection quality, " + title + ":\n" + table);
        if (Boolean.getBoolean("vigil.quality.verbose")) {
            labels.forEach(
                    l ->
                            System.out.println(
                                    "label "
                                            + l.getScenarioId()
                                            + " "
                                            + l.getNodeIds()
                                            + " "
                                            + l.getStartTime()
                                            + " .. "
                                            + l.getEndTime()));
            alerts.forEach(
                    a ->
                            System.out.println(
                                    "alert "
                                            + a.getRuleId()
                                            + " "
                                            + a.getGroupKey()
                                            + " "
                                            + a.getFirstEventTime()
                                            + " .. "
                                            + a.getLastEventTime()
                                            + " suppressed before "
                                            + a.getSuppressedCount()));
        }
        return score;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
            String topic, Class<T> type) throws Exception {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : KAFKA.readCommitted(topic)) {
            out.add(codec.decode(record.value()));
        }
        return out;
    }
}
