package dev.vigil.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Starts a Java program in its own JVM with its own classpath, output going to a log file. */
public final class JvmProcess {

    /** JVM options Flink and Kafka need on Java 17 (the set Flink's own scripts pass). */
    public static final List<String> JAVA17_OPENS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
                    "--add-opens=java.base/java.math=ALL-UNNAMED",
                    "--add-opens=java.sql/java.sql=ALL-UNNAMED");

    private final String role;
    private final Path dataDir;
    private String classpath;
    private String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path logFile;
    private Path pidFile;
    private Path workingDir;

    private JvmProcess(String role, Path dataDir) {
        this.role = role;
        this.dataDir = dataDir;
    }

    /** A process of {@code role} (e.g. "kafka") whose files live under {@code dataDir}. */
    public static JvmProcess of(String role, Path dataDir) {
        return new JvmProcess(role, dataDir);
    }

    public JvmProcess classpath(String classpath) {
        this.classpath = classpath;
        return this;
    }

    public JvmProcess mainClass(String mainClass) {
        this.mainClass = mainClass;
        return this;
    }

    public JvmProcess jvmArgs(List<String> jvmArgs) {
        this.jvmArgs.addAll(jvmArgs);
        return this;
    }

    public JvmProcess args(List<String> args) {
        this.args.addAll(args);
        return this;
    }

    public JvmProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public JvmProcess logFile(Path logFile) {
        this.logFile = logFile;
        return this;
    }

    public JvmProcess pidFile(Path pidFile) {
        this.pidFile = pidFile;
        return this;
    }

    public JvmProcess workingDir(Path workingDir) {
        this.workingDir = workingDir;
        return this;
    }

    /** Starts the process in the background; it outlives this JVM until stopped. */
    public ManagedProcess start() {
        Objects.requireNonNull(logFile, "logFile");
        ProcessBuilder builder = builder();
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Files.createDirectories(logFile.getParent());
            Process process = builder.start();
            if (pidFile != null) {
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
            }
            return new ManagedProcess(
                    role, ManagedProcess.marker(role, dataDir), process.toHandle(), logFile);
        } catch (IOException e) {
            throw new LaunchException("cannot start " + role + ": " + e.getMessage(), e);
        }
    }

    /** Runs the program to completion and returns its output; fails on a non-zero exit. */
    public String run(Duration timeout) {
        ProcessBuilder builder = builder();
        builder.redirectErrorStream(true);
        try {
            Path output = Files.createTempFile("vigil-" + role, ".out");
            builder.redirectOutput(output.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new LaunchException(role + " did not finish within " + timeout);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            if (process.exitValue() != 0) {
                throw new LaunchException(
                        role + " failed with exit code " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new LaunchException("cannot run " + role + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while running " + role, e);
        }
    }

    private ProcessBuilder builder() {
        Objects.requireNonNull(classpath, "classpath");
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add(ManagedProcess.marker(role, dataDir));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        return builder;
    }

    /** The java binary of the running JVM, so children use the same (checked) Java version. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
