package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.Scores;
import dev.vigil.schema.AnomalyScore;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class NodeScoreCalibrationTest {

    static final long T = Instant.parse("2026-03-04T00:00:00Z").toEpochMilli();
    static final double THRESHOLD = 1.0;

    static AnomalyScore score(String node, long time, double score) {
        return AnomalyScore.newBuilder()
                .setHub("hub-01")
                .setRegion("r")
                .setCluster("c")
                .setNodeId(node)
                .setModelName("node-autoencoder")
                .setModelVersion("1.0.0")
                .setScore(score)
                .setThreshold(THRESHOLD)
                .setAnomalous(score > THRESHOLD)
                .setAnomalyStrength(Scores.strength(score, THRESHOLD))
                .setTopFeatures(List.of())
                .setEventTime(Instant.ofEpochMilli(time))
                .setScoredAt(Instant.ofEpochMilli(time))
                .build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AnomalyScore, AnomalyScore>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new NodeScoreCalibration(), AnomalyScore::getNodeId, Types.STRING);
    }

    @Test
    void aNodeThatReconstructsWorseEverywhereIsQuietAndItsOwnSpikeStillStandsOut()
            throws Exception {
        try (var h = harness()) {
            h.open();
            // a foreign node: its normal error is 8x the training threshold, with some noise
            for (int i = 0; i < 400; i++) {
                double noise = 1 + 0.1 * Math.sin(i * 1.7);
                h.processElement(score("n1", T + i * 5_000L, 8 * noise), T + i * 5_000L);
            }
            List<AnomalyScore> quiet = h.extractOutputValues();
            assertThat(quiet).hasSize(400).noneMatch(AnomalyScore::getAnomalous);
            // its strength is measured against its own level: about half-way, not near 1
            assertThat(quiet.get(399).getAnomalyStrength()).isBetween(0.2, 0.5);
            // a spike of 40 (5x its normal) is unusual for it
            h.processElement(score("n1", T + 400 * 5_000L, 40), T + 400 * 5_000L);
            AnomalyScore spike = h.extractOutputValues().get(400);
            assertThat(spike.getAnomalous()).isTrue();
            assertThat(spike.getThreshold()).isBetween(8.0, 40.0);
            assertThat(spike.getAnomalyStrength()).isGreaterThan(0.5);
        }
    }

    @Test
    void aNodeStartsQuietAndAnIncidentDoesNotTeachItThatItIsNormal() throws Exception {
        try (var h = harness()) {
            h.open();
            long t = T;
            for (int i = 0; i < NodeScoreCalibration.WARM_UP; i++, t += 5_000) {
                h.processElement(score("n2", t, 0.3), t);
            }
            // another node, in its own warm-up: even a score far above the model's threshold is
            // learned, not flagged (a node starts quiet)
            h.processElement(score("n3", t, 50), t);
            // an incident on n2: every score above the model's threshold and the node's bound
            for (int i = 0; i < 200; i++, t += 5_000) {
                h.processElement(score("n2", t, 5), t);
            }
            List<AnomalyScore> out = h.extractOutputValues();
            assertThat(out.subList(0, NodeScoreCalibration.WARM_UP))
                    .noneMatch(AnomalyScore::getAnomalous);
            assertThat(out.get(NodeScoreCalibration.WARM_UP).getAnomalous()).isFalse(); // n3
            assertThat(out.subList(NodeScoreCalibration.WARM_UP + 1, out.size()))
                    .hasSize(200)
                    .allMatch(AnomalyScore::getAnomalous);
            // below the model's threshold nothing is anomalous, however unusual for the node
            h.processElement(score("n2", t, 0.9), t);
            assertThat(h.extractOutputValues().get(out.size()).getAnomalous()).isFalse();
        }
    }
}
