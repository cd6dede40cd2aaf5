package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.local.LocalStack;
import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.local.testing.KafkaEndpoint;
import dev.vigil.schema.NodeHealthSummary;
import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.schema.sql.FlinkSqlTables;
import dev.vigil.simulator.SimulatorMain;
import dev.vigil.simulator.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil deploy} onto clusters it did not start: a Kafka broker, a Flink session cluster and
 * a SQL Gateway launched bare (no topics, no keys, no jobs, no tables), as a platform team runs
 * them, with Vigil's schemas jar on the gateway's classpath as its lib/ would hold it. Then
 * telemetry flows, {@code vigil sql --dir} and a plain JDBC program (docs/sql/VigilJdbc.java) query
 * the outputs, and {@code undeploy} / {@code deploy} stop and resume the jobs with savepoints.
 */
class DeployITCase {

    @TempDir static Path platform;
    @TempDir static Path work;

    private static KafkaBroker kafka;
    private static FlinkSessionCluster flink;
    private static final List<ManagedProcess> started = new ArrayList<>();

    /** The jobs deploy submits, by name. */
    private static final List<String> JOBS =
            VigilJobs.all("localhost:9092", Path.of("keys")).stream()
                    .map(dev.vigil.local.JobSpec::name)
                    .toList();

    @BeforeAll
    static void startBareClusters() {
        kafka = KafkaBroker.onFreePorts(platform.resolve("kafka"));
        kafka.start();
        flink =
                new FlinkSessionCluster(
                        platform.resolve("flink"),
                        Ports.freePort(),
                        Ports.freePort(),
                        Ports.freePort(),
                        8,
                        Duration.ofSeconds(120));
        flink.gatewayLibraries(List.of(LocalStack.codeLocation(FlinkSqlTables.class)));
        flink.start();
        flink.startGateway();
        kafka.running().ifPresent(started::add);
        for (String role :
                List.of(
                        FlinkSessionCluster.JOBMANAGER,
                        FlinkSessionCluster.TASKMANAGER,
                        FlinkSessionCluster.GATEWAY)) {
            flink.running(role).ifPresent(started::add);
        }
        assertThat(started).hasSize(4);
    }

    @AfterAll
    static void stopBareClusters() {
        if (flink != null) {
            flink.stop();
        }
        if (kafka != null) {
            kafka.stop();
        }
        for (ManagedProcess process : started) {
            assertThat(process.isAlive()).as(process.toString()).isFalse();
        }
    }

