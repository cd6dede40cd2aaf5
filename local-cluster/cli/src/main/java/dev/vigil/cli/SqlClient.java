package dev.vigil.cli;

import dev.vigil.local.Deployment;
import dev.vigil.local.LocalStack;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.flink.SqlErrors;
import dev.vigil.local.flink.SqlGatewayClient;
import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.RuntimeClasspath;
import dev.vigil.schema.sql.FlinkSqlTables;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Flink's own SQL client in gateway mode against a SQL Gateway, with every topic a table:
 * interactive, or one statement and exit. On the local stack the tables come from the stack's init
 * file; on a deployment ({@code vigil deploy}) from the {@code vigil} catalog.
 */
final class SqlClient {

    /**
     * Where the client connects and keeps its files.
     *
     * @param endpoint the gateway's REST endpoint
     * @param initSql the statements every session starts with
     * @param workDir history, temporary statement files and the client's log
     * @param confDir the Flink configuration directory (log4j)
     * @param check fails with what to do when the gateway is not there
     */
    record Target(String endpoint, Path initSql, Path workDir, Path confDir, Runnable check) {

        /** The local stack's gateway. */
        static Target of(LocalStack stack) {
            return new Target(
                    stack.flink().gatewayEndpoint(),
                    stack.initSql(),
                    stack.settings().dataDir(),
                    stack.flink().confDir(),
                    () -> {
                        if (stack.flink().running(FlinkSessionCluster.GATEWAY).isEmpty()) {
                            throw new LaunchException(
                                    "the SQL Gateway is not running: start the stack with"
                                            + " ./vigil up");
                        }
                    });
        }

        /** The gateway a deployment registered the {@code vigil} catalog on. */
        static Target of(Deployment deployment) {
            URI gateway = deployment.target().sqlGateway();
            if (gateway == null) {
                throw new LaunchException(
                        "the deployment in "
                                + deployment.dir()
                                + " has no SQL Gateway: deploy again with --sql-gateway <url>");
            }
            Path sql = deployment.dir().resolve("sql");
            Path init = sql.resolve("init.sql");
            try {
                Files.createDirectories(sql);
                Files.writeString(
                        init,
                        String.join(
                                "\n",
                                "SET 'sql-client.execution.result-mode' = 'tableau';",
                                "SET 'execution.runtime-mode' = 'batch';",
                                "SET 'table.local-time-zone' = 'UTC';",
                                "USE CATALOG `" + Deployment.CATALOG + "`;",
                                "USE `" + FlinkSqlTables.CATALOG_DATABASE + "`;",
                                ""),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LaunchException("cannot write " + init, e);
            }
            return new Target(
                    gateway.toString(),
                    init,
                    deployment.dir(),
                    deployment.clientConfDir(),
                    () -> {
                        try (var session = SqlGatewayClient.open(gateway, java.util.Map.of())) {
                            // answers: nothing to say
                        }
                    });
        }
    }

    private SqlClient() {}

    /** Interactive shell on this terminal; returns the client's exit code. */
    static int interactive(Target target) {
        target.check().run();
        return run(target, null, true).exitCode;
    }

    /** Runs one statement and prints its result; exit code 1 when the statement failed. */
    static int execute(Target target, String statement) {
        String sql = statement.trim();
        if (!sql.endsWith(";")) {
            sql = sql + ";";
        }
        target.check().run();
        try {
            Path dir = target.workDir().resolve("sql");
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "statement-", ".sql");
            Files.writeString(file, sql + "\n", StandardCharsets.UTF_8);
            try {
                Result result = run(target, file, false);
                String text = clean(result.output);
                System.out.print(text);
                boolean failed = text.contains("[ERROR]");
                return result.exitCode != 0 || failed ? 1 : 0;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write the statement file", e);
        }
    }

    private record Result(int exitCode, String output) {}

    /** Runs the SQL client; the callers have checked that the gateway answers. */
    private static Result run(Target target, Path file, boolean interactive) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmProcess.JAVA17_OPENS);
        command.add("-Xmx512m");
        // no terminal to probe when output is captured; say so instead of warning about it
        command.add("-Dorg.jline.terminal.dumb=true");
        command.add("-Dlog.file=" + target.workDir().resolve("logs/sql-client.log"));
        command.add(
                "-Dlog4j.configurationFile="
                        + target.confDir().resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(RuntimeClasspath.FLINK_CLUSTER.load());
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("gateway");
        command.add("--endpoint");
        command.add(target.endpoint());
        command.add("-i");
        command.add(target.initSql().toString());
        command.add("-hist");
        command.add(target.workDir().resolve("sql/history").toString());
        if (file != null) {
            command.add("-f");
            command.add(file.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLINK_CONF_DIR", target.confDir().toString());
        builder.directory(target.workDir().toFile());
        try {
            if (interactive) {
                builder.inheritIO();
                return new Result(builder.start().waitFor(), "");
            }
            builder.redirectErrorStream(true);
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new LaunchException("cannot start the SQL client: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    private static final java.util.regex.Pattern ANSI =
            java.util.regex.Pattern.compile("\u001B\\[[0-9;]*m");

    /** The first line of the SQL client's report of a failed statement. */
    private static final String ERROR = "[ERROR] Could not execute SQL statement. Reason:";

    /**
     * Keeps results and errors; drops the client's banner, prompts, the echo of the statement (also
     * of its continuation lines) and session chatter. An error is cut to its message and position
     * (SqlErrors), without the parser's list of every token it would have accepted.
     */
    static String clean(String output) {
        StringBuilder out = new StringBuilder();
        List<String> lines = List.of(ANSI.matcher(output).replaceAll("").split("\n", -1));
        boolean echo = false;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line;
            if (raw.startsWith("Flink SQL> ")) {
                line = withoutEcho(raw.substring("Flink SQL> ".length()));
                echo = line.isEmpty();
            } else if (echo && raw.startsWith("> ")) {
                line = withoutEcho(raw.substring(2));
                echo = line.isEmpty();
            } else {
                line = raw;
                echo = false;
            }
            if (line.startsWith(ERROR)) {
                StringBuilder reason = new StringBuilder(line.substring(ERROR.length()));
                while (i + 1 < lines.size()
                        && !lines.get(i + 1).isBlank()
                        && !lines.get(i + 1).startsWith("Flink SQL>")) {
                    reason.append('\n').append(lines.get(++i));
                }
                out.append("[ERROR] Could not execute SQL statement: ")
                        .append(SqlErrors.summary(reason.toString()))
                        .append('\n');
                continue;
            }
            if (line.startsWith("Successfully initialized from sql script")
                    || line.startsWith("[INFO] Executing SQL from file.")
                    || line.startsWith("Command history file path")
                    || line.equals("Flink SQL>")
                    || line.equals("Shutting down the session...")
                    || line.equals("done.")) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").strip() + "\n";
    }

    /**
     * After the prompt the client may echo (part of) the statement, with the result's first line
     * glued to it; keep the result only.
     */
    private static String withoutEcho(String line) {
        for (String start : new String[] {"+-", "Empty set", "[ERROR]", "[INFO]", "[WARNING]"}) {
            int i = line.indexOf(start);
            if (i >= 0) {
                return line.substring(i);
            }
        }
        return "";
    }
}
