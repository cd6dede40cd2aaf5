package dev.vigil.operators.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.remediation.RemediationPlanner.Outcome;
import dev.vigil.schema.RemediationCommand;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemediationPlannerTest {

    static final long T0 = 1_795_000_000_000L;
    static final long MIN = 60_000L;

    static Trigger alert(String id, String rule, String severity, String node, long t) {
        Trigger x = new Trigger();
        x.kind = Trigger.ALERT;
        x.causeId = id;
        x.ruleId = rule;
        x.severity = severity;
        x.target = node;
        x.groupBy = "node";
        x.groupKey = node;
        x.eventTime = t;
        return x;
    }

    RemediationPlanner planner(RateLimits limits) {
        return new RemediationPlanner(PolicyCatalogue.builtIn(), limits);
    }

    @Test
    void aFloodOfAlertsGivesOneCommandPerCooldownAndTheSameCauseTheSameId() {
        RemediationPlanner p = planner(RateLimits.defaults());
        TargetState s = new TargetState();
        List<RemediationCommand> out = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        // 200 memory-leak alerts in 4 minutes, within one 5-minute cooldown
        for (int i = 0; i < 200; i++) {
            outcomes.addAll(
                    p.plan(
                            alert("a-" + i, "memory-leak", "SUSPICIOUS", "node-1", T0 + i * 1_200L),
                            s,
                            out));
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getAction()).isEqualTo("RESTART_SERVICE");
        assertThat(outcomes.stream().filter(o -> o == Outcome.COOLDOWN)).hasSize(199);
        // the same cause replayed after the cooldown is the same command: not sent twice
        List<RemediationCommand> again = new ArrayList<>();
        assertThat(
                        p.plan(
                                alert("a-0", "memory-leak", "SUSPICIOUS", "node-1", T0 + 6 * MIN),
                                s,
                                again))
                .containsExactly(Outcome.DUPLICATE);
        assertThat(again).isEmpty();
        // a fresh planner (a replay) derives the same id from the same cause
        List<RemediationCommand> replay = new ArrayList<>();
        planner(RateLimits.defaults())
                .plan(
                        alert("a-0", "memory-leak", "SUSPICIOUS", "node-1", T0),
                        new TargetState(),
                        replay);
        assertThat(replay.get(0).getCommandId()).isEqualTo(out.get(0).getCommandId());
        assertThat(out.get(0).getExpiresAt().toEpochMilli()).isEqualTo(T0 + 10 * MIN);
    }

    @Test
    void overloadEscalatesOneActionPerCooldownAndStartsAgainAfterQuiet() {
        RemediationPlanner p = planner(RateLimits.defaults());
        TargetState s = new TargetState();
        List<RemediationCommand> out = new ArrayList<>();
        for (long t : new long[] {0, 5 * MIN, 10 * MIN, 15 * MIN, 40 * MIN}) {
            p.plan(alert("ddos-" + t, "ddos", "MALICIOUS", "node-2", T0 + t), s, out);
        }
        // ddos is also a security breach (MALICIOUS): isolate + revoke, with approval, once per 10
        // min
        assertThat(
                        out.stream()
                                .filter(c -> c.getPolicyId().equals("server_overload"))
                                .map(RemediationCommand::getAction))
                .containsExactly(
                        "SCALE_UP",
                        "REDISTRIBUTE_LOAD",
                        "OPTIMIZE_PERFORMANCE",
                        "OPTIMIZE_PERFORMANCE",
                        "SCALE_UP");
        List<RemediationCommand> breach =
                out.stream().filter(c -> c.getPolicyId().equals("security_breach")).toList();
        assertThat(breach).allMatch(RemediationCommand::getRequiresApproval);
        assertThat(breach.stream().map(RemediationCommand::getAction))
                .containsExactly(
                        "ISOLATE_NODE",
                        "REVOKE_CREDENTIAL",
                        "ISOLATE_NODE",
                        "REVOKE_CREDENTIAL",
                        "ISOLATE_NODE",
                        "REVOKE_CREDENTIAL");
    }

    @Test
    void theTargetsTokenBucketCapsDistinctCauses() {
        RemediationPlanner p = planner(new RateLimits(3, 100, 100, 60_000L));
        TargetState s = new TargetState();
        List<RemediationCommand> out = new ArrayList<>();
        // different policies at once on one node: 4 decisions in one second, 3 tokens
        p.plan(alert("m", "memory-leak", "SUSPICIOUS", "node-3", T0), s, out);
        p.plan(alert("d", "disk-filling", "SUSPICIOUS", "node-3", T0 + 100), s, out);
        p.plan(alert("n", "network-congestion", "SUSPICIOUS", "node-3", T0 + 200), s, out);
        List<Outcome> fourth =
                p.plan(alert("o", "overheating", "SUSPICIOUS", "node-3", T0 + 300), s, out);
        assertThat(out).hasSize(3);
        assertThat(fourth).containsExactly(Outcome.RATE_LIMITED);
        // 20 s later a third of a token per 20 s has come back: one more after 20 s
        assertThat(p.plan(alert("o2", "overheating", "SUSPICIOUS", "node-3", T0 + 20_300), s, out))
                .containsExactly(Outcome.ISSUED);
    }

    @Test
    void predictionsMatchByFeatureAndProbability() {
        RemediationPlanner p = planner(RateLimits.defaults());
        Trigger t = new Trigger();
        t.kind = Trigger.FAILURE_PREDICTION;
        t.causeId = "prediction-node-4-1";
        t.target = "node-4";
        t.eventTime = T0;
        t.feature = "disk_percent.rate_15m";
        t.probability = 0.81;
        List<RemediationCommand> out = new ArrayList<>();
        p.plan(t, new TargetState(), out);
        assertThat(out).extracting(RemediationCommand::getAction).containsExactly("CLEAN_DISK");
        t.probability = 0.8; // the seed's threshold is "above 0.8"
        assertThat(p.plan(t, new TargetState(), new ArrayList<>()))
                .containsExactly(Outcome.NO_POLICY);
    }

    @Test
    void aBadCatalogueIsRejectedNamingThePolicyAndField() {
        assertThatThrownBy(
                        () ->
                                PolicyCatalogue.parse(
                                        "{\"policies\":[{\"id\":\"x\",\"actions\":[\"REBOOT\"],\"cooldown\":\"PT1M\",\"ttl\":\"PT1M\",\"match\":{\"kind\":\"ALERT\"}}]}"))
                .hasMessageContaining("policy x: action 'REBOOT' is not one of");
        assertThatThrownBy(
                        () ->
                                PolicyCatalogue.parse(
                                        "{\"policies\":[{\"id\":\"x\",\"actions\":[\"SCALE_UP\"],\"cooldown\":\"5m\",\"ttl\":\"PT1M\",\"match\":{\"kind\":\"ALERT\"}}]}"))
                .hasMessageContaining("policy x: cooldown '5m' is not an ISO-8601 duration");
        assertThat(PolicyCatalogue.builtIn().policies()).hasSize(9);
    }
}
