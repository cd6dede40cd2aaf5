package dev.vigil.jobs.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.audit.CommandSignatures;
import dev.vigil.audit.EdgeAgentVerifier;
import dev.vigil.audit.EdgeAgentVerifier.Verdict;
import dev.vigil.audit.HybridPublicKeys;
import dev.vigil.audit.HybridSigner;
import dev.vigil.audit.KeyStoreDirectory;
import dev.vigil.jobs.common.AvroTopics;
import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.MiniClusters;
import dev.vigil.local.testing.KafkaBrokerExtension;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.remediation.PolicyCatalogue;
import dev.vigil.operators.remediation.RemediationPlanner;
import dev.vigil.operators.remediation.RemediationPolicy;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.FeatureContribution;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remediation job on a real broker: a flood of identical-cause alerts gives one command per
 * cooldown, a burst of breaches on ten nodes is held to the per-action budget, a failure prediction
 * picks the policy of its leading feature; every command is signed and an edge agent accepts it for
 * its own node (and rejects a forgery); a replay writes byte-identical commands.
 */
class RemediationJobITCase {

    static final long T0 = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();
    static final String PREFIX =
            "remediation-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    static final String PASSWORD = "remediation-itcase-password";

    @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.twoSlots();

    @TempDir static Path dir;
    static Map<String, HybridPublicKeys> keys;
    static List<RemediationCommand> commands;
    static List<RemediationResult> decided;

    @BeforeAll
    static void produceAndRun() throws Exception {
        KeyStoreDirectory.openOrCreate(
                dir.resolve("keys"), PASSWORD.toCharArray(), new SecureRandom());
        keys = KeyStoreDirectory.readPublicKeys(dir.resolve("keys/public"));
        // alerts in one partition, in time order: the fleet-wide budget is shared by every
        // node's commands, so the burst must not lie behind the flood in its partition (late),
        // nor in a partition of its own whose reading order decides (docs/RELIABILITY.md, "What
        // still depends on timing")
        KAFKA.createTopics(1, PREFIX + "alerts");
        KAFKA.createTopics(4, PREFIX + "anomalies");
        KAFKA.createTopics(1, PREFIX + "approvals", PREFIX + "remediation-results");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // a flood: 240 memory-leak alerts on node-1 over 4 minutes (one cooldown is 5)
        for (int i = 0; i < 240; i++) {
            records.add(
                    record(
                            "alerts",
                            T0 + i * 1_000L,
                            alert(
                                    "leak-" + i,
                                    "memory-leak",
                                    "SUSPICIOUS",
                                    "node-1",
                                    T0 + i * 1_000L)));
        }
        // a burst: brute force on ten nodes within 10 s: 10 isolations and 10 revocations wanted
        for (int n = 0; n < 10; n++) {
            long t = T0 + 30_000 + n * 1_000L;
            records.add(
                    record(
                            "alerts",
                            t,
                            alert("bf-" + n, "brute-force", "MALICIOUS", "node-" + (10 + n), t)));
        }
        // a disk failure predicted on node-5
        records.add(
                record(
                        "anomalies",
                        T0 + 60_000,
                        prediction("node-5", T0 + 60_000, 0.93, "disk_percent.rate_15m")));
        // the leak's agent reports receipt after the first retry; node-10's breach is approved,
        // node-11's isolation rejected; the rest get no decision
        RemediationPolicy leak = policy("memory_leak");
        RemediationPolicy breach = policy("security_breach");
        records.add(
                record(
                        "remediation-results",
                        T0 + 1_500,
                        report(
                                RemediationPlanner.commandId(
                                        "leak-0", leak, "RESTART_SERVICE", "node-1"),
                                "node-1",
                                T0 + 1_500)));
        for (String action : List.of("ISOLATE_NODE", "REVOKE_CREDENTIAL")) {
            records.add(
                    record(
                            "approvals",
                            T0 + 31_000,
                            approval(
                                    RemediationPlanner.commandId("bf-0", breach, action, "node-10"),
                                    "APPROVED",
                                    T0 + 31_000)));
        }
        records.add(
                record(
                        "approvals",
                        T0 + 32_000,
                        approval(
                                RemediationPlanner.commandId(
                                        "bf-1", breach, "ISOLATE_NODE", "node-11"),
                                "REJECTED",
                                T0 + 32_000)));
        records.sort(java.util.Comparator.comparing(ProducerRecord::timestamp)); // stable
        KAFKA.produce(records);
        commands = run("a-");
        decided = AvroTopics.read(KAFKA, PREFIX + "a-results", RemediationResult.class);
    }

