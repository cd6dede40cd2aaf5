package dev.vigil.cli;

import dev.vigil.local.LocalStack;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.RuntimeClasspath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Flink's own SQL client in gateway mode against the local SQL Gateway, with every topic's
 * table registered by the stack's init file: interactive, or one statement and exit.
 */
final class SqlClient {

    private SqlClient() {}

    /** Interactive shell on this terminal; returns the client's exit code. */
    static int interactive(LocalStack stack) {
        requireGateway(stack);
        return run(stack, null, true).exitCode;
    }

    /** Runs one statement and prints its result; exit code 1 when the statement failed. */
    static int execute(LocalStack stack, String statement) {
        String sql = statement.trim();
        if (!sql.endsWith(";")) {
            sql = sql + ";";
        }
        requireGateway(stack);
        try {
            Path file =
                    Files.createTempFile(
                            stack.settings().dataDir().resolve("sql"), "statement-", ".sql");
            Files.writeString(file, sql + "\n", StandardCharsets.UTF_8);
            try {
                Result result = run(stack, file, false);
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

    /** Fails with what to do when the stack's SQL Gateway is not running. */
    private static void requireGateway(LocalStack stack) {
        if (stack.flink().running(FlinkSessionCluster.GATEWAY).isEmpty()) {
            throw new LaunchException(
                    "the SQL Gateway is not running: start the stack with ./vigil up");
        }
    }

    /** Runs the SQL client; the callers have checked that the gateway runs. */
    private static Result run(LocalStack stack, Path file, boolean interactive) {
        FlinkSessionCluster flink = stack.flink();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmProcess.JAVA17_OPENS);
        command.add("-Xmx512m");
        // no terminal to probe when output is captured; say so instead of warning about it
        command.add("-Dorg.jline.terminal.dumb=true");
        command.add("-Dlog.file=" + stack.settings().dataDir().resolve("logs/sql-client.log"));
        command.add(
                "-Dlog4j.configurationFile=" + flink.confDir().resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(RuntimeClasspath.FLINK_CLUSTER.load());
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("gateway");
        command.add("--endpoint");
        command.add(flink.gatewayEndpoint());
        command.add("-i");
        command.add(stack.initSql().toString());
        command.add("-hist");
        command.add(stack.settings().dataDir().resolve("sql/history").toString());
        if (file != null) {
            command.add("-f");
            command.add(file.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLINK_CONF_DIR", flink.confDir().toString());
        builder.directory(stack.settings().dataDir().toFile());
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

    /** Keeps results and errors; drops the client's banner, prompts and session chatter. */
    static String clean(String output) {
        StringBuilder out = new StringBuilder();
        for (String raw : ANSI.matcher(output).replaceAll("").split("\n", -1)) {
            String line =
                    raw.startsWith("Flink SQL> ")
                            ? withoutEcho(raw.substring("Flink SQL> ".length()))
                            : raw;
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
