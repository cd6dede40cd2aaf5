package dev.vigil.operators.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules arriving, changing and leaving while the engine runs; state that must and must not stay.
 */
class RuleEngineLifecycleTest {

    static final long T = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    static final String FAILURES_V1 =
            """
            {"id": "three-failures", "version": 1, "title": "Three failures", "description": "d", "severity": "SUSPICIOUS",
             "groupBy": ["node"], "scope": {"field": "security.kind", "eq": "AUTH_FAILURE"},
             "steps": [{"name": "f", "where": {"field": "security.kind", "eq": "AUTH_FAILURE"}, "times": 3}],
             "within": "60s"}
            """;

    static final String FAILURES_V2 =
            FAILURES_V1
                    .replace("\"version\": 1", "\"version\": 2")
                    .replace("\"times\": 3", "\"times\": 2");

    @Test
    void anUpsertTakesEffectAndIsAcknowledged() throws Exception {
        try (RuleBench bench = new RuleBench(List.of())) {
            bench.command(RuleBench.command("three-failures", "UPSERT", 1, FAILURES_V1));
            bench.sendAll(failures("node-1", T, 3));
            bench.finish();

            assertThat(bench.alerts())
                    .extracting(ThreatAlert::getRuleId, ThreatAlert::getRuleVersion)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("three-failures", 1));
            assertThat(bench.acks())
                    .extracting(RuleAck::getStatus, RuleAck::getReason, RuleAck::getSignedBy)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("APPLIED", null, null));
        }
    }

    @Test
    void anAcknowledgementOfAVerifiedCommandNamesItsSigner() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(), true)) {
            // the rules source put the verified signer in issued_by
            RuleCommand c = RuleBench.command("three-failures", "UPSERT", 1, FAILURES_V1);
            c.setIssuedBy("operator/operator-0001");
            bench.command(c);
            bench.command(RuleBench.command("three-failures", "UPSERT", 1, FAILURES_V1));
            bench.finish();

            assertThat(bench.acks())
                    .extracting(RuleAck::getStatus, RuleAck::getSignedBy)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "APPLIED", "operator/operator-0001"),
                            org.assertj.core.groups.Tuple.tuple("REJECTED", "test"));
        }
    }

    @Test
    void poisonCommandsAreRejectedWithTheBoundAndTheEngineKeepsDetecting() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            bench.command(
                    RuleBench.command(
                            "three-failures",
                            "UPSERT",
                            2,
                            FAILURES_V2.replace("\"60s\"", "\"99999999999999999999s\"")));
            bench.command(
                    RuleBench.command(
                            "three-failures",
                            "UPSERT",
                            2,
                            FAILURES_V2.replace("\"times\": 2", "\"times\": 2000000000")));
            bench.command(
                    RuleBench.command(
                            "three-failures",
                            "UPSERT",
                            2,
                            "{\"pad\": \""
                                    + "x".repeat(70_000)
                                    + "\", "
                                    + FAILURES_V2.substring(FAILURES_V2.indexOf('{') + 1)));
            bench.command(RuleBench.command("x".repeat(100_000), "DELETE", 0, null));
            bench.sendAll(failures("node-1", T, 3));
            bench.finish();

            assertThat(bench.acks())
                    .extracting(RuleAck::getStatus, RuleAck::getReason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "REJECTED",
                                    "definition.within: '99999999999999999999s' is longer than"
                                            + " the 30 days a rule may span"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "REJECTED",
                                    "definition.steps[0].times: at most 100 repetitions are"
                                            + " allowed (each one is a state of the pattern)"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "REJECTED",
                                    "definition: the definition is larger than 65536 bytes"),
                            org.assertj.core.groups.Tuple.tuple(
                                    "REJECTED", "rule_id: must be 1-64 characters long"));
            // version 1 stays in force and still detects
            assertThat(bench.alerts())
                    .extracting(ThreatAlert::getRuleId, ThreatAlert::getRuleVersion)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("three-failures", 1));
        }
    }

    @Test
    void aNewVersionDropsPartialMatchesOfTheOldOne() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            bench.sendAll(failures("node-1", T, 2));
            bench.watermark(T + 10_000);
            assertThat(bench.engineStateEntries()).isPositive();

            bench.command(RuleBench.command("three-failures", "UPSERT", 2, FAILURES_V2));
            assertThat(bench.engineStateEntries()).isZero();
            // one more failure: v1 would have completed 2 + 1 = 3; v2 starts afresh and needs 2
            bench.sendAll(failures("node-1", T + 20_000, 1));
            bench.finish();
            assertThat(bench.alerts()).isEmpty();
        }
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            bench.command(RuleBench.command("three-failures", "UPSERT", 2, FAILURES_V2));
            bench.sendAll(failures("node-1", T, 2));
            bench.finish();
            assertThat(bench.alerts()).extracting(ThreatAlert::getRuleVersion).containsExactly(2);
        }
    }

    @Test
    void disableEnableAndDeleteChangeAlertsWithoutRestart() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            // commands apply to events evaluated after them; events are evaluated once the
            // watermark has passed them
            bench.command(RuleBench.command("three-failures", "DISABLE", 1, null));
            bench.sendAll(failures("node-1", T, 3));
            bench.watermark(T + 60_000);
            bench.command(RuleBench.command("three-failures", "ENABLE", 1, null));
            bench.sendAll(failures("node-2", T + 70_000, 3));
            bench.watermark(T + 130_000);
            bench.command(RuleBench.command("three-failures", "DELETE", 1, null));
            bench.sendAll(failures("node-3", T + 140_000, 3));
            bench.finish();

            assertThat(bench.alerts()).extracting(ThreatAlert::getNodeId).containsExactly("node-2");
            assertThat(bench.acks())
                    .extracting(RuleAck::getStatus)
                    .containsExactly("APPLIED", "APPLIED", "APPLIED");
            assertThat(bench.engineStateEntries()).isZero();
        }
    }

    @Test
    void invalidAndStaleCommandsAreRejectedWithTheirReason() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            bench.command(RuleBench.command("three-failures", "UPSERT", 1, FAILURES_V1));
            bench.command(
                    RuleBench.command(
                            "three-failures",
                            "UPSERT",
                            2,
                            FAILURES_V2.replace("\"times\": 2", "\"times\": 0")));
            bench.command(RuleBench.command("nope", "DISABLE", 0, null));
            bench.command(RuleBench.command("three-failures", "RENAME", 1, null));
            bench.command(RuleBench.command("other-id", "UPSERT", 2, FAILURES_V2));

            assertThat(bench.acks()).extracting(RuleAck::getStatus).containsOnly("REJECTED");
            assertThat(bench.acks())
                    .extracting(RuleAck::getReason)
                    .containsExactly(
                            "version: 1 is not newer than the version in force (1)",
                            "definition.steps[0].times: must be at least 1",
                            "rule_id: rule 'nope' does not exist",
                            "action: 'RENAME' is not one of UPSERT, ENABLE, DISABLE, DELETE",
                            "definition.id: 'three-failures' does not match the command's rule_id"
                                    + " 'other-id'");
            // still running the original rule
            bench.sendAll(failures("node-1", T, 3));
            bench.finish();
            assertThat(bench.alerts()).extracting(ThreatAlert::getRuleVersion).containsExactly(1);
        }
    }

    @Test
    void anEventBehindTheWatermarkIsEvaluatedInOrderUntilItsKeyHasPassedIt() throws Exception {
        try (RuleBench bench = new RuleBench(List.of(FAILURES_V1))) {
            // node-2's partition was read first: the watermark is past node-1's events when
            // they come, but node-1 has evaluated nothing yet
            bench.sendAll(failures("node-2", T + 60_000, 1));
            bench.sendAll(failures("node-1", T, 3));
            bench.watermark(T + 120_000);
            assertThat(bench.alerts())
                    .extracting(ThreatAlert::getRuleId, ThreatAlert::getNodeId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("three-failures", "node-1"));
            assertThat(bench.late()).isEmpty();

            // node-1 has a partial match evaluated up to T + 130 s: an older event is late for it
            bench.sendAll(failures("node-1", T + 130_000, 1));
            bench.watermark(T + 131_000);
            bench.sendAll(failures("node-1", T + 125_000, 1));
            assertThat(bench.late()).extracting(e -> e.timestamp()).containsExactly(T + 125_000);
        }
    }

    @Test
    void aKeyThatFallsSilentLeavesNoState() throws Exception {
        try (RuleBench bench = new RuleBench(RuleCatalogue.builtIn())) {
            // partial matches of three rules: brute force, beaconing, privilege escalation
            bench.sendAll(failures("node-1", T, 4));
            bench.send(
                    Ev.sec("node-1", T + 5_000, "AUTH_SUCCESS")
                            .user("guest")
                            .src("203.0.113.4")
                            .build());
            bench.send(
                    Ev.sec("node-1", T + 6_000, "CONNECTION")
                            .src("10.0.0.1")
                            .dst("198.51.100.2", 443)
                            .build());
            bench.watermark(T + 8_000);
            assertThat(bench.engineStateEntries()).isPositive();

            // time passes beyond every rule's window, with nothing more from node-1
            bench.watermark(T + 4 * 3_600_000L);
            assertThat(bench.alerts()).extracting(ThreatAlert::getRuleId).isEmpty();
            assertThat(bench.engineStateEntries()).isZero();
            assertThat(bench.engineTimers()).isZero();
        }
    }

    @Test
    void rulesPartialMatchesAndSuppressionSurviveFailover() throws Exception {
        try (RuleBench bench =
                new RuleBench(
                        List.of(
                                FAILURES_V1.replace(
                                        "\"within\": \"60s\"",
                                        "\"within\": \"60s\", \"suppressFor\": \"10m\"")))) {
            bench.command(
                    RuleBench.command(
                            "three-failures",
                            "UPSERT",
                            2,
                            FAILURES_V2.replace(
                                    "\"within\": \"60s\"",
                                    "\"within\": \"60s\", \"suppressFor\": \"10m\"")));
            bench.sendAll(failures("node-1", T, 2)); // alert 1
            bench.sendAll(failures("node-1", T + 10_000, 2)); // suppressed
            bench.sendAll(failures("node-1", T + 20_000, 1)); // partial match open
            bench.watermark(T + 21_000);
            bench.failOverEngine();

            bench.sendAll(
                    failures(
                            "node-1",
                            T + 30_000,
                            1)); // completes the restored partial match: suppressed
            bench.sendAll(
                    failures(
                            "node-1",
                            T + 700_000,
                            2)); // after the window: alert carrying the count
            bench.finish();

            List<ThreatAlert> all = new ArrayList<>(bench.restoredAlerts);
            all.addAll(bench.alerts());
            assertThat(all).extracting(ThreatAlert::getRuleVersion).containsExactly(2, 2);
            assertThat(all).extracting(ThreatAlert::getSuppressedCount).containsExactly(0L, 2L);
        }
    }

    static List<TelemetryEvent> failures(String node, long from, int count) {
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(
                    Ev.sec(node, from + i * 1000L, "AUTH_FAILURE")
                            .user("root")
                            .src("203.0.113.9")
                            .reason("BAD_PASSWORD")
                            .build());
        }
        return events;
    }
}
