package dev.vigil.local.flink;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Flink 2.2 session cluster (one JobManager, one TaskManager) and the SQL Gateway, each in its
 * own JVM, from the Maven-resolved Flink classpath instead of a binary distribution. Configuration
 * goes to {@code <dataDir>/flink/conf/config.yaml}, state and uploads under {@code
 * <dataDir>/flink}, logs under {@code <dataDir>/logs}.
 */
public final class FlinkSessionCluster {

    public static final String JOBMANAGER = "flink-jobmanager";
    public static final String TASKMANAGER = "flink-taskmanager";
    public static final String GATEWAY = "sql-gateway";

    /** TaskManager memory, every component explicit (no start-up scripts compute them here). */
    private static final Map<String, String> TM_MEMORY =
            new LinkedHashMap<>(
                    Map.of(
                            "taskmanager.memory.framework.heap.size", "128m",
                            "taskmanager.memory.task.heap.size", "1024m",
                            "taskmanager.memory.framework.off-heap.size", "128m",
                            "taskmanager.memory.task.off-heap.size", "0m",
                            "taskmanager.memory.managed.size", "256m",
                            "taskmanager.memory.network.min", "128m",
                            "taskmanager.memory.network.max", "128m",
                            "taskmanager.memory.jvm-metaspace.size", "256m",
                            "taskmanager.memory.jvm-overhead.min", "192m",
                            "taskmanager.memory.jvm-overhead.max", "192m"));

    private static final List<String> TM_JVM =
            List.of(
                    "-Xms1152m",
                    "-Xmx1152m",
                    "-XX:MaxDirectMemorySize=256m",
                    "-XX:MaxMetaspaceSize=256m");

    private final Path dataDir;
    private final int restPort;
    private final int rpcPort;
    private final int gatewayPort;
    private final int slots;
    private final Duration startTimeout;