    @Test
    void deployRunsVigilOnClustersItDidNotStartAndUndeployResumesIt() throws Exception {
        KafkaClientSettings client = KafkaClientSettings.plaintext(kafka.bootstrapServers());
        Path properties = work.resolve("platform-client.properties");
        Files.writeString(
                properties, "security.protocol=PLAINTEXT\nclient.dns.lookup=use_all_dns_ips\n");
        Path dir = work.resolve("deployment");
        String rest = "http://localhost:" + flink.restPort();
        String gateway = "http://localhost:" + flink.gatewayPort();
        List<String> deploy =
                List.of(
                        "deploy",
                        "--flink-rest",
                        rest,
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--kafka-properties",
                        properties.toString(),
                        "--sql-gateway",
                        gateway,
                        "--replication",
                        "1",
                        "--dir",
                        dir.toString());

        // a topic the platform made with a setting Vigil cannot work with: reported, not changed
        try (Admin admin = Admin.create(client.toProperties())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("alerts", 4, (short) 1)
                                            .configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Cli refused = cli(deploy);
        assertThat(refused.code).as(refused.out).isEqualTo(1);
        assertThat(refused.out)
                .contains("created topics")
                .contains("topic alerts: cleanup.policy is compact, Vigil needs delete")
                .contains("deploy stopped");
        FlinkRestClient jobs = new FlinkRestClient("localhost", flink.restPort());
        assertThat(jobs.jobs()).isEmpty();
        try (Admin admin = Admin.create(client.toProperties())) {
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, "alerts");
            assertThat(cleanupPolicy(admin, alerts)).isEqualTo("compact");
            admin.incrementalAlterConfigs(
                            Map.of(
                                    alerts,
                                    List.of(
                                            new AlterConfigOp(
                                                    new ConfigEntry("cleanup.policy", "delete"),
                                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // the broker applies the change from the metadata log a moment later
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"delete".equals(cleanupPolicy(admin, alerts)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        }

        Cli deployed = cli(deploy);
        assertThat(deployed.code).as(deployed.out).isZero();
        assertThat(deployed.out)
                .contains("SQL catalog vigil on " + gateway + " with " + Topic.values().length)
                .contains("key store password in " + dir.resolve("keystore.password"));
        Map<String, String> running = runningJobs(jobs);
        assertThat(running).containsOnlyKeys(JOBS);
        // the jobs read the key material where the deployment put it (a mounted secret)
        assertThat(
                        new FlinkRestClient("localhost", flink.restPort())
                                .job(running.get("vigil-audit"))
                                .path("state")
                                .asText())
                .isEqualTo("RUNNING");

        Cli again = cli(deploy);
        assertThat(again.code).as(again.out).isZero();
        for (String job : JOBS) {
            assertThat(again.out).contains("job " + job + " already running (" + running.get(job));
        }

        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(8));
        assertThat(
                        SimulatorMain.run(
                                SimulatorOptions.parse(
                                        new String[] {
                                            "--bootstrap-servers",
                                            kafka.bootstrapServers(),
                                            "--rate",
                                            "max",
                                            "--duration",
                                            "6m",
                                            "--start",
                                            start.toString()
                                        },
                                        Instant.now())))
                .isTrue();
        List<NodeHealthSummary> summaries =
                LocalStackITCase.awaitSummaries(KafkaEndpoint.of(client), 16 * 4);
        Instant until = start.plus(Duration.ofMinutes(4));
        long windows = summaries.stream().filter(s -> !s.getWindowEnd().isAfter(until)).count();
        long events =
                summaries.stream()
                        .filter(s -> !s.getWindowEnd().isAfter(until))
                        .mapToLong(NodeHealthSummary::getEvents)
                        .sum();
        assertThat(windows).isEqualTo(16 * 4);
        String query =
                "SELECT COUNT(*) AS windows, COUNT(DISTINCT node_id) AS nodes, SUM(events) AS"
                        + " events FROM node_health WHERE window_end <= TIMESTAMP '"
                        + until.toString().replace('T', ' ').replace("Z", "")
                        + "'";

        Cli sql = cli(List.of("sql", "--dir", dir.toString(), "-e", query));
        assertThat(sql.code).as(sql.out).isZero();
        assertThat(sql.out.replaceAll("[ |+-]+", " "))
                .contains(" windows nodes events ")
                .contains(" " + windows + " 16 " + events + " ");

        String jdbc =
                runJdbcExample(
                        "jdbc:flink://localhost:" + flink.gatewayPort() + "/vigil/topics", query);
        assertThat(jdbc.lines().toList())
                .containsExactly("windows\tnodes\tevents", windows + "\t16\t" + events);

        Cli undeployed = cli(List.of("undeploy", "--dir", dir.toString()));
        assertThat(undeployed.code).as(undeployed.out).isZero();
        assertThat(undeployed.out).contains("stopped 6 jobs");
        for (String job : JOBS) {
            assertThat(Files.readString(dir.resolve("resume/" + job + ".savepoint")))
                    .as(job)
                    .startsWith("file:");
        }
        assertThat(runningJobs(jobs)).isEmpty();

        Cli resumed = cli(deploy);
        assertThat(resumed.code).as(resumed.out).isZero();
        for (String job : JOBS) {
            assertThat(resumed.out).contains("resuming job " + job + " from file:");
        }
        assertThat(runningJobs(jobs)).containsOnlyKeys(JOBS);
        assertThat(cli(List.of("undeploy", "--dir", dir.toString())).code).isZero();

        // jobs/README's manual flink run lines, run as written with Flink's own CLI, paths replaced
        Map<String, String> paths =
                Map.of(
                        "jobs/target/vigil-jobs-<version>-job.jar",
                        Path.of(System.getProperty("vigil.job.jar")).toAbsolutePath().toString(),
                        "broker:9092",
                        kafka.bootstrapServers(),
                        "/etc/vigil/client.properties",
                        properties.toString(),
                        "/mnt/vigil/",
                        dir + "/");
        List<List<String>> lines = JobsReadme.flinkRunLines(paths);
        assertThat(lines).hasSize(JOBS.size());
        for (List<String> words : lines) {
            assertThat(words.get(0)).isEqualTo("flink");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(dev.vigil.local.process.JvmProcess.JAVA17_OPENS);
            command.add(
                    "-Dlog4j.configurationFile="
                            + dir.resolve("client/conf/log4j.properties").toUri());
            command.add("-Dlog.file=" + work.resolve("flink-run.log"));
            command.add("-cp");
            command.add(dev.vigil.local.process.RuntimeClasspath.FLINK_CLUSTER.load());
            command.add("org.apache.flink.client.cli.CliFrontend");
            command.addAll(words.subList(1, words.size()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("FLINK_CONF_DIR", dir.resolve("client/conf").toString());
            Process process = builder.start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", words) + "\n" + output).isZero();
            assertThat(output).contains("Job has been submitted with JobID");
        }
        waitUntilRunning(jobs, JOBS);
    }

    private static void waitUntilRunning(FlinkRestClient rest, List<String> names)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!runningJobs(rest).keySet().containsAll(names) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(runningJobs(rest)).containsOnlyKeys(names);
    }

    private static String cleanupPolicy(Admin admin, ConfigResource topic) throws Exception {
        return admin.describeConfigs(List.of(topic))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .get("cleanup.policy")
                .value();
    }

    private record Cli(int code, String out) {}

    /** Runs the CLI in this JVM, as the vigil script would, capturing what it prints. */
    private static Cli cli(List<String> args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> all =
                new ArrayList<>(List.of("--job-jar", System.getProperty("vigil.job.jar")));
        all.addAll(args);
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = VigilCli.run(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return new Cli(code, text);
    }

    private static Map<String, String> runningJobs(FlinkRestClient rest) {
        Map<String, String> running = new TreeMap<>();
        for (FlinkRestClient.Job job : rest.jobs()) {
            if (job.state().equals("RUNNING")) {
                running.put(job.name(), job.id());
            }
        }
        return running;
    }

    /** Runs docs/sql/VigilJdbc.java with the driver classpath Maven builds. */
    private static String runJdbcExample(String url, String query) throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        Path classpath = root.resolve("local-cluster/cli/target/jdbc");
        assertThat(classpath.resolve("slf4j-api-2.0.17.jar")).exists();
        Process process =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classpath + "/*",
                                root.resolve("docs/sql/VigilJdbc.java").toString(),
                                url,
                                query)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
