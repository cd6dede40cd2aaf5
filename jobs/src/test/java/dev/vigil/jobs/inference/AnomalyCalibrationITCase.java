package dev.vigil.jobs.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.models.ModelBundle;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Topic;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benign anomaly-flag rate on two fleets without incidents, through the real inference job on a
 * real broker: the simulator's own background, and a background of another design (night shift,
 * heavier and burstier load, other node classes — {@code --background alternate}) that the models
 * never saw. Scores are judged against each node's own recent scores ({@code
 * NodeScoreCalibration}); the model's threshold alone is reported beside them.
 */
class AnomalyCalibrationITCase {

    static final Duration RUN = Duration.ofHours(2);
    static final Instant START = Instant.parse("2026-03-04T00:00:00Z");

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    @Test
    void aFleetUnlikeTheTrainingDataStartsAndStaysQuiet() throws Exception {
        double threshold = ModelBundle.builtIn("node-autoencoder").metadata().threshold();
        Rates standard = rates("standard", 23, threshold);
        Rates alternate = rates("alternate", 29, threshold);
        System.out.printf(
                Locale.ROOT,
                "Benign anomaly flags (no incidents, 16 nodes, %d h)%n"
                        + "| background | scores | flagged, calibrated per node | flagged, model"
                        + " threshold alone |%n|---|---|---|---|%n%s%n%s%n",
                RUN.toHours(),
                standard,
                alternate);
        assertThat(alternate.scores()).isGreaterThan(10_000);
        // the foreign fleet reconstructs worse everywhere: the model's threshold alone flags it
        assertThat(alternate.uncalibratedRate()).isGreaterThan(0.02);
        assertThat(alternate.calibratedRate()).isLessThanOrEqualTo(0.005);
        assertThat(standard.calibratedRate()).isLessThanOrEqualTo(0.001);
    }

    record Rates(String background, int scores, int calibrated, int uncalibrated) {
        double calibratedRate() {
            return calibrated / (double) scores;
        }

        double uncalibratedRate() {
            return uncalibrated / (double) scores;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "| %s | %d | %d (%.3f %%) | %d (%.3f %%) |",
                    background,
                    scores,
                    calibrated,
                    100 * calibratedRate(),
                    uncalibrated,
                    100 * uncalibratedRate());
        }
    }

    private Rates rates(String background, long seed, double modelThreshold) throws Exception {
        String prefix = "calibration-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        KAFKA.createTopics(
                4, prefix + Topic.TELEMETRY.topicName(), prefix + Topic.ANOMALIES.topicName());
        KAFKA.createTopics(
                1,
                prefix + Topic.GROUND_TRUTH.topicName(),
                prefix + Topic.GRID_INTENSITY.topicName(),
                prefix + Topic.MODELS.topicName(),
                prefix + Topic.DEAD_LETTERS.topicName());
        SimulatorOptions simulation =
                SimulatorOptions.parse(
                        new String[] {
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
                            "none",
                            "--background",
                            background,
                            "--topic-prefix",
                            prefix
                        },
                        Instant.now());
        assertThat(SimulatorMain.run(simulation)).isTrue();
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--topic.telemetry",
                            prefix + "telemetry",
                            "--topic.models",
                            prefix + "models",
                            "--topic.anomalies",
                            prefix + "anomalies",
                            "--topic.dead-letters",
                            prefix + "dead-letters",
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "2 s",
                            "--checkpoint.dir",
                            checkpoints.resolve(background).toUri().toString(),
                            "--sink.transactional-id-prefix",
                            prefix,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2"
                        },
                        NodeInferenceJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        NodeInferenceJob.configure(env, options);
        env.execute("anomaly-calibration-" + background);
        List<AnomalyScore> scores =
                AvroTopics.read(KAFKA, prefix + "anomalies", AnomalyScore.class);
        int calibrated = 0;
        int uncalibrated = 0;
        for (AnomalyScore s : scores) {
            calibrated += s.getAnomalous() ? 1 : 0;
            uncalibrated += s.getScore() > modelThreshold ? 1 : 0;
        }
        return new Rates(background, scores.size(), calibrated, uncalibrated);
    }
}
