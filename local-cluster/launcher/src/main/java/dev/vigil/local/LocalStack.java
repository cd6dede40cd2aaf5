package dev.vigil.local;

import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.flink.JobSubmission;
import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.kafka.TopicSetup;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.security.KafkaAccessSetup;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.local.security.StackSecurity;
import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.schema.sql.FlinkSqlTables;
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
import java.util.function.Consumer;

/**
 * The whole local Vigil: a Kafka broker, a Flink session cluster with the SQL Gateway, Vigil's
 * topics, the pre-registered SQL tables and the running jobs. Used by the {@code vigil} CLI and, on
 * free ports, by the integration test that does what {@code vigil up} does.
 */
public final class LocalStack {

    /** The process that restarts the others when they die. */
    public static final String SUPERVISOR = "supervisor";

    /** Roles of the processes the stack may run, in stop order. */
    public static final List<String> ROLES =
            List.of(
                    SUPERVISOR,
                    "simulator",
                    FlinkSessionCluster.GATEWAY,
                    FlinkSessionCluster.TASKMANAGER,
                    FlinkSessionCluster.JOBMANAGER,
                    KafkaBroker.ROLE);

    /** Roles the supervisor keeps running, in start order. */
    public static final List<String> SUPERVISED =
            List.of(
                    KafkaBroker.ROLE,
                    FlinkSessionCluster.JOBMANAGER,
                    FlinkSessionCluster.TASKMANAGER,
                    FlinkSessionCluster.GATEWAY);

    private final StackSettings settings;
    private final Consumer<String> progress;
    private final KafkaBroker kafka;
    private final FlinkSessionCluster flink;
    private final StackSecurity security;

    public LocalStack(StackSettings settings, Consumer<String> progress) {
        this(settings, progress, 0);
    }

    /**
     * A stack whose broker also has an unauthenticated listener on {@code plaintextPort}, for
     * benchmarks that compare TLS + SCRAM with plaintext on the same broker (see {@link
     * KafkaBroker}); never for {@code vigil up}.
     */
    public LocalStack(StackSettings settings, Consumer<String> progress, int plaintextPort) {
        this.settings = settings;
        this.progress = progress;
        this.security = new StackSecurity(settings.dataDir());
        this.kafka =
                new KafkaBroker(
                        settings.dataDir(),
                        settings.kafkaPort(),
                        settings.kafkaControllerPort(),
                        settings.startTimeout(),
                        security,
                        plaintextPort);
        this.flink =
                new FlinkSessionCluster(
                        settings.dataDir(),
                        settings.flinkPort(),
                        settings.flinkRpcPort(),
                        settings.gatewayPort(),
                        settings.slots(),
                        settings.startTimeout());
    }

    public StackSettings settings() {
        return settings;
    }

