package dev.vigil.cli;

import dev.vigil.local.LocalStack;
import dev.vigil.local.StackSettings;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.kafka.KafkaBroker;
import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import dev.vigil.local.process.Ports;
import dev.vigil.local.security.StackPrincipals;
import dev.vigil.local.security.StackSecurity;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.simulator.SimulatorMain;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code vigil} command. The {@code vigil} script at the repository root builds the project
 * when needed and runs this class with {@code --data <dir> --job-jar <jar>} in front of the user's
 * arguments. Every command documents its options in {@link #USAGE}.
 */
public final class VigilCli {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./vigil <command> [options]",
                    "",
                    "commands:",
                    "  up         start Kafka, Flink, the SQL Gateway, topics, jobs and the"
                            + " simulator",
                    "             --no-simulator      do not start the edge-fleet simulator",
                    "             --fresh             discard savepoints left by down; jobs start"
                            + " from the topics' beginning",
                    "             --kafka-port <p> --kafka-controller-port <p> --flink-port <p>"
                            + " --flink-rpc-port <p> --gateway-port <p>",
                    "                                  ports (defaults 9092, 9093, 8081, 6123,"
                            + " 8083), remembered until the data dir is removed",
                    "  down       stop jobs with a savepoint, then every process up started;"
                            + " nothing is left running",
                    "  deploy     Vigil on your own Kafka and Flink session cluster:"
                            + " --flink-rest <url> --bootstrap-servers <list> [--sql-gateway <url>]"
                            + " (./vigil deploy --help)",
                    "  undeploy   stop the deployed jobs with savepoints [--dir <dir>]",
                    "  status     processes, ports and jobs",
                    "  simulate   run the edge-fleet simulator in the foreground (./vigil simulate"
                            + " --help)",
                    "  sql        Flink SQL client on the gateway, every topic a table; -e"
                            + " \"<statement>\" runs one and exits; --dir <deployment> queries"
                            + " a deployment's gateway",
                    "  alerts     [--follow] [--since 10m] [--severity CRITICAL,...]: alerts as"
                            + " they are detected, one line each",
                    "  tail       <topic> [--follow] [--since 10m]: any topic's records, decoded",
                    "  logs      "
                        + " [kafka|flink-jobmanager|flink-taskmanager|sql-gateway|simulator|supervisor]"
                        + " [-n lines (20)] [-f] [-v: every level, not only WARN and above]",
                    "  rules      list | apply <file.json> | enable|disable|delete <rule-id> |"
                            + " test <rule> | backtest <rule> --from T --to T",
                    "  models     export <name> <dir> | publish <dir> [--version v] [--shadow] |"
                            + " retire <name>",
                    "  approve    <command-id> [reason]: approve a command that needs a human"
                            + " (signed with the approver's key)",
                    "  deny       <command-id> <reason>: reject it",
                    "  agent      verify --node ID [--keys DIR] [--file FILE]: check the commands"
                            + " for a node as its edge agent does",
                    "  audit      verify [--export FILE] [--keys DIR] | prove --chain C --sequence"
                            + " N | export FILE: prove the audit trail intact or name the first bad"
                            + " record",
                    "  keys       list | rotate: the signing keys (password from"
                            + " VIGIL_KEYSTORE_PASSWORD or <data>/keystore.password)",
                    "",
                    "data, logs and pid files live under the data directory (VIGIL_DATA, default"
                            + " <repo>/.vigil).");

    private static final Map<String, String> LOGS = new LinkedHashMap<>();

    /** Event time the first simulator run starts before now. */
    static final Duration BACKFILL = Duration.ofMinutes(16);

    static {
        LOGS.put("kafka", "kafka-server.log");
        LOGS.put(FlinkSessionCluster.JOBMANAGER, FlinkSessionCluster.JOBMANAGER + ".log");
        LOGS.put(FlinkSessionCluster.TASKMANAGER, FlinkSessionCluster.TASKMANAGER + ".log");
        LOGS.put(FlinkSessionCluster.GATEWAY, FlinkSessionCluster.GATEWAY + ".log");
        LOGS.put("simulator", "simulator.out");
        LOGS.put(LocalStack.SUPERVISOR, LocalStack.SUPERVISOR + ".out");
    }

    private VigilCli() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (LaunchException | IllegalArgumentException e) {
            System.err.println("vigil: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] rawArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
        Path dataDir = Path.of(take(args, "--data", ".vigil"));
        Path jobJar = Path.of(take(args, "--job-jar", "jobs/target/vigil-jobs-job.jar"));
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            System.out.println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.remove(0);
        return switch (command) {
            case "up" -> up(dataDir, jobJar, args);
            case "supervise" -> StackSupervisor.run(dataDir, jobJar);
            case "down" -> down(dataDir);
            case "status" -> status(dataDir);
            case "simulate" -> simulate(dataDir, args);
            case "sql" -> sql(dataDir, args);
            case "deploy" ->
                    new DeployCommand(jobJar, System.out, Duration.ofMinutes(3)).deploy(args);
            case "undeploy" ->
                    new DeployCommand(jobJar, System.out, Duration.ofMinutes(3)).undeploy(args);
            case "logs" -> logs(dataDir, args);
            case "alerts" ->
                    new LiveViewCommand(
                                    kafka(dataDir, StackPrincipals.ANALYST),
                                    System.out,
                                    java.time.Clock.systemUTC())
                            .alerts(args);
            case "tail" ->
                    new LiveViewCommand(
                                    kafka(dataDir, StackPrincipals.ADMIN),
                                    System.out,
                                    java.time.Clock.systemUTC())
                            .tail(args);
            case "rules" ->
                    new RulesCommand(
                                    ControlPublisher.of(
                                            kafka(dataDir, StackPrincipals.OPERATOR),
                                            new dev.vigil.local.StackKeys(dataDir),
                                            dev.vigil.local.StackKeys.OPERATOR),
                                    kafkaProperties(dataDir, StackPrincipals.OPERATOR),
                                    jobJar)
                            .run(args);
            case "models" ->
                    new ModelsCommand(
                                    ControlPublisher.of(
                                            kafka(dataDir, StackPrincipals.OPERATOR),
                                            new dev.vigil.local.StackKeys(dataDir),
                                            dev.vigil.local.StackKeys.OPERATOR))
                            .run(args);
            case "approve", "deny" ->
                    new ApprovalCommand(
                                    ControlPublisher.of(
                                            kafka(dataDir, StackPrincipals.APPROVER),
                                            new dev.vigil.local.StackKeys(dataDir),
                                            dev.vigil.local.StackKeys.APPROVER),
                                    System.out,
                                    java.time.Clock.systemUTC())
                            .run(command, args);
            case "agent" ->
                    new AgentCommand(
                                    kafka(dataDir, StackPrincipals.AUDITOR),
                                    new dev.vigil.local.StackKeys(dataDir).publicKeys(),
                                    System.out,
                                    java.time.Clock.systemUTC())
                            .run(args);
            case "keys" ->
                    new KeysCommand(new dev.vigil.local.StackKeys(dataDir), System.out).run(args);
            case "audit" ->
                    new AuditCommand(
                                    kafka(dataDir, StackPrincipals.AUDITOR),
                                    new dev.vigil.local.StackKeys(dataDir).publicKeys(),
                                    System.out,
                                    System.err)
                            .run(args);
            default ->
                    throw new IllegalArgumentException(
                            "unknown command '" + command + "'\n" + USAGE);
        };
    }

    private static int up(Path dataDir, Path jobJar, List<String> args) {
        boolean simulator = !args.remove("--no-simulator");
        boolean fresh = args.remove("--fresh");
        StackSettings saved = StackSettings.load(dataDir);
        StackSettings settings =
                new StackSettings(
                        dataDir,
                        Integer.parseInt(take(args, "--kafka-port", "" + saved.kafkaPort())),
                        Integer.parseInt(
                                take(
                                        args,
                                        "--kafka-controller-port",
                                        "" + saved.kafkaControllerPort())),
                        Integer.parseInt(take(args, "--flink-port", "" + saved.flinkPort())),
                        Integer.parseInt(take(args, "--flink-rpc-port", "" + saved.flinkRpcPort())),
                        Integer.parseInt(take(args, "--gateway-port", "" + saved.gatewayPort())),
                        saved.slots(),
                        saved.startTimeout());
        requireNoMore(args);
        long started = System.nanoTime();
        LocalStack stack = new LocalStack(settings, VigilCli::say);
        if (fresh) {
            deleteTree(dataDir.resolve("flink/resume"));
        }
        try {
            stack.start();
            stack.submit(jobJar, VigilJobs.of(stack));
            StackSupervisor.start(stack, jobJar);
            if (simulator) {
                startSimulator(stack);
            }
        } catch (LaunchException e) {
            System.err.println("vigil up failed: " + e.getMessage());
            System.err.println("stopping what was started ...");
            stack.stop();
            return 1;
        }
        say(String.format("Vigil is up in %.0f s.", (System.nanoTime() - started) / 1e9));
        say("  Flink web UI:  " + stack.flink().webUi());
        say(
                "  Kafka:         "
                        + settings.bootstrapServers()
                        + " (TLS + SCRAM, ACLs; a client properties file per principal in "
                        + stack.security().dir()
                        + ")");
        say("  SQL Gateway:   " + stack.flink().gatewayEndpoint());
        say("Try:");
        say("  ./vigil sql -e \"SELECT alert_id, rule_id, severity, node_id FROM alerts LIMIT 5\"");
        say(
                "  ./vigil sql -e \"SELECT node_id, window_start, events, cpu_avg_percent FROM"
                        + " node_health LIMIT 10\"   (first rows after about a minute)");
        say("  ./vigil status | ./vigil logs simulator | ./vigil down");
        return 0;
    }

    private static void startSimulator(LocalStack stack) {
        if (stack.running("simulator").isPresent()) {
            say("simulator already running");
            return;
        }
        Path data = stack.settings().dataDir();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                stack.settings().bootstrapServers(),
                                "--kafka.properties",
                                stack.security()
                                        .clientProperties(StackPrincipals.SIMULATOR)
                                        .toString(),
                                "--node-keys",
                                stack.security().fleetKey().toString(),
                                "--rate",
                                "realtime"));
        // the first run backfills a little history, so that node-inference (which scores a node
        // once it has 15 minutes of it) and the one-minute windows have output at once; later
        // runs continue from now (going back would repeat sequence numbers)
        Path backfilled = data.resolve("run/simulator.backfilled");
        if (!Files.exists(backfilled)) {
            args.addAll(List.of("--start", Instant.now().minus(BACKFILL).toString()));
            try {
                Files.createDirectories(backfilled.getParent());
                Files.writeString(backfilled, Instant.now().toString());
            } catch (IOException e) {
                throw new LaunchException("cannot write " + backfilled, e);
            }
        }
        ManagedProcess process =
                JvmProcess.of("simulator", data)
                        .classpath(System.getProperty("java.class.path"))
                        .mainClass(SimulatorMain.class.getName())
                        .jvmArgs(List.of("-Xmx512m"))
                        .args(args)
                        .logFile(data.resolve("logs/simulator.out"))
                        .pidFile(data.resolve("run/simulator.pid"))
                        .start();
        sleep(1500);
        if (!process.isAlive()) {
            throw new LaunchException("the simulator exited at once:\n" + process.logTail(20));
        }
        say(
                "simulator producing realtime telemetry (pid "
                        + process.pid()
                        + ", ./vigil logs simulator)");
    }

    private static int down(Path dataDir) {
        LocalStack stack = new LocalStack(StackSettings.load(dataDir), VigilCli::say);
        stack.stop();
        StackSettings s = stack.settings();
        List<String> open = new ArrayList<>();
        for (int port :
                new int[] {
                    s.kafkaPort(), s.kafkaControllerPort(), s.flinkPort(), s.gatewayPort()
                }) {
            if (Ports.isListening(port)) {
                open.add(Integer.toString(port));
            }
        }
        if (!open.isEmpty()) {
            System.err.println(
                    "vigil down: ports " + open + " are still open; another process holds them");
            return 1;
        }
        say("Vigil is down; data kept in " + s.dataDir() + " (remove it for a clean slate).");
        return 0;
    }

    private static int status(Path dataDir) {
        LocalStack stack = new LocalStack(StackSettings.load(dataDir), s -> {});
        StackSettings s = stack.settings();
        stack.status().forEach(System.out::println);
        System.out.printf(
                "ports: kafka %d, flink web UI %d, sql gateway %d; data %s%n",
                s.kafkaPort(), s.flinkPort(), s.gatewayPort(), s.dataDir());
        return stack.running(KafkaBroker.ROLE).isPresent() ? 0 : 3;
    }

    /**
     * The local stack's Kafka client settings of {@code principal}; a plaintext connection to a
     * stack that has no security material yet (never started).
     */
    static KafkaClientSettings kafka(Path dataDir, String principal) {
        StackSettings settings = StackSettings.load(dataDir);
        StackSecurity security = new StackSecurity(dataDir);
        return security.exists()
                ? security.client(principal, settings.bootstrapServers())
                : KafkaClientSettings.plaintext(settings.bootstrapServers());
    }

    /** The client properties file of {@code principal}, or {@code null} before the first up. */
    static Path kafkaProperties(Path dataDir, String principal) {
        StackSecurity security = new StackSecurity(dataDir);
        return security.exists() ? security.clientProperties(principal) : null;
    }

    private static int simulate(Path dataDir, List<String> args) {
        if (args.contains("--help")) {
            System.out.println(dev.vigil.simulator.SimulatorOptions.USAGE);
            return 0;
        }
        boolean ontoTheStack = !args.contains("--bootstrap-servers");
        if (ontoTheStack) {
            args.add(0, StackSettings.load(dataDir).bootstrapServers());
            args.add(0, "--bootstrap-servers");
            Path properties = kafkaProperties(dataDir, StackPrincipals.SIMULATOR);
            if (properties != null && !args.contains("--kafka.properties")) {
                args.add(0, properties.toString());
                args.add(0, "--kafka.properties");
            }
            if (properties != null && !args.contains("--node-keys")) {
                args.add(0, new StackSecurity(dataDir).fleetKey().toString());
                args.add(0, "--node-keys");
            }
        }
        try {
            dev.vigil.simulator.SimulatorOptions options =
                    dev.vigil.simulator.SimulatorOptions.parse(
                            args.toArray(String[]::new), java.time.Instant.now());
            if (ontoTheStack
                    && (options.topicPrefix() == null || options.topicPrefix().isEmpty())) {
                java.util.Optional<String> problem =
                        SimulationGuard.problem(
                                new LocalStack(StackSettings.load(dataDir), s -> {}),
                                options,
                                kafka(dataDir, StackPrincipals.ADMIN));
                if (problem.isPresent()) {
                    System.err.println("vigil simulate: " + problem.get());
                    return 2;
                }
            }
            return SimulatorMain.run(options) ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.err.println("vigil simulate: " + e.getMessage());
            return 2;
        }
    }

    private static int sql(Path dataDir, List<String> args) {
        String statement = take(args, "-e", null);
        String deployment = take(args, "--dir", null);
        requireNoMore(args);
        SqlClient.Target target =
                deployment == null
                        ? SqlClient.Target.of(new LocalStack(StackSettings.load(dataDir), s -> {}))
                        : SqlClient.Target.of(
                                dev.vigil.local.Deployment.load(
                                        Path.of(deployment), Duration.ofMinutes(1), s -> {}));
        return statement == null
                ? SqlClient.interactive(target)
                : SqlClient.execute(target, statement);
    }

    private static int logs(Path dataDir, List<String> args) {
        boolean follow = args.remove("-f");
        boolean verbose = args.remove("-v");
        int lines = Integer.parseInt(take(args, "-n", "20"));
        Path logs = dataDir.toAbsolutePath().resolve("logs");
        if (args.isEmpty()) {
            System.out.println("logs in " + logs + ":");
            LOGS.forEach(
                    (role, file) ->
                            System.out.printf(
                                    "  %-18s %s%n",
                                    role, Files.exists(logs.resolve(file)) ? file : "(none yet)"));
            return 0;
        }
        String role = args.remove(0);
        requireNoMore(args);
        String file = LOGS.get(role);
        if (file == null) {
            throw new IllegalArgumentException(
                    "no log named '" + role + "'; choose one of " + LOGS.keySet());
        }
        Path path = logs.resolve(file);
        if (!Files.exists(path)) {
            System.err.println("no log at " + path + " yet");
            return 1;
        }
        List<String> list;
        try (Stream<String> all = Files.lines(path, StandardCharsets.ISO_8859_1)) {
            list = all.toList();
        } catch (IOException e) {
            throw new LaunchException("cannot read " + path, e);
        }
        List<String> shown = LogView.last(list, lines, verbose);
        shown.forEach(System.out::println);
        if (!verbose && shown.size() < Math.min(lines, list.size())) {
            System.err.println(
                    "(the last "
                            + shown.size()
                            + " lines at WARN and above of "
                            + path
                            + "; -v for every level, -n for more)");
        }
        if (follow) {
            follow(path, verbose || !LogView.levelled(list));
        }
        return 0;
    }

    private static void follow(Path path, boolean verbose) {
        LogView view = new LogView(verbose);
        StringBuilder partial = new StringBuilder();
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long position = file.length();
            while (true) {
                long length = file.length();
                if (length > position) {
                    file.seek(position);
                    byte[] bytes = new byte[(int) (length - position)];
                    file.readFully(bytes);
                    partial.append(new String(bytes, StandardCharsets.ISO_8859_1));
                    int end;
                    while ((end = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, end);
                        partial.delete(0, end + 1);
                        if (view.show(line)) {
                            System.out.println(line);
                        }
                    }
                    position = length;
                } else if (length < position) {
                    position = 0; // rolled over
                }
                sleep(500);
            }
        } catch (IOException e) {
            throw new LaunchException("cannot follow " + path, e);
        }
    }

    static String take(List<String> args, String option, String fallback) {
        int i = args.indexOf(option);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        args.remove(i);
        return args.remove(i);
    }

    private static void requireNoMore(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + args + "\n" + USAGE);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new LaunchException("cannot delete " + dir, e);
        }
    }

    static void say(String line) {
        System.out.println(line);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
