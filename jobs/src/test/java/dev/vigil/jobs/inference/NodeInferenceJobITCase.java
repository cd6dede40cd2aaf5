package dev.vigil.jobs.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.models.ModelBundle;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model lifecycle in the running job, through the real broker: a version published on the {@code
 * models} topic takes over without a restart, and a corrupt one is dead-lettered with its reason
 * while the version before it keeps serving.
 */
class NodeInferenceJobITCase {

    static final Instant START = Instant.parse("2026-03-05T10:00:00Z");

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir Path checkpoints;

    private final String prefix = "swap-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @Test
    void aPublishedModelTakesOverAndACorruptOneIsRejected() throws Exception {
        KAFKA.createTopics(2, topic("telemetry"), topic("anomalies"));
        KAFKA.createTopics(
                1,
                topic("models"),
                topic("dead-letters"),
                topic(Topic.GROUND_TRUTH.topicName()),
                topic(Topic.GRID_INTENSITY.topicName()));
        ModelBundle builtIn = ModelBundle.builtIn("node-autoencoder");
        JobClient job = start();
        try {
            simulate(START, 18);
            AnomalyScore first =
                    AvroTopics.await(KAFKA, topic("anomalies"), AnomalyScore.class, s -> true);
            assertThat(first.getModelVersion()).isEqualTo(builtIn.version());

            publish(
                    builtIn.metadata().withVersion("1.0.1-it").toJson(),
                    builtIn.onnx(),
                    "1.0.1-it");
            // more telemetry until the new version scores it
            long swapped = 0;
            for (int minute = 18; minute < 40 && swapped == 0; minute += 2) {
                simulate(START.plus(Duration.ofMinutes(minute)), 2);
                swapped =
                        AvroTopics.read(KAFKA, topic("anomalies"), AnomalyScore.class).stream()
                                .filter(s -> s.getModelVersion().equals("1.0.1-it"))
                                .count();
            }
            assertThat(swapped).as("scores of the published version").isPositive();

            publish(
                    builtIn.metadata().withVersion("2.0.0-bad").toJson(),
                    "corrupt".getBytes(StandardCharsets.UTF_8),
                    "2.0.0-bad");
            DeadLetter rejected =
                    AvroTopics.await(
                            KAFKA,
                            topic("dead-letters"),
                            DeadLetter.class,
                            d -> "MODEL_REJECTED".equals(d.getReasonCode()));
            assertThat(rejected.getReason())
                    .startsWith("node-autoencoder 2.0.0-bad: artifact: ONNX Runtime cannot load");
            assertThat(rejected.getSourceTopic()).isEqualTo(topic("models"));

            Instant later = START.plus(Duration.ofMinutes(45));
            simulate(later, 2);
            AnomalyScore after =
                    AvroTopics.await(
                            KAFKA,
                            topic("anomalies"),
                            AnomalyScore.class,
                            s -> !s.getEventTime().isBefore(later));
            assertThat(after.getModelVersion()).isEqualTo("1.0.1-it");
            assertThat(AvroTopics.read(KAFKA, topic("anomalies"), AnomalyScore.class))
                    .extracting(AnomalyScore::getModelVersion)
                    .doesNotContain("2.0.0-bad", "fallback");
        } finally {
            job.cancel().get();
        }
    }

    private JobClient start() throws Exception {
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers", KAFKA.bootstrapServers(),
                            "--topic.telemetry", topic("telemetry"),
                            "--topic.models", topic("models"),
                            "--topic.anomalies", topic("anomalies"),
                            "--topic.dead-letters", topic("dead-letters"),
                            "--watermark.idleness", "0 s",
                            "--checkpoint.interval", "500 ms",
                            "--checkpoint.dir", checkpoints.toUri().toString(),
                            "--sink.transactional-id-prefix", prefix,
                            "--restart.attempts", "0",
                            "--inference.warm-up", "1 min"
                        },
                        NodeInferenceJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        NodeInferenceJob.configure(env, options);
        return env.executeAsync("node-inference-swap");
    }

    private void simulate(Instant from, int minutes) {
        SimulatorOptions options =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            KAFKA.bootstrapServers(),
                            "--rate",
                            "max",
                            "--duration",
                            minutes + "m",
                            "--start",
                            from.toString(),
                            "--scenarios",
                            "none",
                            "--topic-prefix",
                            prefix
                        },
                        Instant.now());
        assertThat(SimulatorMain.run(options)).isTrue();
    }

    private void publish(String metadata, byte[] onnx, String version) {
        ModelUpdate update =
                ModelUpdate.newBuilder()
                        .setModelName("node-autoencoder")
                        .setModelVersion(version)
                        .setAction("PUBLISH")
                        .setArtifact(ByteBuffer.wrap(onnx))
                        .setMetadataJson(metadata)
                        .setPublishedBy("it")
                        .setPublishedAt(Instant.now())
                        .build();
        KAFKA.produce(
                List.of(
                        new ProducerRecord<>(
                                topic("models"),
                                "node-autoencoder".getBytes(StandardCharsets.UTF_8),
                                AvroCodec.of(ModelUpdate.class).encode(update))));
    }

    private String topic(String name) {
        return prefix + name;
    }
}
