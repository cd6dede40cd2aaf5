package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.ModelBundle;
import dev.vigil.models.ModelMetadata;
import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.models.NodeFeatures;
import dev.vigil.models.OnnxScorer;
import dev.vigil.models.Scores;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.ModelUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelInferenceOperatorTest {

    private static final long T0 = 1_767_225_600_000L;
    private static ModelBundle autoencoder;
    private static ModelBundle failure;
    private static OnnxScorer reference;

    @BeforeAll
    static void load() {
        autoencoder = ModelBundle.builtIn("node-autoencoder");
        failure = ModelBundle.builtIn("failure-predictor");
        reference = OnnxScorer.load(autoencoder, new float[1][NodeFeatures.SIZE]);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    private static TwoInputStreamOperatorTestHarness<
                    NodeFeatureVector, IngestedModelUpdate, AnomalyScore>
            harness(int batchSize, boolean builtIns) throws Exception {
        return harness(operator(batchSize, builtIns));
    }

    private static TwoInputStreamOperatorTestHarness<
                    NodeFeatureVector, IngestedModelUpdate, AnomalyScore>
            harness(ModelInferenceOperator operator) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(operator);
    }

    private static ModelInferenceOperator operator(int batchSize, boolean builtIns) {
        return new ModelInferenceOperator(
                batchSize,
                Duration.ofMillis(100),
                builtIns,
                new DeadLetterFactory("test", () -> 0L));
    }

    /** A node that ran steadily, then (when {@code hot}) heats up fast. */
    static NodeFeatureVector vector(String node, long t, boolean hot) {
        NodeFeatureWindow w = new NodeFeatureWindow();
        for (int s = 0; s <= 600; s++) {
            double temperature = hot && s > 540 ? 30 + (s - 540) * 0.25 : 30;
            w.add(
                    t - (600 - s) * 1000L,
                    NodeFeatureWindow.values(
                            20.0 + (s % 7),
                            55.0,
                            40.0,
                            20_000L,
                            10_000L,
                            0.1,
                            15.0,
                            temperature,
                            0.01,
                            90.0,
                            1000L));
        }
        return new NodeFeatureVector("hub-01", "eu-west-1", "eu-west-1-c01", node, t, w.features());
    }

    private static void send(
            TwoInputStreamOperatorTestHarness<NodeFeatureVector, IngestedModelUpdate, AnomalyScore>
                    h,
            NodeFeatureVector v)
            throws Exception {
        h.processElement1(new StreamRecord<>(v, v.eventTime));
    }

    private static List<AnomalyScore> scores(
            TwoInputStreamOperatorTestHarness<NodeFeatureVector, IngestedModelUpdate, AnomalyScore>
                    h) {
        List<AnomalyScore> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((AnomalyScore) r.getValue());
            }
        }
        return out;
    }

    static IngestedModelUpdate publish(ModelBundle bundle, String version, boolean shadow) {
        ModelMetadata m = bundle.metadata();
        ModelMetadata renamed = m.withVersion(version);
        return update(m.name(), version, bundle.onnx(), renamed.toJson(), null, shadow, "PUBLISH");
    }

    static IngestedModelUpdate update(
            String name,
            String version,
            byte[] onnx,
            String metadata,
            String sha,
            boolean shadow,
            String action) {
        ModelUpdate u =
                ModelUpdate.newBuilder()
                        .setModelName(name)
                        .setModelVersion(version)
                        .setAction(action)
                        .setArtifact(onnx == null ? null : ByteBuffer.wrap(onnx))
                        .setMetadataJson(metadata)
                        .setArtifactSha256(sha)
                        .setShadow(shadow)
                        .setPublishedBy("test")
                        .setPublishedAt(Instant.ofEpochMilli(T0))
                        .build();
        return IngestedModelUpdate.of(u, "models", 0, 7, T0);
    }

    private static List<DeadLetter> rejected(
            TwoInputStreamOperatorTestHarness<NodeFeatureVector, IngestedModelUpdate, AnomalyScore>
                    h) {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side =
                h.getSideOutput(ModelInferenceOperator.REJECTED_MODELS);
        List<DeadLetter> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void scoresInMicroBatchesExactlyAsTheModelScoresOneVector() throws Exception {
        ModelInferenceOperator operator = operator(4, true);
        try (var h = harness(operator)) {
            h.open();
            List<NodeFeatureVector> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                NodeFeatureVector v = vector("node-" + i, T0 + i * 1000L, i == 3);
                sent.add(v);
                send(h, v);
            }
            assertThat(scores(h)).hasSize(8); // two full batches; two vectors wait
            h.setProcessingTime(100); // the flush timer
            List<AnomalyScore> out = scores(h);
            assertThat(out).hasSize(10);
            assertThat(out)
                    .extracting(AnomalyScore::getNodeId)
                    .containsExactly(sent.stream().map(v -> v.nodeId).toArray(String[]::new));
            for (int i = 0; i < 10; i++) {
                AnomalyScore s = out.get(i);
                float[] row = new float[NodeFeatures.SIZE];
                autoencoder.input(sent.get(i).features, row);
                float[] reconstruction = reference.run(new float[][] {row})[0];
                double expected =
                        Scores.reconstructionError(
                                row, reconstruction, new double[NodeFeatures.SIZE]);
                assertThat(s.getScore()).isCloseTo(expected, within(1e-6 * (1 + expected)));
                assertThat(s.getModelName()).isEqualTo("node-autoencoder");
                assertThat(s.getModelVersion()).isEqualTo(autoencoder.version());
                assertThat(s.getThreshold()).isEqualTo(autoencoder.metadata().threshold());
                assertThat(s.getAnomalous()).isEqualTo(s.getScore() > s.getThreshold());
                assertThat(s.getFailureProbability()).isBetween(0.0, 1.0);
                assertThat(s.getEventTime().toEpochMilli()).isEqualTo(sent.get(i).eventTime);
                assertThat(s.getTopFeatures()).hasSize(3);
            }
            // the heating node, and only it, stands out and blames temperature
            AnomalyScore hot = out.get(3);
            assertThat(hot.getAnomalous()).isTrue();
            assertThat(out).filteredOn(AnomalyScore::getAnomalous).containsExactly(hot);
            assertThat(hot.getTopFeatures().get(0).getFeature()).startsWith("temperature.");
            // the batch-size metric saw the three model calls: 4, 4 and the timer's 2
            var sizes = operator.batchSizes();
            assertThat(sizes.getCount()).isEqualTo(3);
            assertThat(sizes.getStatistics().getMin()).isEqualTo(2);
            assertThat(sizes.getStatistics().getMax()).isEqualTo(4);
            assertThat(sizes.getStatistics().getMean()).isCloseTo(10 / 3.0, within(1e-9));
        }
    }

    @Test
    void aWatermarkAndACheckpointFlushTheBufferFirst() throws Exception {
        try (var h = harness(100, true)) {
            h.open();
            send(h, vector("node-a", T0, false));
            h.processBothWatermarks(new Watermark(T0 + 1));
            assertThat(h.getOutput()).hasSize(2);
            assertThat(((StreamRecord<?>) h.getOutput().peek()).getValue())
                    .isInstanceOf(AnomalyScore.class);
            send(h, vector("node-b", T0 + 5000, false));
            h.prepareSnapshotPreBarrier(1);
            assertThat(scores(h))
                    .extracting(AnomalyScore::getNodeId)
                    .containsExactly("node-a", "node-b");
        }
    }

    @Test
    void aVersionNotNewerThanTheServingOneIsRejectedUnlessForced() throws Exception {
        try (var h = harness(1, true)) {
            h.open();
            h.processElement2(new StreamRecord<>(publish(autoencoder, "2.0.0", false)));
            // back to 1.5.0, and the serving version again
            h.processElement2(new StreamRecord<>(publish(autoencoder, "1.5.0", false)));
            h.processElement2(new StreamRecord<>(publish(autoencoder, "2.0.0", false)));
            send(h, vector("node-a", T0, false));
            assertThat(rejected(h))
                    .extracting(DeadLetter::getReasonCode, DeadLetter::getReason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "MODEL_REJECTED",
                                    "node-autoencoder 1.5.0: model_version: 1.5.0 is not newer"
                                            + " than the serving 2.0.0 (publish with --force to go"
                                            + " back to it)"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "MODEL_REJECTED",
                                    "node-autoencoder 2.0.0: model_version: 2.0.0 is not newer"
                                            + " than the serving 2.0.0 (publish with --force to go"
                                            + " back to it)"));
            // forced, the older version serves
            IngestedModelUpdate forced = publish(autoencoder, "1.5.0", false);
            forced.update.setForce(true);
            h.processElement2(new StreamRecord<>(forced));
            send(h, vector("node-a", T0 + 5000, false));
            assertThat(scores(h))
                    .extracting(AnomalyScore::getModelVersion)
                    .containsExactly("2.0.0", "1.5.0");
            assertThat(rejected(h)).hasSize(2);
        }
    }

    @Test
    void aPublishedVersionServesAtOnceAndAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(1, true)) {
            h.open();
            send(h, vector("node-a", T0, false));
            h.processElement2(new StreamRecord<>(publish(autoencoder, "2.0.0", false)));
            send(h, vector("node-a", T0 + 5000, false));
            assertThat(scores(h))
                    .extracting(AnomalyScore::getModelVersion)
                    .containsExactly(autoencoder.version(), "2.0.0");
            assertThat(rejected(h)).isEmpty();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(1, true)) {
            h.initializeState(snapshot);
            h.open();
            send(h, vector("node-a", T0 + 10_000, false));
            assertThat(scores(h))
                    .extracting(AnomalyScore::getModelVersion)
                    .containsExactly("2.0.0");
        }
    }

    @Test
    void brokenModelsAreRejectedWithAReasonAndTheOldOneKeepsServing() throws Exception {
        String aeJson = autoencoder.metadata().toJson();
        try (var h = harness(1, true)) {
            h.open();
            // a corrupt file
            h.processElement2(
                    new StreamRecord<>(
                            update(
                                    "node-autoencoder",
                                    autoencoder.version(),
                                    "not an onnx file".getBytes(StandardCharsets.UTF_8),
                                    aeJson,
                                    null,
                                    false,
                                    "PUBLISH")));
            // a feature this job does not compute
            h.processElement2(
                    new StreamRecord<>(
                            update(
                                    "node-autoencoder",
                                    autoencoder.version(),
                                    autoencoder.onnx(),
                                    aeJson.replace("\"cpu.last\"", "\"gpu.last\""),
                                    null,
                                    false,
                                    "PUBLISH")));
            // the failure predictor's file behind autoencoder metadata: wrong output shape
            h.processElement2(
                    new StreamRecord<>(
                            update(
                                    "node-autoencoder",
                                    autoencoder.version(),
                                    failure.onnx(),
                                    aeJson,
                                    null,
                                    false,
                                    "PUBLISH")));
            // a hash that does not match
            h.processElement2(
                    new StreamRecord<>(
                            update(
                                    "node-autoencoder",
                                    autoencoder.version(),
                                    autoencoder.onnx(),
                                    aeJson,
                                    "00".repeat(32),
                                    false,
                                    "PUBLISH")));
            List<DeadLetter> dead = rejected(h);
            assertThat(dead).extracting(DeadLetter::getReasonCode).containsOnly("MODEL_REJECTED");
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .satisfiesExactly(
                            r -> assertThat(r).contains("artifact: ONNX Runtime cannot load"),
                            r -> assertThat(r).contains("features: unknown feature 'gpu.last'"),
                            r ->
                                    assertThat(r)
                                            .contains("output shape: expected [")
                                            .contains(
                                                    ", "
                                                            + NodeFeatures.SIZE
                                                            + "] for a AUTOENCODER, got [")
                                            .contains(", 1]"),
                            r -> assertThat(r).contains("artifact_sha256: the artifact hashes to"));
            assertThat(dead.get(0).getSourceTopic()).isEqualTo("models");
            assertThat(dead.get(0).getSourceOffset()).isEqualTo(7);

            send(h, vector("node-a", T0, false));
            assertThat(scores(h))
                    .extracting(AnomalyScore::getModelVersion)
                    .containsExactly(autoencoder.version());
        }
    }

    @Test
    void retiringFallsBackToNeutralScoresAndShadowsScoreOnTheSide() throws Exception {
        try (var h = harness(1, true)) {
            h.open();
            h.processElement2(new StreamRecord<>(publish(autoencoder, "1.1.0-rc", true)));
            send(h, vector("node-a", T0, true));
            var shadow = h.getSideOutput(ModelInferenceOperator.SHADOW_SCORES);
            assertThat(shadow).hasSize(1);
            assertThat(shadow.peek().getValue().getModelVersion()).isEqualTo("1.1.0-rc");
            assertThat(shadow.peek().getValue().getScore()).isEqualTo(scores(h).get(0).getScore());
            assertThat(scores(h).get(0).getModelVersion()).isEqualTo(autoencoder.version());

            h.processElement2(
                    new StreamRecord<>(
                            update("node-autoencoder", "-", null, null, null, false, "RETIRE")));
            h.processElement2(
                    new StreamRecord<>(
                            update("failure-predictor", "-", null, null, null, false, "RETIRE")));
            send(h, vector("node-a", T0 + 5000, true));
            AnomalyScore fallback = scores(h).get(1);
            assertThat(fallback.getModelVersion()).isEqualTo(ModelInferenceOperator.FALLBACK);
            assertThat(fallback.getScore()).isZero();
            assertThat(fallback.getAnomalyStrength()).isZero();
            assertThat(fallback.getAnomalous()).isFalse();
            assertThat(fallback.getFailureProbability()).isNull();
        }
    }

    @Test
    void withoutBuiltInsScoresAreFallbacksUntilAModelIsPublished() throws Exception {
        try (var h = harness(1, false)) {
            h.open();
            send(h, vector("node-a", T0, false));
            h.processElement2(new StreamRecord<>(publish(failure, "3.0.0", false)));
            send(h, vector("node-a", T0 + 5000, false));
            List<AnomalyScore> out = scores(h);
            assertThat(out.get(0).getModelVersion()).isEqualTo(ModelInferenceOperator.FALLBACK);
            assertThat(out.get(0).getFailureProbability()).isNull();
            assertThat(out.get(1).getModelVersion()).isEqualTo(ModelInferenceOperator.FALLBACK);
            assertThat(out.get(1).getFailureProbability()).isNotNull();
        }
    }
}
