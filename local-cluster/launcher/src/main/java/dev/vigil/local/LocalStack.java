package dev.vigil.local;

import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.flink.JobControl;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        // the gateway's lib/: the vigil catalog (in vigil-schemas) beside Flink's connectors
        this.flink.gatewayLibraries(List.of(codeLocation(FlinkSqlTables.class)));
    }

    /** The jar (or class directory) {@code type} was loaded from. */
    public static Path codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new LaunchException("cannot locate the classes of " + type.getName(), e);
        }
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
        int tables =
                Deployment.registerCatalog(
                        URI.create(flink.gatewayEndpoint()),
                        kafka(StackPrincipals.ANALYST),
                        settings.startTimeout());
        progress.accept(
                "SQL catalog "
                        + Deployment.CATALOG
                        + " with "
                        + tables
                        + " tables (JDBC: jdbc:flink://localhost:"
                        + settings.gatewayPort()
                        + "/"
                        + Deployment.CATALOG
                        + "/"
                        + FlinkSqlTables.CATALOG_DATABASE
                        + ")");
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

    /** The stack's jobs: submitted by name, resumed and stopped with savepoints. */
    public JobControl jobs() {
        return new JobControl(
                flink.rest(),
                new JobSubmission(flink),
                settings.dataDir().resolve("flink").resolve("resume"),
                this::retainedCheckpoint,
                settings.startTimeout(),
                progress);
    }

    /**
     * Submits each job unless one of that name is already running; resumes from the savepoint a
     * previous {@code down} left. Returns job name → job id.
     */
    public Map<String, String> submit(Path jobJar, List<JobSpec> jobs) {
        return jobs().submit(jobJar, jobs);
    }

    /**
     * Stops every active job with a savepoint (recorded for the next submit); cancels on failure.
     */
    public void stopJobs() {
        if (flink.running(FlinkSessionCluster.JOBMANAGER).isEmpty()) {
            return;
        }
        try {
            flink.rest().jobs();
        } catch (LaunchException e) {
            progress.accept("JobManager not answering; jobs stop with it");
            return;
        }
        jobs().stopJobs(settings.dataDir().resolve("flink/savepoints").toUri().toString(), true);
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
                List<FlinkRestClient.Job> jobs = rest.jobs();
                List<FlinkRestClient.Job> shown = shownJobs(jobs);
                for (FlinkRestClient.Job job : shown) {
                    lines.add(
                            String.format(
                                    "job %-28s %-10s %s restarts %d",
                                    oneLine(job.name()),
                                    job.state(),
                                    job.id(),
                                    rest.restarts(job.id())));
                    rest.lastException(job.id())
                            .ifPresent(e -> lines.add("    last exception: " + e));
                }
                long finished = jobs.size() - shown.size();
                if (finished > 0) {
                    lines.add(
                            "jobs               "
                                    + finished
                                    + " finished (ad-hoc SQL queries and earlier runs) not"
                                    + " listed");
                }
            } catch (LaunchException e) {
                lines.add("jobs: " + e.getMessage());
            }
        }
        return lines;
    }

    /**
     * The jobs {@code status} lists: every active one, and Vigil's own that are not running (the
     * newest entry per name); finished ad-hoc queries and earlier runs are only counted.
     */
    static List<FlinkRestClient.Job> shownJobs(List<FlinkRestClient.Job> jobs) {
        java.util.Set<String> active = new java.util.HashSet<>();
        for (FlinkRestClient.Job job : jobs) {
            if (JobControl.isActive(job.state())) {
                active.add(job.name());
            }
        }
        List<FlinkRestClient.Job> shown = new ArrayList<>();
        java.util.Set<String> ended = new java.util.HashSet<>();
        List<FlinkRestClient.Job> newestFirst = new ArrayList<>(jobs);
        newestFirst.sort(
                java.util.Comparator.comparingLong(FlinkRestClient.Job::startTime).reversed());
        for (FlinkRestClient.Job job : newestFirst) {
            if (JobControl.isActive(job.state())) {
                shown.add(job);
            } else if (job.name().startsWith("vigil-")
                    && !active.contains(job.name())
                    && ended.add(job.name())) {
                shown.add(job);
            }
        }
        return shown;
    }

    /** A job name on one line, cut to 60 characters (an ad-hoc query's name is its SQL). */
    private static String oneLine(String name) {
        String line = name.replaceAll("\\s+", " ").strip();
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    /** The newest retained checkpoint of the last run of {@code jobName}, if any. */
    public Optional<String> latestRetainedCheckpoint(String jobName) {
        return jobs().latestRetainedCheckpoint(jobName);
    }

    /** The newest complete checkpoint the run {@code jobId} retained in the data directory. */
    private Optional<String> retainedCheckpoint(String jobId) {
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
