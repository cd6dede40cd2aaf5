package dev.vigil.local.kafka;

import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.local.process.RuntimeClasspath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka 4.2 broker in KRaft combined mode (broker and controller in one process),
 * running in its own JVM from the Maven-resolved broker classpath. All its data lives under {@code
 * <dataDir>/kafka}; its output goes to {@code <dataDir>/logs/kafka.log}.
 */
public final class KafkaBroker {

    /** Role name of the broker process (pid file, marker, log). */
    public static final String ROLE = "kafka";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Duration startTimeout;
    private ManagedProcess process;

    /**
     * @param dataDir root data directory shared by the local processes
     * @param port client listener port (9092 for {@code vigil up})
     * @param controllerPort KRaft controller listener port (9093 for {@code vigil up})
     * @param startTimeout how long to wait for the broker to answer
     */
    public KafkaBroker(Path dataDir, int port, int controllerPort, Duration startTimeout) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = port;
        this.controllerPort = controllerPort;
        this.startTimeout = startTimeout;
    }

    /** A broker on two free ports, for tests that must not collide with a running stack. */
    public static KafkaBroker onFreePorts(Path dataDir) {
        return new KafkaBroker(dataDir, Ports.freePort(), Ports.freePort(), Duration.ofSeconds(90));
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker process recorded under the data directory, if it is running. */
    public Optional<ManagedProcess> running() {
        if (process != null && process.isAlive()) {
            return Optional.of(process);
        }
        return ManagedProcess.fromPidFile(pidFile(), ROLE, dataDir, logFile());
    }

    /** Formats storage on first start, starts the broker and waits until it serves requests. */
    public ManagedProcess start() {
        Ports.requireFree(port, "Kafka broker", "--kafka-port");
        Ports.requireFree(controllerPort, "Kafka controller", "--kafka-controller-port");
        Path kafkaDir = dataDir.resolve("kafka");
        Path config = kafkaDir.resolve("server.properties");
        Path log4j = kafkaDir.resolve("log4j2.properties");
        try {
            Files.createDirectories(kafkaDir);
            Files.writeString(
                    config, serverProperties(kafkaDir.resolve("data")), StandardCharsets.UTF_8);
            Files.writeString(log4j, log4jProperties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write Kafka configuration under " + kafkaDir, e);
        }
        String classpath = RuntimeClasspath.KAFKA_BROKER.load();
        List<String> logging =
                List.of(
                        "-Dlog4j2.configurationFile=" + log4j,
                        "-Dkafka.logs.dir=" + dataDir.resolve("logs"));
        if (!Files.exists(kafkaDir.resolve("data").resolve("meta.properties"))) {
            JvmProcess.of("kafka-storage-format", dataDir)
                    .classpath(classpath)
                    .mainClass("kafka.tools.StorageTool")
                    .jvmArgs(logging)
                    .args(
                            List.of(
                                    "format",
                                    "--cluster-id",
                                    Uuid.randomUuid().toString(),
                                    "--config",
                                    config.toString(),
                                    "--ignore-formatted"))
                    .run(Duration.ofSeconds(60));
        }
        process =
                JvmProcess.of(ROLE, dataDir)
                        .classpath(classpath)
                        .mainClass("kafka.Kafka")
                        .jvmArgs(
                                concat(
                                        List.of(
                                                "-Xms512m",
                                                "-Xmx1g",
                                                "-XX:+UseG1GC",
                                                "-XX:MaxGCPauseMillis=20",
                                                "-Djava.awt.headless=true"),
                                        logging))
                        .args(List.of(config.toString()))
                        .logFile(logFile())
                        .pidFile(pidFile())
                        .start();
        awaitReady();
        return process;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) if it runs. */
    public void stop() {
        running().ifPresent(p -> p.stop(Duration.ofSeconds(30)));
        process = null;
    }

    /** Admin client properties for this broker. */
    public Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return properties;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new LaunchException(
                            "the Kafka broker exited during start-up; last lines of "
                                    + logFile()
                                    + ":\n"
                                    + process.logTail(30));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                sleep(250);
            }
        }
        process.stop(Duration.ofSeconds(10));
        throw new LaunchException(
                "the Kafka broker was not ready within "
                        + startTimeout.toSeconds()
                        + " s ("
                        + (last == null ? "no answer" : last.getMessage())
                        + "); last lines of "
                        + logFile()
                        + ":\n"
                        + process.logTail(30));
    }

    private String serverProperties(Path logDirs) {
        Map<String, String> settings =
                new java.util.LinkedHashMap<>(
                        Map.ofEntries(
                                Map.entry("process.roles", "broker,controller"),
                                Map.entry("node.id", "1"),
                                Map.entry(
                                        "controller.quorum.voters",
                                        "1@localhost:" + controllerPort),
                                Map.entry(
                                        "listeners",
                                        "PLAINTEXT://localhost:"
                                                + port
                                                + ",CONTROLLER://localhost:"
                                                + controllerPort),
                                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
                                Map.entry("controller.listener.names", "CONTROLLER"),
                                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                                Map.entry(
                                        "listener.security.protocol.map",
                                        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
                                Map.entry("log.dirs", logDirs.toString()),
                                // one node: every internal topic has a single replica
                                Map.entry("offsets.topic.replication.factor", "1"),
                                Map.entry("offsets.topic.num.partitions", "4"),
                                Map.entry("transaction.state.log.replication.factor", "1"),
                                Map.entry("transaction.state.log.min.isr", "1"),
                                Map.entry("transaction.state.log.num.partitions", "4"),
                                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                                Map.entry("group.initial.rebalance.delay.ms", "0"),
                                // topics are created on purpose, with their settings, never by a
                                // typo
                                Map.entry("auto.create.topics.enable", "false"),
                                Map.entry("num.partitions", "1"),
                                // Kafka is the system of record: keep everything
                                Map.entry("log.retention.ms", "-1"),
                                Map.entry("num.network.threads", "2"),
                                Map.entry("num.io.threads", "2"),
                                Map.entry("background.threads", "2"),
                                Map.entry("log.cleaner.threads", "1")));
        StringBuilder out =
                new StringBuilder("# written by vigil; edits are overwritten on start\n");
        settings.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private String log4jProperties() {
        return String.join(
                "\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + dataDir.resolve("logs").resolve("kafka-server.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "logger.controller.name = org.apache.kafka.controller",
                "logger.controller.level = WARN",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
    }

    private Path pidFile() {
        return dataDir.resolve("run").resolve(ROLE + ".pid");
    }

    private Path logFile() {
        return dataDir.resolve("logs").resolve(ROLE + ".out");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for the Kafka broker", e);
        }
    }
}
