package dev.vigil.local.kafka;

import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.local.process.RuntimeClasspath;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.local.security.StackSecurity;
import dev.vigil.schema.kafka.KafkaClientSettings;
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
    private final StackSecurity security;
    private final int plaintextPort;
    private ManagedProcess process;

    /**
     * @param dataDir root data directory shared by the local processes
     * @param port client listener port (9092 for {@code vigil up})
     * @param controllerPort KRaft controller listener port (9093 for {@code vigil up})
     * @param startTimeout how long to wait for the broker to answer
     */
    public KafkaBroker(Path dataDir, int port, int controllerPort, Duration startTimeout) {
        this(dataDir, port, controllerPort, startTimeout, null);
    }

    /**
     * A broker that, when {@code security} is given, serves clients over TLS with SCRAM-SHA-512
     * authentication only and authorizes every request by ACL ({@code StandardAuthorizer}, nothing
     * allowed without an ACL); the controller listener takes the broker's own certificate only.
     */
    public KafkaBroker(
            Path dataDir,
            int port,
            int controllerPort,
            Duration startTimeout,
            StackSecurity security) {
        this(dataDir, port, controllerPort, startTimeout, security, 0);
    }

    /**
     * A secured broker with, for benchmarks only, a second client listener on {@code plaintextPort}
     * that takes unauthenticated connections and lets them do anything (the principal {@code
     * User:ANONYMOUS} is a super user): it measures what TLS and SCRAM cost against plaintext on
     * the same broker and data. 0 for none.
     */
    public KafkaBroker(
            Path dataDir,
            int port,
            int controllerPort,
            Duration startTimeout,
            StackSecurity security,
            int plaintextPort) {
        if (plaintextPort != 0 && security == null) {
            throw new IllegalArgumentException("a plaintext benchmark listener needs security on");
        }
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = port;
        this.controllerPort = controllerPort;
        this.startTimeout = startTimeout;
        this.security = security;
        this.plaintextPort = plaintextPort;
    }

    /** The unauthenticated benchmark listener's bootstrap servers, if there is one. */
    public Optional<String> plaintextBootstrapServers() {
        return plaintextPort == 0 ? Optional.empty() : Optional.of("localhost:" + plaintextPort);
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
        if (plaintextPort != 0) {
            Ports.requireFree(plaintextPort, "Kafka benchmark listener", "a free port");
        }
        Path kafkaDir = dataDir.resolve("kafka");
        Path config = kafkaDir.resolve("server.properties");
        Path log4j = kafkaDir.resolve("log4j2.properties");
        Path formattedSecured = kafkaDir.resolve("formatted-with-scram");
        boolean formatted = Files.exists(kafkaDir.resolve("data").resolve("meta.properties"));
        if (security != null && formatted && !Files.exists(formattedSecured)) {
            throw new LaunchException(
                    "the Kafka storage in "
                            + kafkaDir
                            + " was formatted without authentication by an older Vigil, so the"
                            + " admin credential cannot be added to it; remove "
                            + dataDir
                            + " (its topics are lost) and run ./vigil up again");
        }
        try {
            Files.createDirectories(kafkaDir);
            Files.writeString(
                    config, serverProperties(kafkaDir.resolve("data")), StandardCharsets.UTF_8);
            restrict(config);
            Files.writeString(log4j, log4jProperties(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write Kafka configuration under " + kafkaDir, e);
        }
        String classpath = RuntimeClasspath.KAFKA_BROKER.load();
        List<String> logging =
                List.of(
                        "-Dlog4j2.configurationFile=" + log4j,
                        "-Dkafka.logs.dir=" + dataDir.resolve("logs"));
        if (!formatted) {
            List<String> format =
                    new java.util.ArrayList<>(
                            List.of(
                                    "format",
                                    "--cluster-id",
                                    Uuid.randomUuid().toString(),
                                    "--config",
                                    config.toString(),
                                    "--ignore-formatted"));
            if (security != null) {
                // in KRaft the first SCRAM credential is written with the storage itself
                format.addAll(List.of("--add-scram", security.formatScramArgument()));
            }
            JvmProcess.of("kafka-storage-format", dataDir)
                    .classpath(classpath)
                    .mainClass("kafka.tools.StorageTool")
                    .jvmArgs(logging)
                    .args(format)
                    .run(Duration.ofSeconds(60));
            if (security != null) {
                try {
                    Files.writeString(formattedSecured, "", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new LaunchException("cannot write " + formattedSecured, e);
                }
            }
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

    /** Whether clients must authenticate (TLS + SCRAM) and requests are authorized by ACL. */
    public boolean secured() {
        return security != null;
    }

    /** Client settings of {@code principal} (a plaintext connection when not secured). */
    public KafkaClientSettings client(String principal) {
        return security == null
                ? KafkaClientSettings.plaintext(bootstrapServers())
                : security.client(principal, bootstrapServers());
    }

    /** Admin client properties for this broker (as the admin principal when secured). */
    public Properties adminProperties() {
        Properties properties = client(StackPrincipals.ADMIN).toProperties();
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
        String clientListener = security == null ? "PLAINTEXT" : "CLIENT";
        String bench = plaintextPort == 0 ? "" : ",BENCH://localhost:" + plaintextPort;
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
                                        clientListener
                                                + "://localhost:"
                                                + port
                                                + ",CONTROLLER://localhost:"
                                                + controllerPort
                                                + bench),
                                Map.entry(
                                        "advertised.listeners",
                                        clientListener + "://localhost:" + port + bench),
                                Map.entry("controller.listener.names", "CONTROLLER"),
                                Map.entry("inter.broker.listener.name", clientListener),
                                Map.entry(
                                        "listener.security.protocol.map",
                                        security == null
                                                ? "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
                                                : "CONTROLLER:SSL,CLIENT:SASL_SSL"
                                                        + (bench.isEmpty()
                                                                ? ""
                                                                : ",BENCH:PLAINTEXT")),
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
        if (security != null) {
            settings.putAll(security.brokerSettings());
            if (plaintextPort != 0) {
                settings.put("super.users", settings.get("super.users") + ";User:ANONYMOUS");
            }
        }
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

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the data directory's own permissions apply
        }
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