    /** The stack's signing keys. */
    public StackKeys keys() {
        return new StackKeys(settings.dataDir());
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The broker's TLS and SCRAM material and the principals' client properties files. */
    public StackSecurity security() {
        return security;
    }

    /** Kafka client settings of {@code principal} (one of {@link StackPrincipals}). */
    public KafkaClientSettings kafka(String principal) {
        return kafka.client(principal);
    }

    public FlinkSessionCluster flink() {
        return flink;
    }

    /** The SQL file that registers one table per topic; the SQL client runs it on connect. */
    public Path initSql() {
        return settings.dataDir().resolve("sql").resolve("init.sql");
    }

    /**
     * Starts broker, topics, Flink, gateway and writes the SQL init file; idempotent for parts
     * already up, and it repairs the stack: each process that is not running (one that died, a
     * TaskManager killed with {@code kill -9}) is started again.
     */
    public void start() {
        requireJava17();
        settings.save();
        security.ensure(settings.bootstrapServers());
        for (String role : SUPERVISED) {
            Optional<ManagedProcess> process = running(role);
            if (process.isPresent()) {
                progress.accept(
                        describe(role) + " already running (pid " + process.get().pid() + ")");
            } else {
                startRole(role);
            }
            if (role.equals(KafkaBroker.ROLE)) {
                List<String> created = TopicSetup.createAll(kafka.adminProperties());
                progress.accept(created.isEmpty() ? "topics present" : "created topics " + created);
                int acls = KafkaAccessSetup.apply(kafka.adminProperties(), security);
                progress.accept(
                        StackPrincipals.names().size()
                                + " principals, "
                                + acls
                                + " ACLs (client properties in "
                                + security.dir()
                                + ")");
            }
        }
        writeInitSql();
    }

    /**
     * Starts every supervised process that is not running; returns the roles it started. The
     * supervisor calls this every few seconds.
     */
    public List<String> repair() {
        List<String> started = new ArrayList<>();
        for (String role : SUPERVISED) {
            if (running(role).isEmpty()) {
                progress.accept(describe(role) + " is not running: starting it");
                startRole(role);
                started.add(role);
            }
        }
        return started;
    }

    private void startRole(String role) {
        long t = System.nanoTime();
        switch (role) {
            case KafkaBroker.ROLE -> {
                progress.accept("starting Kafka broker on " + kafka.bootstrapServers() + " ...");
                kafka.start();
            }
            case FlinkSessionCluster.JOBMANAGER -> {
                progress.accept("starting Flink JobManager (web UI " + flink.webUi() + ") ...");
                flink.startJobManager();
            }
            case FlinkSessionCluster.TASKMANAGER -> {
                try {
                    StackKeys keys = keys();
                    String current = keys.open().signer().keyId();
                    progress.accept(
                            "signing key "
                                    + current
                                    + " (public keys in "
                                    + keys.publicKeys()
                                    + ")");
                    flink.taskManagerEnv(
                            dev.vigil.audit.KeyStoreDirectory.PASSWORD_ENV, keys.password());
                    progress.accept(
                            "authors' keys trusted for rules, models and approvals in "
                                    + keys.openAuthors(java.time.Instant.now()));
                } catch (java.io.IOException e) {
                    throw new LaunchException("cannot open the key store: " + e.getMessage(), e);
                }
                progress.accept("starting Flink TaskManager ...");
                flink.startTaskManager();
            }
            case FlinkSessionCluster.GATEWAY -> {
                progress.accept(
                        "starting Flink SQL Gateway on " + flink.gatewayEndpoint() + " ...");
                flink.startGateway();
            }
            default -> throw new IllegalArgumentException("not a supervised role: " + role);
        }
        progress.accept(
                String.format(
                        "  %s ready in %.1f s", describe(role), (System.nanoTime() - t) / 1e9));
    }

    private static String describe(String role) {
        return switch (role) {
            case KafkaBroker.ROLE -> "Kafka broker";
            case FlinkSessionCluster.JOBMANAGER -> "Flink JobManager";
            case FlinkSessionCluster.TASKMANAGER -> "Flink TaskManager";
            case FlinkSessionCluster.GATEWAY -> "SQL Gateway";
            default -> role;
        };
    }

    /**
     * Submits each job unless one of that name is already running; resumes from the savepoint a
     * previous {@code down} left. Returns job name → job id.
     */
    public Map<String, String> submit(Path jobJar, List<JobSpec> jobs) {
        if (!Files.isRegularFile(jobJar)) {
            throw new LaunchException(
                    "job jar " + jobJar + " is missing: build with mvn -DskipTests package");
        }
        FlinkRestClient rest = flink.rest();
        Map<String, String> ids = new LinkedHashMap<>();
        List<JobSubmission.Request> requests = new ArrayList<>();
        List<JobSpec> submitting = new ArrayList<>();
        for (JobSpec job : jobs) {
            Optional<FlinkRestClient.Job> running =
                    rest.jobs().stream()
                            .filter(j -> j.name().equals(job.name()) && isActive(j.state()))
                            .findFirst();
            if (running.isPresent()) {
                progress.accept(
                        "job " + job.name() + " already running (" + running.get().id() + ")");
                ids.put(job.name(), running.get().id());
                continue;
            }
            String savepoint = readIfExists(savepointRecord(job.name()));
            Optional<String> retained =
                    savepoint == null ? latestRetainedCheckpoint(job.name()) : Optional.empty();
            if (savepoint != null) {
                progress.accept("resuming job " + job.name() + " from " + savepoint);
                requests.add(JobSubmission.Request.of(job, savepoint));
                submitting.add(job);
            } else if (retained.isPresent()) {
                // the job ended without a savepoint (a JobManager that died, a machine that
                // stopped): its newest retained checkpoint keeps its output exactly-once
                progress.accept(
                        "resuming job "
                                + job.name()
                                + " from its last checkpoint "
                                + retained.get());
                requests.add(JobSubmission.Request.of(job, retained.get()));
                submitting.add(job);
            } else {
                progress.accept("submitting job " + job.name());
                requests.add(JobSubmission.Request.of(job, null));
                submitting.add(job);
            }
        }
        // one client JVM builds and submits every JobGraph: the cluster takes no jar uploads
        List<String> submitted = new JobSubmission(flink).submit(jobJar, requests);
        for (int i = 0; i < submitted.size(); i++) {
            String name = submitting.get(i).name();
            deleteIfExists(savepointRecord(name));
            recordJobId(name, submitted.get(i));
            ids.put(name, submitted.get(i));
        }
        awaitRunning(ids);
        return ids;
    }

    /**
     * Stops every active job with a savepoint (recorded for the next submit); cancels on failure.
     */
    public void stopJobs() {
        if (flink.running(FlinkSessionCluster.JOBMANAGER).isEmpty()) {
            return;
        }
        FlinkRestClient rest = flink.rest();
        List<FlinkRestClient.Job> jobs;
        try {
            jobs = rest.jobs();
        } catch (LaunchException e) {
            progress.accept("JobManager not answering; jobs stop with it");
            return;
        }
        for (FlinkRestClient.Job job : jobs) {
            if (!isActive(job.state())) {
                continue;
            }
            if (job.state().equals("CANCELLING") || job.state().equals("FAILING")) {
                // already on its way out; a savepoint cannot be taken any more
                progress.accept("job " + job.name() + " is " + job.state().toLowerCase());
                continue;
            }
            if (!job.name().startsWith("vigil-")) {
                progress.accept("cancelling ad-hoc job " + job.name());
                rest.cancel(job.id());
                continue;
            }
            try {
                progress.accept("stopping job " + job.name() + " with a savepoint ...");
                String location =
                        rest.stopWithSavepoint(
                                job.id(),
                                settings.dataDir().resolve("flink/savepoints").toUri().toString(),
                                Duration.ofSeconds(90));
                Files.createDirectories(savepointRecord(job.name()).getParent());
                Files.writeString(savepointRecord(job.name()), location, StandardCharsets.UTF_8);
                progress.accept("  savepoint " + location);
            } catch (LaunchException | IOException e) {
                progress.accept("  savepoint failed (" + e.getMessage() + ")");
                // the latest checkpoint is retained on cancellation: resume from it instead
                Optional<String> checkpoint = rest.latestCheckpoint(job.id());
                rest.cancel(job.id());
                if (checkpoint.isPresent()) {
                    try {
                        Files.createDirectories(savepointRecord(job.name()).getParent());
                        Files.writeString(
                                savepointRecord(job.name()),
                                checkpoint.get(),
                                StandardCharsets.UTF_8);
                    } catch (IOException io) {
                        throw new LaunchException("cannot record " + checkpoint.get(), io);
                    }
                    progress.accept(
                            "  cancelled; the next up resumes from checkpoint " + checkpoint.get());
                } else {
                    progress.accept(
                            "  cancelled; no checkpoint yet, so the next up starts the job afresh");
                }
            }
        }
    }

    /**
     * Stops everything the stack started, by pid: the supervisor first (so that it restarts
     * nothing), then the jobs with savepoints, simulator, gateway, TaskManager, JobManager, broker.
     */
    public void stop() {
        running(SUPERVISOR)
                .ifPresent(
                        p -> {
                            progress.accept("stopping " + p);
                            p.stop(Duration.ofSeconds(30));
                        });
        stopJobs();
        for (String role : ROLES) {
            Optional<ManagedProcess> process = running(role);
            if (process.isPresent()) {
                progress.accept("stopping " + process.get());
                process.get().stop(Duration.ofSeconds(30));
            }
        }
    }

    /** The process of {@code role}, if it runs. */
    public Optional<ManagedProcess> running(String role) {
        if (role.equals(KafkaBroker.ROLE)) {
            return kafka.running();
        }
        if (role.equals("simulator") || role.equals(SUPERVISOR)) {
            return ManagedProcess.fromPidFile(
                    settings.dataDir().resolve("run/" + role + ".pid"),
                    role,
                    settings.dataDir(),
                    settings.dataDir().resolve("logs/" + role + ".out"));
        }
        return flink.running(role);
    }

    /**
     * One line per process (running with pid, or stopped), the TaskManagers and slots the
     * JobManager has registered, and each job with its state, restarts and last exception.
     */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        for (String role : ROLES) {
            lines.add(
                    String.format(
                            "%-18s %s",
                            role,
                            running(role)
                                    .map(p -> "running (pid " + p.pid() + ")")
                                    .orElse("stopped")));
        }
        if (flink.running(FlinkSessionCluster.JOBMANAGER).isPresent()) {
            try {
                FlinkRestClient rest = flink.rest();
                rest.overview()
                        .ifPresent(
                                o ->
                                        lines.add(
                                                String.format(
                                                        "taskmanagers       %d registered, %d of %d"
                                                                + " slots free",
                                                        o.path("taskmanagers").asInt(),
                                                        o.path("slots-available").asInt(),
                                                        o.path("slots-total").asInt())));
                for (FlinkRestClient.Job job : rest.jobs()) {
                    lines.add(
                            String.format(
                                    "job %-28s %-10s %s restarts %d",
                                    job.name(), job.state(), job.id(), rest.restarts(job.id())));
                    rest.lastException(job.id())
                            .ifPresent(e -> lines.add("    last exception: " + e));
                }
            } catch (LaunchException e) {
                lines.add("jobs: " + e.getMessage());
            }
        }
        return lines;
    }