    /**
     * @param restPort JobManager REST API and web UI (8081 for {@code vigil up})
     * @param rpcPort JobManager RPC (6123 for {@code vigil up})
     * @param gatewayPort SQL Gateway REST endpoint (8083 for {@code vigil up})
     * @param slots TaskManager slots: one per pipeline job plus spare ones for ad-hoc SQL
     */
    public FlinkSessionCluster(
            Path dataDir,
            int restPort,
            int rpcPort,
            int gatewayPort,
            int slots,
            Duration startTimeout) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.restPort = restPort;
        this.rpcPort = rpcPort;
        this.gatewayPort = gatewayPort;
        this.slots = slots;
        this.startTimeout = startTimeout;
    }

    public Path confDir() {
        return dataDir.resolve("flink").resolve("conf");
    }

    public int restPort() {
        return restPort;
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public FlinkRestClient rest() {
        return new FlinkRestClient("localhost", restPort);
    }

    /** The web UI address. */
    public String webUi() {
        return "http://localhost:" + restPort;
    }

    /** The SQL Gateway endpoint. */
    public String gatewayEndpoint() {
        return "http://localhost:" + gatewayPort;
    }

    private final java.util.Map<String, String> taskManagerEnv = new java.util.LinkedHashMap<>();

    /**
     * Adds an environment variable of the TaskManager process only (e.g. the key store password,
     * which no other process and no log gets to see).
     */
    public void taskManagerEnv(String name, String value) {
        taskManagerEnv.put(name, value);
    }

    /** Writes the configuration, starts JobManager and TaskManager, and waits for free slots. */
    public void start() {
        startJobManager();
        startTaskManager();
    }

    /** Writes the configuration and starts the JobManager; waits until its REST API answers. */
    public void startJobManager() {
        Ports.requireFree(restPort, "Flink JobManager (REST and web UI)", "--flink-port");
        Ports.requireFree(rpcPort, "Flink JobManager (RPC)", "--flink-rpc-port");
        writeConfiguration();
        ManagedProcess jobManager =
                flinkProcess(JOBMANAGER, RuntimeClasspath.FLINK_CLUSTER.load())
                        .mainClass(
                                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint")
                        .jvmArgs(jvm(List.of("-Xms256m", "-Xmx768m"), JOBMANAGER))
                        .args(List.of("--configDir", confDir().toString()))
                        .start();
        awaitRest(jobManager);
    }

    /**
     * Starts a TaskManager against the running JobManager and waits until its slots are registered.
     */
    public void startTaskManager() {
        List<String> tmJvm = new ArrayList<>(TM_JVM);
        // extra TaskManager JVM options, e.g. a JFR recording for profiling
        String extra = System.getenv("VIGIL_TM_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            tmJvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        JvmProcess tm =
                flinkProcess(TASKMANAGER, RuntimeClasspath.FLINK_CLUSTER.load())
                        .mainClass("org.apache.flink.runtime.taskexecutor.TaskManagerRunner")
                        .jvmArgs(jvm(tmJvm, TASKMANAGER))
                        .args(List.of("--configDir", confDir().toString()));
        taskManagerEnv.forEach(tm::env);
        ManagedProcess taskManager = tm.start();
        awaitSlots(taskManager);
    }

    private final List<Path> gatewayLibraries = new ArrayList<>();

    /**
     * Adds jars (or class directories) to the SQL Gateway's classpath, as a cluster operator adds
     * them to its {@code lib/}: e.g. vigil-schemas, which holds the {@code vigil} catalog.
     */
    public void gatewayLibraries(List<Path> libraries) {
        gatewayLibraries.addAll(libraries);
    }

    /** Starts the SQL Gateway against the running cluster and waits until it answers. */
    public void startGateway() {
        Ports.requireFree(gatewayPort, "Flink SQL Gateway", "--gateway-port");
        StringBuilder classpath = new StringBuilder(RuntimeClasspath.FLINK_CLUSTER.load());
        for (Path library : gatewayLibraries) {
            classpath.append(java.io.File.pathSeparator).append(library.toAbsolutePath());
        }
        ManagedProcess gateway =
                flinkProcess(GATEWAY, classpath.toString())
                        .mainClass("org.apache.flink.table.gateway.SqlGateway")
                        .jvmArgs(jvm(List.of("-Xms256m", "-Xmx1g"), GATEWAY))
                        .start();
        await(gateway, "the SQL Gateway", () -> Ports.isListening(gatewayPort) && gatewayAnswers());
    }

    /** Stops gateway, TaskManager and JobManager (in that order), each by its recorded pid. */
    public void stop() {
        for (String role : List.of(GATEWAY, TASKMANAGER, JOBMANAGER)) {
            running(role).ifPresent(p -> p.stop(Duration.ofSeconds(30)));
        }
    }

    /** The process of {@code role} under this data directory, if it runs. */
    public Optional<ManagedProcess> running(String role) {
        return ManagedProcess.fromPidFile(pidFile(role), role, dataDir, logFile(role));
    }

    /** A JVM with the Flink classpath, the conf dir in FLINK_CONF_DIR and its log file. */
    public JvmProcess flinkProcess(String role, String classpath) {
        return JvmProcess.of(role, dataDir)
                .classpath(classpath)
                .env("FLINK_CONF_DIR", confDir().toString())
                // DJL: never download an engine, a model or a native library; no usage tracking
                .env("OPT_OUT_TRACKING", "true")
                .env("DJL_OFFLINE", "true")
                .env("DJL_CACHE_DIR", dir("djl-cache"))
                .workingDir(dataDir)
                .logFile(logFile(role))
                .pidFile(pidFile(role));
    }

    /** JVM arguments of a Flink process: heap, Java 17 opens and logging. */
    public List<String> jvm(List<String> memory, String role) {
        List<String> args = new ArrayList<>(memory);
        args.add("-XX:+UseG1GC");
        args.addAll(JvmProcess.JAVA17_OPENS);
        args.add("-Dlog.file=" + dataDir.resolve("logs").resolve(role + ".log"));
        args.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        args.add("-Dai.djl.offline=true");
        return args;
    }

    private void writeConfiguration() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "localhost");
        config.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        config.put("jobmanager.bind-host", "localhost");
        config.put("taskmanager.host", "localhost");
        config.put("taskmanager.bind-host", "localhost");
        config.put("rest.address", "localhost");
        config.put("rest.bind-address", "localhost");
        config.put("rest.port", Integer.toString(restPort));
        config.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        config.put(
                "taskmanager.cpu.cores",
                Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));
        config.putAll(TM_MEMORY);
        config.put("parallelism.default", "1");
        // jobs are submitted as JobGraphs (POST /jobs, what flink run does; JobSubmission): no jar
        // uploads and no running of uploaded jars over REST
        config.put("web.submit.enable", "false");
        config.put("web.cancel.enable", "true");
        config.put("web.upload.dir", dir("flink/web-upload"));
        config.put("io.tmp.dirs", dir("flink/tmp"));
        config.put("blob.storage.directory", dir("flink/blobs"));
        config.put(
                "execution.checkpointing.dir",
                dataDir.resolve("flink/checkpoints").toUri().toString());
        config.put(
                "execution.checkpointing.savepoint-dir",
                dataDir.resolve("flink/savepoints").toUri().toString());
        config.put("state.backend.type", "hashmap");
        // native engines load once per TaskManager JVM: a restarted job must find them loaded by
        // the same class loader, not by its own new one ("already loaded in another classloader")
        config.put("classloader.parent-first-patterns.additional", "ai.djl.;ai.onnxruntime.");
        // a TaskManager that died is noticed within seconds, so that its jobs can restart on the
        // one the supervisor starts instead of waiting for the 50 s default
        config.put("heartbeat.interval", "2 s");
        config.put("heartbeat.timeout", "10 s");
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "5");
        config.put("restart-strategy.fixed-delay.delay", "5 s");
        // the SQL Gateway and client read the same file
        config.put("execution.target", "remote");
        config.put("sql-gateway.endpoint.rest.address", "localhost");
        config.put("sql-gateway.endpoint.rest.bind-address", "localhost");
        config.put("sql-gateway.endpoint.rest.port", Integer.toString(gatewayPort));
        config.put("sql-gateway.endpoint.rest.bind-port", Integer.toString(gatewayPort));
        // a killed client's session (and its streaming query) goes away quickly
        // catalogs created through the gateway (the vigil catalog) outlive the session
        config.put("table.catalog-store.kind", "file");
        config.put("table.catalog-store.file.path", dir("flink/catalogs"));
        config.put("sql-gateway.session.idle-timeout", "2 min");
        config.put("sql-gateway.session.check-interval", "30 s");
        // ad-hoc SQL takes one slot, so it can never starve the pipeline jobs
        config.put("table.exec.resource.default-parallelism", "1");
        StringBuilder yaml =
                new StringBuilder("# written by vigil up; edits are overwritten on start\n");
        config.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
        try {
            Files.createDirectories(confDir());
            Files.createDirectories(dataDir.resolve("logs"));
            Files.writeString(confDir().resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
            Files.writeString(
                    confDir().resolve("log4j.properties"), log4j(), StandardCharsets.UTF_8);
            // the SQL client looks for this one
            Files.writeString(
                    confDir().resolve("log4j-cli.properties"), log4j(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write Flink configuration under " + confDir(), e);
        }
    }

    private String dir(String relative) {
        Path path = dataDir.resolve(relative);
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new LaunchException("cannot create " + path, e);
        }
        return path.toString();
    }

    private static String quote(String value) {
        return value.matches("[A-Za-z0-9_./:+-]+( [a-z]+)?")
                ? value
                : "'" + value.replace("'", "''") + "'";
    }

    /** The log4j configuration of the stack's Flink processes: one rolling file each. */
    static String log4j() {
        return String.join(
                "\n",
                "monitorInterval = 30",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "appender.main.name = MainAppender",
                "appender.main.type = RollingFile",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.filePattern = ${sys:log.file}.%i",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                "appender.main.policies.type = Policies",
                "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.main.policies.size.size = 50MB",
                "appender.main.strategy.type = DefaultRolloverStrategy",
                "appender.main.strategy.max = 5",
                "");
    }

    private void awaitRest(ManagedProcess jobManager) {
        await(jobManager, "the Flink JobManager", () -> rest().overview().isPresent());
    }

    private void awaitSlots(ManagedProcess taskManager) {
        await(
                taskManager,
                "the Flink TaskManager",
                () ->
                        rest().overview()
                                .map(o -> o.path("slots-total").asInt() >= slots)
                                .orElse(false));
    }

    private void await(
            ManagedProcess process, String what, java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LaunchException(
                        what
                                + " exited during start-up; last lines of "
                                + process.logFile()
                                + ":\n"
                                + process.logTail(30)
                                + "\n(full log: "
                                + logFile(process.role())
                                + ")");
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for " + what, e);
            }
        }
        process.stop(Duration.ofSeconds(10));
        throw new LaunchException(
                what
                        + " was not ready within "
                        + startTimeout.toSeconds()
                        + " s; last lines of "
                        + process.logFile()
                        + ":\n"
                        + process.logTail(30));
    }

    private boolean gatewayAnswers() {
        try {
            java.net.http.HttpResponse<String> response =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            gatewayEndpoint() + "/v1/info"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path pidFile(String role) {
        return dataDir.resolve("run").resolve(role + ".pid");
    }

    /** Where a role's stdout/stderr go (Flink's own log is {@code <role>.log} beside it). */
    public Path logFile(String role) {
        return dataDir.resolve("logs").resolve(role + ".out");
    }
}
