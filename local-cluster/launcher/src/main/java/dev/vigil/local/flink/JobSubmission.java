package dev.vigil.local.flink;

import dev.vigil.local.JobSpec;
import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Submits jobs to the session cluster from a client JVM ({@link JobGraphSubmitter}), as {@code
 * flink run} does: the cluster's web submission (jar upload and run over REST) stays disabled.
 */
public final class JobSubmission {

    /** A job to submit: its main class in the job jar, its arguments, a savepoint or null. */
    public record Request(String entryClass, List<String> args, String savepoint) {

        public static Request of(JobSpec job, String savepoint) {
            return new Request(job.entryClass(), job.args(), savepoint);
        }
    }

    private final Path confDir;
    private final Function<String, JvmProcess> submitter;

    /** Submits to the stack's own session cluster. */
    public JobSubmission(FlinkSessionCluster flink) {
        this(
                flink.confDir(),
                classpath ->
                        flink.flinkProcess("job-submitter", classpath)
                                .jvmArgs(flink.jvm(List.of("-Xmx512m"), "job-submitter")));
    }

    private JobSubmission(Path confDir, Function<String, JvmProcess> submitter) {
        this.confDir = confDir;
        this.submitter = submitter;
    }

    /**
     * Submits to the cluster whose REST API is at {@code rest}, e.g. one {@code vigil up} did not
     * start. The client's configuration and log go under {@code clientDir}; {@code clientConfig}
     * adds Flink client options (e.g. {@code rest.ssl.enabled}).
     */
    public static JobSubmission remote(Path clientDir, URI rest, Map<String, String> clientConfig) {
        Path conf = clientDir.resolve("conf");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("rest.address", rest.getHost());
        config.put("rest.port", Integer.toString(rest.getPort() < 0 ? 8081 : rest.getPort()));
        config.put("execution.target", "remote");
        config.putAll(clientConfig);
        StringBuilder yaml = new StringBuilder();
        config.forEach(
                (k, v) -> yaml.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        try {
            Files.createDirectories(conf);
            Files.writeString(conf.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
            Files.writeString(
                    conf.resolve("log4j.properties"),
                    FlinkSessionCluster.log4j(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write the Flink client configuration in " + conf, e);
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        jvm.addAll(JvmProcess.JAVA17_OPENS);
        jvm.add("-Dlog.file=" + clientDir.resolve("logs/job-submitter.log"));
        jvm.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        return new JobSubmission(
                conf,
                classpath ->
                        JvmProcess.of("job-submitter", clientDir)
                                .classpath(classpath)
                                .env("FLINK_CONF_DIR", conf.toString())
                                .workingDir(clientDir)
                                .jvmArgs(jvm)
                                .logFile(clientDir.resolve("logs/job-submitter.out")));
    }

    /** The Flink configuration directory the client JVM reads. */
    public Path confDir() {
        return confDir;
    }

    /** Submits the jobs in order from one client JVM; returns their job ids in that order. */
    public List<String> submit(Path jobJar, List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        // the client JVM runs in another working directory: every path it gets is absolute
        Path jar = jobJar.toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException(
                    "no job jar at " + jar + " (build it: mvn -B -q install -DskipTests)");
        }
        StringBuilder lines = new StringBuilder();
        for (Request r : requests) {
            List<String> fields = new ArrayList<>();
            fields.add(r.entryClass());
            fields.add(r.savepoint() == null ? "-" : r.savepoint());
            fields.addAll(r.args());
            for (String f : fields) {
                if (f.indexOf('\t') >= 0 || f.indexOf('\n') >= 0) {
                    throw new LaunchException(
                            "job " + r.entryClass() + ": an argument holds a tab or newline: " + f);
                }
            }
            lines.append(String.join("\t", fields)).append('\n');
        }
        Path requestFile;
        try {
            requestFile = Files.createTempFile(confDir, "job-submission", ".tsv");
            Files.writeString(requestFile, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write the job submission request", e);
        }
        try {
            String output =
                    submitter
                            .apply(classpath())
                            .mainClass(JobGraphSubmitter.class.getName())
                            .args(
                                    List.of(
                                            confDir.toAbsolutePath().toString(),
                                            jar.toString(),
                                            requestFile.toAbsolutePath().toString()))
                            .run(Duration.ofMinutes(5));
            List<String> ids = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith(JobGraphSubmitter.JOB)) {
                    ids.add(line.trim().split(" ")[2]);
                }
            }
            if (ids.size() != requests.size()) {
                throw new LaunchException(
                        "job submission reported "
                                + ids.size()
                                + " of "
                                + requests.size()
                                + " jobs:\n"
                                + output);
            }
            return ids;
        } finally {
            try {
                Files.deleteIfExists(requestFile);
            } catch (IOException ignored) {
                // a temporary file in the data directory
            }
        }
    }

    /** The Flink classpath plus this launcher's own classes (for {@link JobGraphSubmitter}). */
    private static String classpath() {
        try {
            String self =
                    Path.of(
                                    JobGraphSubmitter.class
                                            .getProtectionDomain()
                                            .getCodeSource()
                                            .getLocation()
                                            .toURI())
                            .toString();
            return RuntimeClasspath.FLINK_CLUSTER.load() + File.pathSeparator + self;
        } catch (URISyntaxException e) {
            throw new LaunchException("cannot locate the launcher's classes", e);
        }
    }
}
