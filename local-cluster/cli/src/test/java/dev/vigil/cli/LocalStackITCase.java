package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.local.LocalStack;
import dev.vigil.local.StackKeys;
import dev.vigil.local.StackSettings;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.local.testing.CarbonRecomputation;
import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.models.ModelBundle;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.identity.NodeIdentity;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Does what {@code vigil up} does, on free ports and in a temporary data directory: a real broker
 * process, a real Flink session cluster and SQL Gateway, the jobs submitted as JobGraphs, the
 * simulator producing telemetry; then reads an output table through the SQL Gateway's JDBC driver
 * and through {@code vigil sql -e}, and stops every process by pid.
 */
class LocalStackITCase {

    @TempDir static Path dataDir;

    private static LocalStack stack;
    private static Map<String, String> jobIds;
    private static final List<ManagedProcess> started = new ArrayList<>();
    private static Instant start;
    private static Thread follower;
    private static final List<Map.Entry<Instant, String>> followed =
            java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void up() {
        stack = new LocalStack(StackSettings.onFreePorts(dataDir), System.out::println);
        stack.start();
        for (String role : LocalStack.ROLES) {
            stack.running(role).ifPresent(started::add);
        }
        Path jobJar = Path.of(System.getProperty("vigil.job.jar"));
        Map<String, String> jobs = stack.submit(jobJar, VigilJobs.of(stack));
        jobIds = jobs;
        assertThat(jobs)
                .containsOnlyKeys(
                        "vigil-node-health",
                        "vigil-threat-detection",
                        "vigil-node-inference",
                        "vigil-carbon",
                        "vigil-remediation",
                        "vigil-audit");
        // vigil alerts --follow, started before any telemetry: it prints what the jobs detect
        PrintStream lines =
                new PrintStream(
                        java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
                    @Override
                    public void println(String line) {
                        followed.add(Map.entry(Instant.now(), line));
                    }
                };
        LiveViewCommand live =
                new LiveViewCommand(
                        stack.kafka(StackPrincipals.ANALYST), lines, java.time.Clock.systemUTC());
        follower =
                new Thread(
                        () -> {
                            try {
                                live.alerts(new ArrayList<>(List.of("--follow")));
                            } catch (org.apache.kafka.common.errors.InterruptException e) {
                                // stopped by down()
                            }
                        },
                        "vigil-alerts-follow");
        follower.setDaemon(true);
        follower.start();
        // twelve minutes of a small fleet, ending two minutes ago, as fast as possible, with
        // overheating injected after the simulator's 5-minute warm-up (about 7 in those minutes)
        start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(14));
        SimulatorOptions options =
                SimulatorOptions.parse(
                        new String[] {
                            "--bootstrap-servers",
                            stack.settings().bootstrapServers(),
                            "--kafka.properties",
                            stack.security().clientProperties(StackPrincipals.SIMULATOR).toString(),
                            "--node-keys",
                            stack.security().fleetKey().toString(),
                            "--rate",
                            "max",
                            "--duration",
                            "12m",
                            "--start",
                            start.toString(),
                            "--scenarios",
                            "overheating",
                            "--scenarios-per-hour",
                            "60"
                        },
                        Instant.now());
        assertThat(SimulatorMain.run(options)).isTrue();
    }

    @AfterAll
    static void down() throws InterruptedException {
        if (follower != null) {
            follower.interrupt();
            follower.join(10_000);
        }
        if (stack != null) {
            stack.stop();
        }
        for (ManagedProcess process : started) {
            assertThat(process.isAlive()).as(process.toString()).isFalse();
        }
        StackSettings s = stack.settings();
        for (int port :
                new int[] {
                    s.kafkaPort(),
                    s.kafkaControllerPort(),
                    s.flinkPort(),
                    s.flinkRpcPort(),
                    s.gatewayPort()
                }) {
            assertThat(Ports.isListening(port)).as("port " + port).isFalse();
        }
    }

    @Test
    void telemetryFlowsIntoATableThatSqlReadsThroughTheGateway() throws Exception {
        KafkaEndpoint kafka = KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN));
        List<NodeHealthSummary> summaries = awaitSummaries(kafka, 16 * 3);

        // every job runs without a single failure so far: among them the inference job, whose
        // ONNX Runtime natives come from the TaskManager's own class loader (parent-first)
        for (String jobId : jobIds.values()) {
            assertThat(stack.flink().rest().job(jobId).path("state").asText())
                    .as(jobId)
                    .isEqualTo("RUNNING");
            var history = stack.flink().rest().exceptions(jobId).path("exceptionHistory");
            assertThat(history.path("entries").isArray()).as("exception history").isTrue();
            assertThat(history.path("entries")).as("failures of " + jobId).isEmpty();
        }

        // the vigil catalog up registered on the gateway: no statement to run first
        java.util.Properties session = new java.util.Properties();
        session.setProperty("execution.runtime-mode", "batch");
        session.setProperty("table.local-time-zone", "UTC");
        try (Connection connection =
                        DriverManager.getConnection(
                                "jdbc:flink://localhost:"
                                        + stack.settings().gatewayPort()
                                        + "/vigil/topics",
                                session);
                Statement statement = connection.createStatement()) {
            String query =
                    "SELECT COUNT(*), COUNT(DISTINCT node_id), SUM(events) FROM node_health"
                            + " WHERE window_end <= TIMESTAMP '"
                            + start.plus(Duration.ofMinutes(3))
                                    .toString()
                                    .replace('T', ' ')
                                    .replace("Z", "")
                            + "'";
            long expectedRows =
                    summaries.stream()
                            .filter(
                                    s ->
                                            !s.getWindowEnd()
                                                    .isAfter(start.plus(Duration.ofMinutes(3))))
                            .count();
            long expectedEvents =
                    summaries.stream()
                            .filter(
                                    s ->
                                            !s.getWindowEnd()
                                                    .isAfter(start.plus(Duration.ofMinutes(3))))
                            .mapToLong(NodeHealthSummary::getEvents)
                            .sum();
            try (ResultSet result = statement.executeQuery(query)) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(expectedRows).isEqualTo(16 * 3);
                assertThat(result.getLong(2)).isEqualTo(16);
                assertThat(result.getLong(3)).isEqualTo(expectedEvents);
            }
        }
    }

    @Test
    void theCarbonRecipeReturnsRegionEmissionsThatMatchARecomputationFromRawSamples()
            throws Exception {
        KafkaEndpoint kafka = KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN));
        // two regions; minutes close once the watermark is a maximum gap (60 s) past them
        List<CarbonReport> regionMinutes = awaitRegionMinutes(kafka, 2 * 4);
        List<TelemetryEvent> telemetry = new ArrayList<>();
        AvroCodec<TelemetryEvent> events = AvroCodec.of(TelemetryEvent.class);
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(Topic.TELEMETRY.topicName())) {
            telemetry.add(events.decode(r.value()));
        }
        List<GridIntensity> grid = new ArrayList<>();
        AvroCodec<GridIntensity> intensities = AvroCodec.of(GridIntensity.class);
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(Topic.GRID_INTENSITY.topicName())) {
            grid.add(intensities.decode(r.value()));
        }
        Map<String, TreeMap<Long, CarbonRecomputation.Totals>> truth =
                new CarbonRecomputation(60_000, 400, 20).byRegionMinute(telemetry, grid);

        String recipe =
                Files.readString(Path.of("../../docs/sql/07-emissions-per-region-per-day.md"));
        String query = recipe.substring(recipe.indexOf("## Query"));
        query =
                query.substring(
                                query.indexOf("```sql") + 6,
                                query.indexOf("```", query.indexOf("```sql") + 6))
                        .trim();
        query = query.substring(0, query.length() - 1); // the JDBC driver takes no trailing ';'
        int rows = 0;
        try (Connection connection =
                        DriverManager.getConnection(
                                "jdbc:flink://localhost:" + stack.settings().gatewayPort());
                Statement statement = connection.createStatement()) {
            for (String sql : initStatements()) {
                statement.execute(sql);
            }
            try (ResultSet result = statement.executeQuery(query)) {
                while (result.next()) {
                    String region = result.getString("region");
                    long day = result.getDate("day").toLocalDate().toEpochDay() * 86_400_000L;
                    // the minutes the job has reported for this region and day
                    java.util.TreeSet<Long> reported = new java.util.TreeSet<>();
                    for (CarbonReport m : regionMinutes) {
                        long at = m.getWindowStart().toEpochMilli();
                        if (m.getKey().equals(region) && at >= day && at < day + 86_400_000L) {
                            reported.add(at);
                        }
                    }
                    CarbonRecomputation.Totals expected = new CarbonRecomputation.Totals();
                    for (long at : reported) {
                        CarbonRecomputation.Totals t =
                                CarbonRecomputation.sum(truth.get(region), at, at + 60_000);
                        expected.locationMg = expected.locationMg.add(t.locationMg);
                        expected.marketMg = expected.marketMg.add(t.marketMg);
                        expected.nodeMinutes += t.nodeMinutes;
                    }
                    assertThat(result.getLong("minutes")).isEqualTo(reported.size());
                    BigDecimal bound = expected.roundingBound();
                    assertThat(
                                    BigDecimal.valueOf(result.getLong("location_based_mg"))
                                            .subtract(expected.locationMg)
                                            .abs())
                            .as(region + " location-based mg vs " + expected.locationMg)
                            .isLessThanOrEqualTo(bound);
                    assertThat(
                                    BigDecimal.valueOf(result.getLong("market_based_mg"))
                                            .subtract(expected.marketMg)
                                            .abs())
                            .as(region + " market-based mg vs " + expected.marketMg)
                            .isLessThanOrEqualTo(bound);
                    assertThat(result.getLong("location_based_mg")).isPositive();
                    rows++;
                }
            }
        }
        assertThat(rows).as("region-days").isGreaterThanOrEqualTo(2);
    }

    private static List<CarbonReport> awaitRegionMinutes(KafkaEndpoint kafka, int atLeast)
            throws Exception {
        AvroCodec<CarbonReport> codec = AvroCodec.of(CarbonReport.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<CarbonReport> minutes = new ArrayList<>();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            List<CarbonReport> now = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record :
                    kafka.readCommitted(Topic.CARBON.topicName())) {
                CarbonReport r = codec.decode(record.value());
                if (r.getLevel().equals("REGION") && r.getWindowSize().equals("1m")) {
                    now.add(r);
                }
            }
            // wait until the set stops growing: the telemetry has ended, so it will
            stable = now.size() >= atLeast && now.size() == minutes.size() ? stable + 1 : 0;
            minutes = now;
            if (stable >= 3) {
                return minutes;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError(
                "only " + minutes.size() + " region-minute carbon reports after 3 minutes");
    }

    @Test
    void theAuditTrailVerifiesAndATamperedExportIsNamed(@TempDir Path work) throws Exception {
        // alerts as another producer would write them, over the last minutes (commands live 15)
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(4));
        KafkaEndpoint kafka = KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN));
        AvroCodec<ThreatAlert> alerts = AvroCodec.of(ThreatAlert.class);
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records =
                new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant t = recent.plusSeconds(3L * i);
            ThreatAlert a =
                    ThreatAlert.newBuilder()
                            .setAlertId("stack-alert-" + i)
                            .setRuleId("auth.brute-force")
                            .setRuleVersion(1)
                            .setTitle("brute force")
                            .setSeverity("MALICIOUS")
                            .setGroupBy("node")
                            .setGroupKey("node-0000" + (1 + i % 4))
                            .setNodeId("node-0000" + (1 + i % 4))
                            .setRiskScore(0.7)
                            .setRiskLevel("HIGH")
                            .setAnomalyComponent(0)
                            .setBehaviouralComponent(1)
                            .setEvidence(List.of())
                            .setFirstEventTime(t)
                            .setLastEventTime(t)
                            .setDetectedAt(t)
                            .setDetectionLatencyMs(0)
                            .build();
            records.add(
                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                            Topic.ALERTS.topicName(),
                            i % 4,
                            t.toEpochMilli(),
                            a.getGroupKey().getBytes(StandardCharsets.UTF_8),
                            alerts.encode(a)));
        }
        // an operator approves node-00001's breach response (isolation and revocation need it)
        dev.vigil.operators.remediation.RemediationPolicy breach =
                dev.vigil.operators.remediation.PolicyCatalogue.builtIn().policies().stream()
                        .filter(p -> p.id().equals("security_breach"))
                        .findFirst()
                        .orElseThrow();
        kafka.produce(records);
        // ... with ./vigil approve, signed with the approver's key, at the time they decided
        ApprovalCommand approve =
                new ApprovalCommand(
                        ControlPublisher.of(
                                stack.kafka(StackPrincipals.APPROVER),
                                stack.keys(),
                                StackKeys.APPROVER),
                        System.out,
                        java.time.Clock.fixed(recent.plusSeconds(5), java.time.ZoneOffset.UTC));
        List<String> approvedIds = new ArrayList<>();
        for (String action : List.of("ISOLATE_NODE", "REVOKE_CREDENTIAL")) {
            String id =
                    dev.vigil.operators.remediation.RemediationPlanner.commandId(
                            "stack-alert-0", breach, action, "node-00001");
            assertThat(approve.run("approve", new ArrayList<>(List.of(id, "on-call")))).isZero();
            approvedIds.add(id);
        }

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        AuditCommand audit =
                new AuditCommand(
                        stack.kafka(StackPrincipals.AUDITOR), stack.keys().publicKeys(), out, out);
        // the audit job appends an alert once the watermark (5 s bound, idle inputs after 30 s)
        // has passed it, and signs a tree head every 10 s of event time
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        int code = -1;
        while (System.nanoTime() < deadline) {
            text.reset();
            code = audit.run(new ArrayList<>(List.of("verify")));
            if (code == 0 && text.toString(StandardCharsets.UTF_8).contains("alerts=")) {
                break;
            }
            Thread.sleep(3000);
        }
        String report = text.toString(StandardCharsets.UTF_8);
        assertThat(code).as(report).isZero();
        assertThat(report).contains("audit trail intact").contains("alerts=");

        text.reset();
        assertThat(
                        audit.run(
                                new ArrayList<>(
                                        List.of("prove", "--chain", "alerts", "--sequence", "0"))))
                .as(text.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("inclusion proof verified");

        Path export = work.resolve("audit.export");
        assertThat(audit.run(new ArrayList<>(List.of("export", export.toString())))).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        // alter the subject of the third audit entry, leaving its hash as it was
        int target = -1;
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(Topic.AUDIT.topicName() + "\t") && ++seen == 3) {
                target = i;
            }
        }
        String[] f = lines.get(target).split("\t");
        AvroCodec<dev.vigil.schema.AuditEvent> codec =
                AvroCodec.of(dev.vigil.schema.AuditEvent.class);
        dev.vigil.schema.AuditEvent e = codec.decode(java.util.Base64.getDecoder().decode(f[3]));
        e.setSubjectId("forged-subject");
        lines.set(
                target,
                f[0]
                        + "\t"
                        + f[1]
                        + "\t"
                        + f[2]
                        + "\t"
                        + java.util.Base64.getEncoder().encodeToString(codec.encode(e)));
        Files.write(export, lines);
        text.reset();
        int tampered = audit.run(new ArrayList<>(List.of("verify", "--export", export.toString())));
        String named = text.toString(StandardCharsets.UTF_8);
        assertThat(tampered).as(named).isEqualTo(1);
        assertThat(named)
                .contains("TAMPERED: audit partition " + f[1] + " offset " + f[2] + " ")
                .contains("modified");

        // the brute-force alerts were security breaches: node-00001's agent accepts its approved,
        // signed isolation and revocation (one each: the policy's cooldown is 10 minutes; the
        // retries that follow for want of a report carry the same ids and count as replays)
        AgentCommand agent =
                new AgentCommand(
                        stack.kafka(StackPrincipals.AUDITOR),
                        stack.keys().publicKeys(),
                        out,
                        java.time.Clock.systemUTC());
        String accepted = "";
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            text.reset();
            assertThat(agent.run(new ArrayList<>(List.of("verify", "--node", "node-00001"))))
                    .isZero();
            accepted = text.toString(StandardCharsets.UTF_8);
            if (accepted.contains("REVOKE_CREDENTIAL") && accepted.contains("ISOLATE_NODE")) {
                break;
            }
            Thread.sleep(3000);
        }
        // exactly one acceptance per approved breach command (an injected overheating may add
        // commands of its own for this node)
        assertThat(
                        accepted.lines()
                                .filter(l -> l.startsWith("ACCEPTED "))
                                .filter(l -> l.contains("cause stack-alert-0"))
                                .map(l -> l.split("\\s+")[2]))
                .containsExactlyInAnyOrder("ISOLATE_NODE", "REVOKE_CREDENTIAL");
        // the injected overheating was detected and remediated: the newest server_overload
        // command (SCALE_UP, escalating; no approval needed) is accepted by its node's agent
        dev.vigil.schema.RemediationCommand scaleUp = null;
        deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        AvroCodec<dev.vigil.schema.RemediationCommand> sent =
                AvroCodec.of(dev.vigil.schema.RemediationCommand.class);
        while (scaleUp == null && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r :
                    kafka.readCommitted(Topic.REMEDIATION_COMMANDS.topicName())) {
                dev.vigil.schema.RemediationCommand c = sent.decode(r.value());
                if (c.getPolicyId().equals("server_overload")
                        && c.getAttempt() == 0
                        && (scaleUp == null || c.getIssuedAt().isAfter(scaleUp.getIssuedAt()))) {
                    scaleUp = c;
                }
            }
            if (scaleUp == null) {
                Thread.sleep(3000);
            }
        }
        assertThat(scaleUp).as("a command caused by an injected overheating").isNotNull();
        // the trail's entries of the two approvals name their verified signer
        AvroCodec<dev.vigil.schema.AuditEvent> entries =
                AvroCodec.of(dev.vigil.schema.AuditEvent.class);
        List<String> approvedBy = new ArrayList<>();
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (approvedBy.size() < 2 && System.nanoTime() < deadline) {
            approvedBy.clear();
            for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(Topic.AUDIT.topicName())) {
                dev.vigil.schema.AuditEvent entry = entries.decode(r.value());
                if (entry.getEventType().equals("COMMAND_APPROVED")
                        && approvedIds.contains(entry.getSubjectId())) {
                    approvedBy.add(entry.getSignedBy());
                }
            }
            Thread.sleep(2000);
        }
        String approver = "approver/" + stack.keys().author(StackKeys.APPROVER).signer().keyId();
        assertThat(approvedBy).containsExactly(approver, approver);
        // every command on the topic is signed over its bytes as written, in its headers
        Map<String, dev.vigil.audit.HybridPublicKeys> trusted =
                dev.vigil.audit.KeyStoreDirectory.readPublicKeys(stack.keys().publicKeys());
        List<dev.vigil.audit.RecordSignatures.Outcome> outcomes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(Topic.REMEDIATION_COMMANDS.topicName())) {
            outcomes.add(
                    dev.vigil.audit.RecordSignatures.verify(
                            Topic.REMEDIATION_COMMANDS.topicName(),
                            r.value(),
                            dev.vigil.operators.kafka.HeaderValues.of(r.headers()),
                            trusted,
                            dev.vigil.audit.KeyRevocations.none()));
        }
        assertThat(outcomes)
                .isNotEmpty()
                .containsOnly(dev.vigil.audit.RecordSignatures.Outcome.VALID);
        text.reset();
        List<String> withState =
                List.of(
                        "verify",
                        "--node",
                        scaleUp.getTargetNodeId(),
                        "--state",
                        work.resolve("agent-state").toString());
        assertThat(agent.run(new ArrayList<>(withState))).isZero();
        String line = scaleUp.getCommandId() + " " + scaleUp.getAction();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("ACCEPTED      " + line);
        // the agent restarts (a new process, the same state directory): the command it carried
        // out is a replay now, read again from the topic
        text.reset();
        AgentCommand restarted =
                new AgentCommand(
                        stack.kafka(StackPrincipals.AUDITOR),
                        stack.keys().publicKeys(),
                        out,
                        java.time.Clock.systemUTC());
        assertThat(restarted.run(new ArrayList<>(withState))).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("REPLAYED      " + line)
                .doesNotContain("ACCEPTED      " + line);

        // a command forged with a key of the same id is rejected, and the exit code says so
        AvroCodec<dev.vigil.schema.RemediationCommand> commands =
                AvroCodec.of(dev.vigil.schema.RemediationCommand.class);
        dev.vigil.schema.RemediationCommand real = null;
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(Topic.REMEDIATION_COMMANDS.topicName())) {
            dev.vigil.schema.RemediationCommand c = commands.decode(r.value());
            if (c.getTargetNodeId().equals("node-00001")) {
                real = c;
            }
        }
        dev.vigil.schema.RemediationCommand forged =
                dev.vigil.schema.RemediationCommand.newBuilder(real)
                        .setCommandId("cmd-forged")
                        .setAction("REVOKE_CREDENTIAL")
                        .build();
        dev.vigil.audit.CommandSignatures.sign(
                forged,
                dev.vigil.audit.HybridSigner.generate(
                        real.getKeyId(), new java.security.SecureRandom()));
        Path file = CommandFiles.write(work.resolve("forged.b64"), forged);
        text.reset();
        int rejected = agent.run(CommandFiles.verify("node-00001", file));
        assertThat(rejected).isEqualTo(1);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("BAD_SIGNATURE cmd-forged");
    }

    /**
     * Rule commands, model updates and approvals take effect only with the signature of an author
     * trusted to sign them: a rule applied with {@code vigil rules apply} is acknowledged naming
     * its verified signer; an unsigned rule command, an approval signed with the operator's key and
     * an approval whose signature covers other bytes are dead letters of the job that would have
     * acted on them, each naming why, and the rule command is never acknowledged.
     */
    @Test
    void controlRecordsTakeEffectOnlyWithTheirAuthorsSignature(@TempDir Path work)
            throws Exception {
        Path ruleFile = work.resolve("signed-rule.json");
        Files.writeString(
                ruleFile,
                "{\"id\": \"test-signed-rule\", \"version\": 1, \"title\": \"t\","
                        + " \"description\": \"d\", \"severity\": \"BENIGN\", \"groupBy\":"
                        + " [\"node\"], \"scope\": {\"field\": \"payload\", \"eq\":"
                        + " \"security\"}, \"steps\": [{\"name\": \"s\", \"where\":"
                        + " {\"field\": \"payload\", \"eq\": \"security\"}, \"times\": 3}],"
                        + " \"within\": \"60s\"}");
        KafkaClientSettings operator = stack.kafka(StackPrincipals.OPERATOR);
        RulesCommand rules =
                new RulesCommand(
                        ControlPublisher.of(operator, stack.keys(), StackKeys.OPERATOR),
                        null,
                        Path.of(System.getProperty("vigil.job.jar")));
        assertThat(rules.run(new ArrayList<>(List.of("apply", ruleFile.toString())))).isZero();

        // an unsigned command to switch brute-force detection off, from the operator's principal
        AvroCodec<dev.vigil.schema.RuleCommand> ruleCodec =
                AvroCodec.of(dev.vigil.schema.RuleCommand.class);
        KafkaEndpoint.of(operator)
                .produce(
                        List.of(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        Topic.RULES.topicName(),
                                        "auth.brute-force".getBytes(StandardCharsets.UTF_8),
                                        ruleCodec.encode(
                                                dev.vigil.schema.RuleCommand.newBuilder()
                                                        .setCommandId("unsigned-disable")
                                                        .setRuleId("auth.brute-force")
                                                        .setAction("DISABLE")
                                                        .setVersion(1)
                                                        .setIssuedBy("operator")
                                                        .setIssuedAt(Instant.now())
                                                        .build()))));
        // approvals from the approver's principal: one signed with the operator's key, one whose
        // signature was made over another decision
        AvroCodec<dev.vigil.schema.Approval> approvalCodec =
                AvroCodec.of(dev.vigil.schema.Approval.class);
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> approvals =
                new ArrayList<>();
        for (String id : List.of("cmd-approved-by-operator", "cmd-signature-moved")) {
            dev.vigil.schema.Approval approval =
                    dev.vigil.schema.Approval.newBuilder()
                            .setCommandId(id)
                            .setApprover("approver")
                            .setDecision("APPROVED")
                            .setDecidedAt(Instant.now())
                            .build();
            byte[] value = approvalCodec.encode(approval);
            var record =
                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                            Topic.APPROVALS.topicName(),
                            id.getBytes(StandardCharsets.UTF_8),
                            value);
            if (id.equals("cmd-approved-by-operator")) {
                dev.vigil.audit.RecordSignatures.sign(
                        stack.keys().author(StackKeys.OPERATOR).signer(),
                        Topic.APPROVALS.topicName(),
                        value,
                        record.headers()::add);
            } else {
                approval.setDecision("REJECTED");
                dev.vigil.audit.RecordSignatures.sign(
                        stack.keys().author(StackKeys.APPROVER).signer(),
                        Topic.APPROVALS.topicName(),
                        approvalCodec.encode(approval),
                        record.headers()::add);
            }
            approvals.add(record);
        }
        KafkaEndpoint.of(stack.kafka(StackPrincipals.APPROVER)).produce(approvals);

        KafkaEndpoint analyst = KafkaEndpoint.of(stack.kafka(StackPrincipals.ANALYST));
        AvroCodec<DeadLetter> dead = AvroCodec.of(DeadLetter.class);
        List<String> rejected = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (rejected.size() < 3 && System.nanoTime() < deadline) {
            rejected.clear();
            for (ConsumerRecord<byte[], byte[]> r :
                    analyst.readCommitted(Topic.DEAD_LETTERS.topicName())) {
                DeadLetter d = dead.decode(r.value());
                if (d.getSourceTopic().equals(Topic.RULES.topicName())
                        || d.getSourceTopic().equals(Topic.APPROVALS.topicName())) {
                    rejected.add(d.getJob() + " " + d.getReasonCode() + " " + d.getReason());
                }
            }
            Thread.sleep(1000);
        }
        String operatorKey = stack.keys().author(StackKeys.OPERATOR).signer().keyId();
        String approverKey = stack.keys().author(StackKeys.APPROVER).signer().keyId();
        assertThat(rejected)
                .containsExactlyInAnyOrder(
                        "threat-detection UNSIGNED rules: the record carries no author signature"
                                + " (headers vigil.sig.key, vigil.sig.ed25519, vigil.sig.mldsa)",
                        "remediation SIGNER_NOT_AUTHORIZED approvals: operator (key "
                                + operatorKey
                                + ") may sign models, rules, not approvals",
                        "remediation BAD_SIGNATURE approvals: the signature of key "
                                + approverKey
                                + " does not verify over the bytes received");

        AvroCodec<dev.vigil.schema.RuleAck> ackCodec = AvroCodec.of(dev.vigil.schema.RuleAck.class);
        List<String> acks = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                analyst.readCommitted(Topic.RULE_ACKS.topicName())) {
            dev.vigil.schema.RuleAck a = ackCodec.decode(r.value());
            acks.add(
                    a.getRuleId()
                            + " "
                            + a.getStatus()
                            + " "
                            + a.getSignedBy()
                            + (a.getCommandId().equals("unsigned-disable") ? " (unsigned)" : ""));
        }
        assertThat(acks).containsExactly("test-signed-rule APPLIED operator/" + operatorKey);
    }

    /**
     * The simulator README's first example on a stack that already holds telemetry up to two
     * minutes ago: 30 minutes ending now would arrive late and repeat sequence numbers, so it is
     * refused with what to do instead, before it writes anything.
     */
    @Test
    void vigilTailPrintsATopicsRecordsDecodedOneALine() throws Exception {
        awaitSummaries(KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN)), 3);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code =
                new LiveViewCommand(
                                stack.kafka(StackPrincipals.ADMIN),
                                new PrintStream(captured, true, StandardCharsets.UTF_8),
                                java.time.Clock.systemUTC())
                        .tail(
                                new ArrayList<>(
                                        List.of("node_health", "--since", "1d", "--limit", "3")));
        assertThat(code).isZero();
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(line)
                    .matches("node-health/\\d+@\\d+ \\S+Z \\{.*\"node_id\": \"node-\\d+\".*\\}");
        }
    }

    @Test
    void alertsFollowShowsEachDetectedAlertWithinSecondsOfItsDetection() throws Exception {
        KafkaEndpoint analyst = KafkaEndpoint.of(stack.kafka(StackPrincipals.ANALYST));
        AvroCodec<ThreatAlert> codec = AvroCodec.of(ThreatAlert.class);
        // the alerts the threat job detected; the audit test writes others (stack-alert-*)
        List<ThreatAlert> detected = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (detected.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r :
                    analyst.readCommitted(Topic.ALERTS.topicName())) {
                ThreatAlert a = codec.decode(r.value());
                if (!a.getAlertId().startsWith("stack-alert-")) {
                    detected.add(a);
                }
            }
            Thread.sleep(1000);
        }
        assertThat(detected).as("alerts of the injected overheating").isNotEmpty();
        for (ThreatAlert alert : detected) {
            Map.Entry<Instant, String> shown = null;
            long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (shown == null && System.nanoTime() < wait) {
                synchronized (followed) {
                    shown =
                            followed.stream()
                                    .filter(
                                            e ->
                                                    e.getValue()
                                                            .contains(
                                                                    "(alert "
                                                                            + alert.getAlertId()
                                                                            + ","))
                                    .findFirst()
                                    .orElse(null);
                }
                Thread.sleep(200);
            }
            assertThat(shown).as("alert " + alert.getAlertId() + " followed").isNotNull();
            assertThat(shown.getValue()).isEqualTo(LiveViewCommand.line(alert));
            assertThat(Duration.between(alert.getDetectedAt(), shown.getKey()))
                    .as("from detection to the printed line")
                    .isPositive()
                    .isLessThan(Duration.ofSeconds(20));
        }
        // one line per alert: nothing printed twice
        synchronized (followed) {
            assertThat(followed.stream().map(Map.Entry::getValue).distinct().count())
                    .isEqualTo(followed.size());
        }
    }

    /**
     * Every example the documentation marks runnable ({@link DocExamples}) runs as a user would run
     * it, from the repository root through the {@code ./vigil} script, against this stack
     * (VIGIL_DATA; the default ports of a command replaced by the stack's): exit status 0 and no
     * SQL error.
     */
    @Test
    void everyRunnableDocumentedExampleSucceedsOnTheStack(@TempDir Path work) throws Exception {
        awaitSummaries(KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN)), 16);
        Path root = Path.of("../..").toAbsolutePath().normalize();
        List<DocExamples.Example> examples = DocExamples.in(root);
        assertThat(examples).hasSizeGreaterThan(20);
        StackSettings s = stack.settings();
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (DocExamples.Example example : examples) {
            List<String> command =
                    example.language().equals("sql")
                            ? List.of(root.resolve("vigil").toString(), "sql", "-e", example.code())
                            : List.of(
                                    "bash",
                                    "-c",
                                    example.code()
                                            .replace(
                                                    "localhost:8083",
                                                    "localhost:" + s.gatewayPort())
                                            .replace("localhost:9092", "localhost:" + s.kafkaPort())
                                            .replace(
                                                    "localhost:8081",
                                                    "localhost:" + s.flinkPort()));
            Path output = work.resolve("example-" + n++ + ".out");
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .directory(root.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(output.toFile())
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("VIGIL_DATA", dataDir.toString());
            long t = System.nanoTime();
            Process process = builder.start();
            boolean finished = process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            System.out.printf(
                    "%s -> %s in %.1f s%n",
                    example,
                    finished ? "exit " + process.exitValue() : "timeout",
                    (System.nanoTime() - t) / 1e9);
            if (!finished || process.exitValue() != 0 || text.contains("[ERROR]")) {
                failures.add(
                        example
                                + "\n  "
                                + (finished
                                        ? "exit " + process.exitValue()
                                        : "did not finish in 3 min")
                                + "\n  "
                                + String.join(
                                        "\n  ",
                                        text.lines()
                                                .skip(Math.max(0, text.lines().count() - 15))
                                                .toList()));
            }
        }
        assertThat(failures).as("documented examples that fail").isEmpty();
    }

    @Test
    void aSimulationThatWouldArriveLateIsRefusedBeforeItWrites() {
        java.util.Optional<Instant> newest =
                SimulationGuard.newestEventTime(stack.kafka(StackPrincipals.ADMIN));
        assertThat(newest).isPresent();
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code =
                    VigilCli.run(
                            new String[] {
                                "--data",
                                dataDir.toString(),
                                "simulate",
                                "--rate",
                                "max",
                                "--duration",
                                "30m"
                            });
        } finally {
            System.setErr(stderr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "vigil simulate: the stack's telemetry already reaches "
                                + newest.get().truncatedTo(ChronoUnit.SECONDS)
                                + " and this run would start at ")
                .contains("--start " + newest.get().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
        assertThat(SimulationGuard.newestEventTime(stack.kafka(StackPrincipals.ADMIN)))
                .isEqualTo(newest);
    }

    @Test
    void theClusterTakesNoJarUploadsYetRanEveryJob() {
        // the six jobs above were submitted as JobGraphs (POST /jobs); the web submission API is
        // off
        assertThat(jobIds).hasSize(6);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                stack.flink()
                                        .rest()
                                        .uploadJar(Path.of(System.getProperty("vigil.job.jar"))))
                .isInstanceOf(dev.vigil.local.process.LaunchException.class)
                .hasMessage("POST /jars/upload failed with HTTP 400: POST request not allowed");
    }

    @Test
    void vigilSqlRunsOneStatementAndPrintsItsResult() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = SqlClient.execute(SqlClient.Target.of(stack), "SHOW TABLES");
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        for (Topic topic : Topic.values()) {
            assertThat(text).contains(" " + topic.sqlTableName() + " |");
        }
        assertThat(text).doesNotContain("[ERROR]").doesNotContain("Flink SQL>");

        int failed =
                SqlClient.execute(
                        SqlClient.Target.of(stack), "SELECT no_such_column FROM node_health");
        assertThat(failed).isEqualTo(1);
    }

    @Test
    void vigilModelsExportsABuiltInModelAndACorruptPublishIsDeadLettered(@TempDir Path models)
            throws Exception {
        KafkaClientSettings kafka = stack.kafka(StackPrincipals.OPERATOR);
        Path exported = models.resolve("ae");
        assertThat(
                        new ModelsCommand(
                                        ControlPublisher.of(
                                                kafka, stack.keys(), StackKeys.OPERATOR))
                                .run(
                                        new ArrayList<>(
                                                List.of(
                                                        "export",
                                                        "node-autoencoder",
                                                        exported.toString()))))
                .isZero();
        assertThat(ModelBundle.sha256(Files.readAllBytes(exported.resolve("model.onnx"))))
                .isEqualTo(ModelBundle.builtIn("node-autoencoder").sha256());

        Path corrupt = models.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.copy(exported.resolve("metadata.json"), corrupt.resolve("metadata.json"));
        Files.writeString(corrupt.resolve("model.onnx"), "not a model");
        assertThat(
                        new ModelsCommand(
                                        ControlPublisher.of(
                                                kafka, stack.keys(), StackKeys.OPERATOR))
                                .run(
                                        new ArrayList<>(
                                                List.of(
                                                        "publish",
                                                        corrupt.toString(),
                                                        "--version",
                                                        "9.9.9-corrupt"))))
                .isZero();
        KafkaEndpoint endpoint = KafkaEndpoint.of(stack.kafka(StackPrincipals.ANALYST));
        AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        DeadLetter rejected = null;
        while (rejected == null && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r :
                    endpoint.readCommitted(Topic.DEAD_LETTERS.topicName())) {
                DeadLetter d = codec.decode(r.value());
                if ("MODEL_REJECTED".equals(d.getReasonCode())) {
                    rejected = d;
                }
            }
            Thread.sleep(500);
        }
        assertThat(rejected).as("a MODEL_REJECTED dead letter within 60 s").isNotNull();
        assertThat(rejected.getReason())
                .startsWith("node-autoencoder 9.9.9-corrupt: artifact: ONNX Runtime cannot load");
    }

    /**
     * One node's credentials cannot report as another node: a sensor that holds node-00001's key
     * writes an event that names node-00002, and one without a MAC; every telemetry job
     * dead-letters both, naming why, and counts nothing of them.
     */
    @Test
    void aNodeCannotReportAsAnotherNode() throws Exception {
        KafkaEndpoint admin = KafkaEndpoint.of(stack.kafka(StackPrincipals.ADMIN));
        AvroCodec<TelemetryEvent> events = AvroCodec.of(TelemetryEvent.class);
        ConsumerRecord<byte[], byte[]> sample = null;
        for (ConsumerRecord<byte[], byte[]> r : admin.readCommitted(Topic.TELEMETRY.topicName())) {
            if (events.decode(r.value()).getNode().getNodeId().equals("node-00002")) {
                sample = r;
                break;
            }
        }
        assertThat(sample).as("a telemetry record of node-00002").isNotNull();
        TelemetryEvent forged = events.decode(sample.value());
        forged.setEventId("forged-" + forged.getEventId());
        byte[] value = events.encode(forged);
        byte[] node1Key = NodeIdentity.read(stack.security().fleetKey()).nodeKey("node-00001");

        java.util.Properties p = stack.kafka(StackPrincipals.SENSOR).toProperties();
        long[] offsets = new long[2];
        int[] partitions = new int[2];
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> sensor =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        p,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            var impersonating =
                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                            Topic.TELEMETRY.topicName(), sample.key(), value);
            impersonating.headers().add(NodeIdentity.HEADER, NodeIdentity.sign(node1Key, value));
            var meta = sensor.send(impersonating).get();
            offsets[0] = meta.offset();
            partitions[0] = meta.partition();
            meta =
                    sensor.send(
                                    new org.apache.kafka.clients.producer.ProducerRecord<>(
                                            Topic.TELEMETRY.topicName(), sample.key(), value))
                            .get();
            offsets[1] = meta.offset();
            partitions[1] = meta.partition();
        }

        KafkaEndpoint analyst = KafkaEndpoint.of(stack.kafka(StackPrincipals.ANALYST));
        AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
        Map<String, String> byJobAndRecord = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (byJobAndRecord.size() < 8 && System.nanoTime() < deadline) {
            byJobAndRecord.clear();
            for (ConsumerRecord<byte[], byte[]> r :
                    analyst.readCommitted(Topic.DEAD_LETTERS.topicName())) {
                DeadLetter d = codec.decode(r.value());
                for (int i = 0; i < 2; i++) {
                    if (d.getSourceTopic().equals(Topic.TELEMETRY.topicName())
                            && d.getSourcePartition() == partitions[i]
                            && d.getSourceOffset() == offsets[i]) {
                        byJobAndRecord.put(d.getJob() + "/" + i, d.getReasonCode());
                    }
                }
            }
            Thread.sleep(1000);
        }
        assertThat(byJobAndRecord)
                .containsExactly(
                        Map.entry("carbon/0", "NODE_IDENTITY_MISMATCH"),
                        Map.entry("carbon/1", "UNAUTHENTICATED"),
                        Map.entry("node-health/0", "NODE_IDENTITY_MISMATCH"),
                        Map.entry("node-health/1", "UNAUTHENTICATED"),
                        Map.entry("node-inference/0", "NODE_IDENTITY_MISMATCH"),
                        Map.entry("node-inference/1", "UNAUTHENTICATED"),
                        Map.entry("threat-detection/0", "NODE_IDENTITY_MISMATCH"),
                        Map.entry("threat-detection/1", "UNAUTHENTICATED"));
    }

    /** Waits up to 3 minutes until node-health holds {@code atLeast} committed summaries. */
    static List<NodeHealthSummary> awaitSummaries(KafkaEndpoint kafka, int atLeast)
            throws Exception {
        AvroCodec<NodeHealthSummary> codec = AvroCodec.of(NodeHealthSummary.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        List<NodeHealthSummary> summaries = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            summaries.clear();
            for (ConsumerRecord<byte[], byte[]> record :
                    kafka.readCommitted(Topic.NODE_HEALTH.topicName())) {
                summaries.add(codec.decode(record.value()));
            }
            if (summaries.size() >= atLeast) {
                return summaries;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError(
                "only "
                        + summaries.size()
                        + " node-health records after 3 minutes; "
                        + stack.status());
    }

    private static List<String> initStatements() throws Exception {
        List<String> statements = new ArrayList<>();
        String text = Files.readString(stack.initSql());
        for (String part : text.split(";\n")) {
            String sql =
                    part.lines()
                            .filter(l -> !l.startsWith("--"))
                            .reduce("", (a, b) -> a + b + "\n")
                            .trim();
            if (!sql.isEmpty() && !sql.startsWith("SET 'sql-client")) {
                statements.add(sql);
            }
        }
        return statements;
    }
}
