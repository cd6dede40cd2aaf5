package dev.vigil.operators.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.engine.AnomalyRiskJoin;
import dev.vigil.operators.threat.engine.RiskScorer;
import dev.vigil.operators.threat.rules.Severity;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AnomalyRiskJoinTest {

    private static final long T = 1_767_225_600_000L;

    /** Scores 5 s apart; 500 ms cadence assumed at first (a 2 s wait); waits of 30 s at most. */
    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ThreatAlert, AnomalyScore, ThreatAlert>
            harness() throws Exception {
        return harness(Duration.ofSeconds(30));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ThreatAlert, AnomalyScore, ThreatAlert>
            harness(Duration maxWait) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                        new AnomalyRiskJoin(
                                Duration.ofMinutes(1),
                                Duration.ofSeconds(5),
                                Duration.ofMillis(500),
                                maxWait,
                                Duration.ofMinutes(2))),
                ThreatAlert::getNodeId,
                AnomalyScore::getNodeId,
                Types.STRING);
    }

    static ThreatAlert alert(String id, String node, long lastEventTime) {
        double risk = RiskScorer.score(Severity.MALICIOUS, RiskScorer.NEUTRAL, RiskScorer.NEUTRAL);
        return ThreatAlert.newBuilder()
                .setAlertId(id)
                .setRuleId("rule")
                .setRuleVersion(1)
                .setTitle("t")
                .setSeverity("MALICIOUS")
                .setMitreTechnique("T1110")
                .setGroupBy("node")
                .setGroupKey(node)
                .setHub("hub-01")
                .setRegion("r")
                .setCluster("c")
                .setNodeId(node)
                .setRiskScore(risk)
                .setRiskLevel(RiskScorer.level(risk))
                .setAnomalyComponent(RiskScorer.NEUTRAL)
                .setBehaviouralComponent(RiskScorer.NEUTRAL)
                .setEvidence(List.of())
                .setFirstEventTime(Instant.ofEpochMilli(lastEventTime - 1000))
                .setLastEventTime(Instant.ofEpochMilli(lastEventTime))
                .setDetectedAt(Instant.ofEpochMilli(lastEventTime))
                .setDetectionLatencyMs(0)
                .setSuppressedCount(0)
                .build();
    }

    static AnomalyScore score(String node, long time, double strength) {
        return AnomalyScore.newBuilder()
                .setHub("hub-01")
                .setRegion("r")
                .setCluster("c")
                .setNodeId(node)
                .setModelName("node-autoencoder")
                .setModelVersion("1.0.0")
                .setScore(strength)
                .setThreshold(1.0)
                .setAnomalous(strength > 0.5)
                .setAnomalyStrength(strength)
                .setTopFeatures(List.of())
                .setEventTime(Instant.ofEpochMilli(time))
                .setScoredAt(Instant.ofEpochMilli(time))
                .build();
    }

    @Test
    void anAlertTakesTheNodesScoreAtItsTimeOnceALaterScoreOfTheNodeHasArrived() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(score("node-a", T - 65_000, 0.99), T - 65_000); // too old
            h.processElement2(score("node-a", T - 10_000, 0.8), T - 10_000);
            h.processElement1(alert("a1", "node-a", T), T);
            // a watermark past the alert (the anomalies input idle) says nothing about node-a's
            // scores up to T
            h.processBothWatermarks(new Watermark(T + 60_000));
            h.processElement2(score("node-b", T + 5_000, 0.1), T + 5_000);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement2(score("node-a", T + 5_000, 0.1), T + 5_000); // after the alert
            List<ThreatAlert> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getAnomalyComponent()).isEqualTo(0.8);
            // 0.3 · 0.8 + 0.4 · 0.7 (malicious) + 0.3 · 0.5 = 0.67
            assertThat(out.get(0).getRiskScore()).isEqualTo(0.67);
            assertThat(out.get(0).getRiskLevel()).isEqualTo("HIGH");
        }
    }

    @Test
    void withoutAScoreInRangeTheAnomalyInputStaysNeutral() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(score("node-b", T - 10_000, 0.9), T - 10_000); // another node
            h.processElement2(score("node-a", T - 90_000, 0.9), T - 90_000); // stale
            ThreatAlert a = alert("a2", "node-a", T);
            h.processElement1(a, T);
            h.processElement2(score("node-a", T + 1, 0.9), T + 1); // after the alert
            assertThat(h.extractOutputValues()).containsExactly(a);
        }
    }

    @Test
    void theEndOfABoundedInputReleasesEveryWaitingAlert() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement2(score("node-a", T - 6_000, 0.7), T - 6_000);
            h.processElement1(alert("a6", "node-a", T), T);
            h.processBothWatermarks(new Watermark(T + 600_000));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processBothWatermarks(Watermark.MAX_WATERMARK);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(0.7);
        }
    }

    @Test
    void aLateInferenceJobDelaysAnAlertByAtMostTheMaximumWait() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement2(score("node-a", T - 6_000, 0.6), T - 6_000);
            h.processElement1(alert("a3", "node-a", T), T);
            h.setProcessingTime(1_000);
            h.processElement1(alert("a4", "node-a", T + 500), T + 500);
            h.setProcessingTime(1_999);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(2_000);
            List<ThreatAlert> out = h.extractOutputValues();
            // each alert waits from its own arrival
            assertThat(out).extracting(ThreatAlert::getAlertId).containsExactly("a3");
            assertThat(out.get(0).getAnomalyComponent()).isEqualTo(0.6);
            h.setProcessingTime(3_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId)
                    .containsExactly("a3", "a4");
            // the scores come later: nothing is emitted twice
            h.processElement2(score("node-a", T + 10_000, 0.1), T + 10_000);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void anAlertWithinTheScoreIntervalAfterItsNodesNewestScoreGoesOutAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement2(score("node-a", T - 3_000, 0.6), T - 3_000);
            // the node's next score is at T + 2 s or later: nothing can change this alert's risk
            h.processElement1(alert("a7", "node-a", T), T);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(0.6);
            // at T + 2 s a score of the node may still come at or before the alert
            h.processElement1(alert("a8", "node-a", T + 2_000), T + 2_000);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.processElement2(score("node-a", T + 1_999, 0.9), T + 1_999);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(0.6, 0.9);
        }
    }

    @Test
    void theWaitIsTwiceTheLongestRecentGapBetweenScoreBatchesPlusASecond() throws Exception {
        try (var h = harness()) {
            h.open();
            // batches of the inference job's commits, 10 s apart: two nodes' scores each
            for (long commit = 0; commit <= 20_000; commit += 10_000) {
                h.setProcessingTime(commit);
                h.processElement2(score("node-b", T + commit - 60_000, 0.1), T);
                h.setProcessingTime(commit + 100);
                h.processElement2(score("node-c", T + commit - 60_000, 0.1), T);
            }
            h.setProcessingTime(20_100);
            h.processElement1(alert("a9", "node-a", T), T);
            h.setProcessingTime(41_099);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(41_100);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(RiskScorer.NEUTRAL);
        }
        try (var h = harness(Duration.ofSeconds(15))) {
            h.open();
            for (long commit = 0; commit <= 20_000; commit += 10_000) {
                h.setProcessingTime(commit);
                h.processElement2(score("node-b", T + commit - 60_000, 0.1), T);
            }
            h.processElement1(alert("a10", "node-a", T), T);
            h.setProcessingTime(34_999);
            assertThat(h.extractOutputValues()).isEmpty();
            // never longer than the maximum wait
            h.setProcessingTime(35_000);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void anAlertBehindTheNodesScoresIsJoinedAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement2(score("node-a", T, 1.0), T);
            h.processElement2(score("node-a", T + 5_000, 0.2), T + 5_000);
            h.processElement1(alert("a5", "node-a", T + 1_000), T + 1_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(1.0);
        }
    }

    /**
     * Two alerts waiting at a checkpoint, their deadlines long past when the job is back (the fault
     * suite: a TaskManager killed, the inference job restoring for longer than the wait): they wait
     * for scores to flow again, as they would have without the restart.
     */
    @Test
    void afterARestoreAlertsWaitUntilScoresFlowAgain() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot = waitingAtRestart();
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // the restored deadlines (2 s) fire at once: node-c, never scored, has nothing to wait
            // for; node-a's alert waits, no score having arrived since the start
            h.setProcessingTime(60_000);
            h.setProcessingTime(66_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId, ThreatAlert::getAnomalyComponent)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("c", RiskScorer.NEUTRAL));
            // the inference job is back: node-a's own score decides its alert at once
            h.setProcessingTime(66_500);
            h.processElement2(score("node-a", T + 5_000, 0.1), T + 5_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId, ThreatAlert::getAnomalyComponent)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c", RiskScorer.NEUTRAL),
                            org.assertj.core.groups.Tuple.tuple("a", 0.6));
        }
    }

    @Test
    void withTheInferenceJobDownAfterARestoreAlertsWaitAtMostTheOutageBound() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot = waitingAtRestart();
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(60_000);
            h.setProcessingTime(179_999);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId)
                    .containsExactly("c");
            // two minutes after the start
            h.setProcessingTime(180_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId, ThreatAlert::getAnomalyComponent)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c", RiskScorer.NEUTRAL),
                            org.assertj.core.groups.Tuple.tuple("a", 0.6));
            // later alerts wait their usual 2 s, the inference job still silent
            h.processElement1(alert("d", "node-a", T + 60_000), T + 60_000);
            h.setProcessingTime(181_999);
            assertThat(h.extractOutputValues()).hasSize(2);
            h.setProcessingTime(182_000);
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }

    /** node-a scored up to T - 6 s, alerts at T for node-a and node-c, both waiting (2 s). */
    private static org.apache.flink.runtime.checkpoint.OperatorSubtaskState waitingAtRestart()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement2(score("node-a", T - 6_000, 0.6), T - 6_000);
            h.processElement1(alert("a", "node-a", T), T);
            h.processElement1(alert("c", "node-c", T), T);
            assertThat(h.extractOutputValues()).isEmpty();
            return h.snapshot(1, 1);
        }
    }

    @Test
    void waitingAlertsSurviveARestoreAndAreReleasedInEventTimeOrder() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement1(alert("b", "node-a", T + 2_000), T + 2_000);
            h.processElement1(alert("a", "node-a", T + 1_000), T + 1_000);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(0);
            h.processElement2(score("node-a", T + 3_000, 0.9), T + 3_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAlertId)
                    .containsExactly("a", "b");
        }
    }

    @Test
    void aNodeWhoseScoresStopLeavesNothingBehind() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            for (int i = 0; i < 60; i++) {
                h.processElement2(score("n1", T + 5_000L * i, 0.01 * i), T + 5_000L * i);
            }
            long last = T + 5_000L * 59;
            h.processBothWatermarks(new Watermark(last));
            h.processElement1(alert("a1", "n1", last - 2_000), last - 2_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(0.01 * 58);
            // the strengths, the oldest bucket, the newest score time
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            // more than twice the staleness (2 min) behind the newest score: pruned, neutral
            h.processElement1(alert("a2", "n1", last - 150_000), last - 150_000);
            assertThat(h.extractOutputValues())
                    .extracting(ThreatAlert::getAnomalyComponent)
                    .containsExactly(0.01 * 58, RiskScorer.NEUTRAL);

            long quiet = last + 120_000 + AnomalyRiskJoin.QUIET_RETENTION_MILLIS;
            h.processBothWatermarks(new Watermark(quiet));
            assertThat(h.numKeyedStateEntries()).isEqualTo(3); // not yet quiet long enough
            h.processBothWatermarks(new Watermark(quiet + 60_000));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