    static List<RemediationCommand> run(String out) throws Exception {
        KAFKA.createTopics(4, PREFIX + out + "commands");
        KAFKA.createTopics(1, PREFIX + out + "dead-letters", PREFIX + out + "results");
        Configuration options =
                JobArguments.parse(
                        new String[] {
                            "--bootstrap.servers",
                            KAFKA.bootstrapServers(),
                            "--remediation.keystore",
                            dir.resolve("keys").toString(),
                            "--remediation.rate.per-action",
                            "4",
                            "--topic.alerts",
                            PREFIX + "alerts",
                            "--topic.anomalies",
                            PREFIX + "anomalies",
                            "--topic.remediation-commands",
                            PREFIX + out + "commands",
                            "--topic.approvals",
                            PREFIX + "approvals",
                            "--topic.remediation-results",
                            PREFIX + out + "results",
                            "--topic.dead-letters",
                            PREFIX + out + "dead-letters",
                            "--source.bounded",
                            "true",
                            "--watermark.idleness",
                            "0 s",
                            "--checkpoint.interval",
                            "2 s",
                            "--checkpoint.dir",
                            dir.resolve("cp-" + out).toUri().toString(),
                            "--sink.transactional-id-prefix",
                            PREFIX + out,
                            "--restart.attempts",
                            "0",
                            "--parallelism",
                            "2"
                        },
                        RemediationJobOptions.ALL,
                        List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
        // the run's results topic starts with the agents' reports; the job adds its decisions
        List<ProducerRecord<byte[], byte[]>> reports = new ArrayList<>();
        for (var r : KAFKA.readCommitted(PREFIX + "remediation-results")) {
            reports.add(
                    new ProducerRecord<>(
                            PREFIX + out + "results", 0, r.timestamp(), r.key(), r.value()));
        }
        KAFKA.produce(reports);
        String store = dir.resolve("keys").toString();
        SignerSource signer =
                () ->
                        KeyStoreDirectory.openOrCreate(
                                        Path.of(store), PASSWORD.toCharArray(), new SecureRandom())
                                .signer();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RemediationJob.configure(env, options, signer);
        env.execute("remediation-" + out);
        return AvroTopics.read(KAFKA, PREFIX + out + "commands", RemediationCommand.class);
    }

    static List<RemediationCommand> firstSends() {
        return commands.stream().filter(c -> c.getAttempt() == 0).toList();
    }

    @Test
    void aFloodGivesOneCommandAndABurstIsHeldToTheActionBudget() {
        List<RemediationCommand> leak =
                firstSends().stream().filter(c -> c.getPolicyId().equals("memory_leak")).toList();
        assertThat(leak).hasSize(1);
        assertThat(leak.get(0).getCauseId()).isEqualTo("leak-0");
        assertThat(leak.get(0).getAction()).isEqualTo("RESTART_SERVICE");
        // 4 tokens per minute per action: node-10 .. node-13 pass the gate; only node-10 was
        // approved, so only its two commands are sent
        assertThat(
                        firstSends().stream()
                                .filter(c -> c.getPolicyId().equals("security_breach"))
                                .map(c -> c.getTargetNodeId() + " " + c.getAction()))
                .containsExactlyInAnyOrder("node-10 ISOLATE_NODE", "node-10 REVOKE_CREDENTIAL");
        assertThat(
                        firstSends().stream()
                                .filter(c -> c.getPolicyId().equals("disk_full_predicted"))
                                .map(RemediationCommand::getTargetNodeId))
                .containsExactly("node-5");
        assertThat(firstSends()).hasSize(1 + 2 + 1);
    }

    @Test
    void unansweredCommandsAreRetriedThreeTimesAndUnapprovedOnesExpire() {
        // the leak's agent reported receipt between the first and the second retry
        assertThat(
                        commands.stream()
                                .filter(c -> c.getPolicyId().equals("memory_leak"))
                                .map(RemediationCommand::getAttempt))
                .containsExactlyInAnyOrder(0, 1);
        // no report at all: attempts 0..3, the same id every time, then given up
        assertThat(
                        commands.stream()
                                .filter(c -> c.getTargetNodeId().equals("node-5"))
                                .map(RemediationCommand::getAttempt))
                .containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(
                        commands.stream()
                                .filter(c -> c.getTargetNodeId().equals("node-5"))
                                .map(RemediationCommand::getCommandId)
                                .distinct())
                .hasSize(1);
        assertThat(
                        decided.stream()
                                .filter(r -> r.getStatus().equals("RETRIES_EXHAUSTED"))
                                .map(RemediationResult::getNodeId))
                .containsExactlyInAnyOrder("node-5", "node-10", "node-10");
        // node-11's revocation, node-12's and node-13's commands were never approved
        assertThat(
                        decided.stream()
                                .filter(r -> r.getStatus().equals("EXPIRED"))
                                .map(RemediationResult::getNodeId))
                .containsExactlyInAnyOrder("node-11", "node-12", "node-12", "node-13", "node-13");
        // besides the agent's report the run started with, only the job's decisions
        assertThat(decided.stream().filter(r -> !r.getStatus().equals("DISPATCHED")))
                .hasSize(8)
                .allMatch(r -> "decided by the remediation job".equals(r.getDetail()));
        // the backoff: 1, 2, 4 s plus at most 10 %
        for (int attempt = 1; attempt <= 3; attempt++) {
            long b =
                    dev.vigil.operators.remediation.CommandLifecycleFunction.backoffMillis(
                            "cmd-x", attempt);
            assertThat(b).isBetween(1000L << (attempt - 1), (1000L << (attempt - 1)) * 11 / 10);
        }
    }

    @Test
    void edgeAgentsAcceptTheirOwnSignedCommandsOnceAndRejectAForgery() throws Exception {
        Clock beforeExpiry = Clock.fixed(Instant.ofEpochMilli(T0 + 120_000), ZoneOffset.UTC);
        Map<String, EdgeAgentVerifier> agents = new java.util.HashMap<>();
        List<RemediationCommand> inOrder = new ArrayList<>(commands);
        inOrder.sort(
                java.util.Comparator.comparing(RemediationCommand::getCommandId)
                        .thenComparingInt(RemediationCommand::getAttempt));
        for (RemediationCommand c : inOrder) {
            EdgeAgentVerifier agent =
                    agents.computeIfAbsent(
                            c.getTargetNodeId(), n -> new EdgeAgentVerifier(n, keys, beforeExpiry));
            assertThat(agent.verify(c))
                    .as(c.getCommandId() + " attempt " + c.getAttempt())
                    .isEqualTo(c.getAttempt() == 0 ? Verdict.ACCEPTED : Verdict.REPLAYED);
            assertThat(new EdgeAgentVerifier("node-99", keys, beforeExpiry).verify(c))
                    .isEqualTo(Verdict.OTHER_NODE);
        }
        RemediationCommand forged = RemediationCommand.newBuilder(commands.get(0)).build();
        forged.setCommandId("cmd-forged");
        HybridSigner attacker = HybridSigner.generate(forged.getKeyId(), new SecureRandom());
        CommandSignatures.sign(forged, attacker);
        assertThat(
                        new EdgeAgentVerifier(forged.getTargetNodeId(), keys, beforeExpiry)
                                .verify(forged))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void aReplayWritesTheSameCommandsByteForByte() throws Exception {
        List<RemediationCommand> replay = run("b-");
        AvroCodec<RemediationCommand> codec = AvroCodec.of(RemediationCommand.class);
        assertThat(
                        replay.stream()
                                .map(
                                        c ->
                                                new String(
                                                        java.util.Base64.getEncoder()
                                                                .encode(codec.encode(c)),
                                                        StandardCharsets.US_ASCII)))
                .containsExactlyInAnyOrderElementsOf(
                        commands.stream()
                                .map(
                                        c ->
                                                new String(
                                                        java.util.Base64.getEncoder()
                                                                .encode(codec.encode(c)),
                                                        StandardCharsets.US_ASCII))
                                .toList());
    }

    static <T extends SpecificRecord> ProducerRecord<byte[], byte[]> record(
            String topic, long time, T value) {
        @SuppressWarnings("unchecked")
        AvroCodec<T> codec = AvroCodec.of((Class<T>) value.getClass());
        return new ProducerRecord<>(PREFIX + topic, null, time, null, codec.encode(value));
    }

    static RemediationPolicy policy(String id) {
        return PolicyCatalogue.builtIn().policies().stream()
                .filter(p -> p.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    static RemediationResult report(String commandId, String node, long t) {
        return RemediationResult.newBuilder()
                .setCommandId(commandId)
                .setNodeId(node)
                .setStatus("DISPATCHED")
                .setAttempt(1)
                .setReportedAt(Instant.ofEpochMilli(t))
                .build();
    }

    static Approval approval(String commandId, String decision, long t) {
        return Approval.newBuilder()
                .setCommandId(commandId)
                .setApprover("oncall@example.org")
                .setDecision(decision)
                .setDecidedAt(Instant.ofEpochMilli(t))
                .build();
    }

    static ThreatAlert alert(String id, String rule, String severity, String node, long t) {
        return ThreatAlert.newBuilder()
                .setAlertId(id)
                .setRuleId(rule)
                .setRuleVersion(1)
                .setTitle(rule)
                .setSeverity(severity)
                .setGroupBy("node")
                .setGroupKey(node)
                .setNodeId(node)
                .setRiskScore(0.6)
                .setRiskLevel("MEDIUM")
                .setAnomalyComponent(0)
                .setBehaviouralComponent(1)
                .setEvidence(List.of())
                .setFirstEventTime(Instant.ofEpochMilli(t))
                .setLastEventTime(Instant.ofEpochMilli(t))
                .setDetectedAt(Instant.ofEpochMilli(t))
                .setDetectionLatencyMs(0)
                .build();
    }

    static AnomalyScore prediction(String node, long t, double probability, String feature) {
        return AnomalyScore.newBuilder()
                .setHub("hub-01")
                .setRegion("eu-west-1")
                .setCluster("eu-west-1-c01")
                .setNodeId(node)
                .setModelName("failure-predictor")
                .setModelVersion("1.0.0")
                .setScore(0.1)
                .setThreshold(1.0)
                .setAnomalous(false)
                .setAnomalyStrength(0)
                .setFailureProbability(probability)
                .setTopFeatures(
                        List.of(
                                FeatureContribution.newBuilder()
                                        .setFeature(feature)
                                        .setContribution(1.0)
                                        .build()))
                .setEventTime(Instant.ofEpochMilli(t))
                .setScoredAt(Instant.ofEpochMilli(t))
                .build();
    }
}