    /** The newest retained checkpoint of the last run of {@code jobName}, if any. */
    public Optional<String> latestRetainedCheckpoint(String jobName) {
        String jobId = readIfExists(jobIdRecord(jobName));
        if (jobId == null) {
            return Optional.empty();
        }
        Path dir = settings.dataDir().resolve("flink/checkpoints").resolve(jobId);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(
                            java.util.Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .map(p -> p.toUri().toString());
        } catch (IOException e) {
            throw new LaunchException("cannot read " + dir, e);
        }
    }

    private void recordJobId(String jobName, String jobId) {
        try {
            Files.createDirectories(jobIdRecord(jobName).getParent());
            Files.writeString(jobIdRecord(jobName), jobId, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot record the id of " + jobName, e);
        }
    }

    private Path jobIdRecord(String jobName) {
        return settings.dataDir().resolve("flink").resolve("resume").resolve(jobName + ".jobid");
    }

    private void writeInitSql() {
        StringBuilder sql = new StringBuilder();
        sql.append(
                "-- Tables over every Vigil topic, derived from the Avro schemas by vigil up.\n");
        sql.append(
                "-- Each SELECT reads what the topic holds when the query starts (a bounded"
                        + " snapshot);\n");
        sql.append(
                "-- follow a topic live with /*+ OPTIONS('scan.bounded.mode'='unbounded') */.\n");
        sql.append("SET 'sql-client.execution.result-mode' = 'tableau';\n");
        sql.append("SET 'execution.runtime-mode' = 'batch';\n");
        sql.append("SET 'table.local-time-zone' = 'UTC';\n");
        sql.append("SET 'parallelism.default' = '1';\n");
        for (Topic topic : Topic.values()) {
            sql.append('\n')
                    .append(FlinkSqlTables.createTable(topic, kafka(StackPrincipals.ANALYST)))
                    .append(";\n");
        }
        try {
            Files.createDirectories(initSql().getParent());
            Files.writeString(initSql(), sql, StandardCharsets.UTF_8);
            // it holds the analyst's credential
            try {
                Files.setPosixFilePermissions(
                        initSql(),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the data directory's own permissions apply
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + initSql(), e);
        }
    }

    private void awaitRunning(Map<String, String> ids) {
        FlinkRestClient rest = flink.rest();
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<FlinkRestClient.Job> jobs = rest.jobs();
            boolean allRunning = true;
            for (String id : ids.values()) {
                String state =
                        jobs.stream()
                                .filter(j -> j.id().equals(id))
                                .map(FlinkRestClient.Job::state)
                                .findFirst()
                                .orElse("UNKNOWN");
                if (state.equals("FAILED") || state.equals("CANCELED")) {
                    throw new LaunchException(
                            "job " + id + " " + state + ":\n" + rest.rootException(id));
                }
                allRunning &= state.equals("RUNNING");
            }
            if (allRunning) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for jobs", e);
            }
        }
        throw new LaunchException(
                "jobs did not reach RUNNING within "
                        + settings.startTimeout().toSeconds()
                        + " s; see ./vigil logs flink-jobmanager");
    }

    private Path savepointRecord(String jobName) {
        return settings.dataDir()
                .resolve("flink")
                .resolve("resume")
                .resolve(jobName + ".savepoint");
    }

    private static boolean isActive(String state) {
        return !(state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED"));
    }

    private static String readIfExists(Path file) {
        try {
            return Files.exists(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).trim()
                    : null;
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file, e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LaunchException("cannot delete " + file, e);
        }
    }

    /** Child processes use this JVM's java; it must be 17 or newer. */
    static void requireJava17() {
        int feature = Runtime.version().feature();
        if (feature < 17) {
            throw new LaunchException(
                    "Java "
                            + feature
                            + " is too old: Vigil needs Java 17 or newer (set JAVA_HOME)");
        }
    }
}
