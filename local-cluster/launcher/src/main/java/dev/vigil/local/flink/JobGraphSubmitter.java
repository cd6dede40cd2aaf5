package dev.vigil.local.flink;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;

/**
 * Submits jobs the way {@code flink run} does, so that the cluster need not accept jar uploads
 * ({@code web.submit.enable: false}): each job's main runs here, in a client JVM with the Flink
 * classpath, its JobGraph is built from the job jar and sent with the jar to the JobManager's
 * {@code POST /jobs}. Runs in a child process of {@code vigil up} ({@link JobSubmission}).
 *
 * <p>Arguments: the cluster's configuration directory, the job jar, and a request file with one job
 * a line, fields separated by tabs: entry class, savepoint path or {@code -}, then the program
 * arguments. Prints {@code JOB <line number> <job id>} for each job submitted.
 */
public final class JobGraphSubmitter {

    /** The prefix of each line that reports a submitted job. */
    static final String JOB = "JOB ";

    private JobGraphSubmitter() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: JobGraphSubmitter CONF_DIR JOB_JAR REQUEST_FILE");
            System.exit(2);
        }
        Configuration config = GlobalConfiguration.loadConfiguration(args[0]);
        File jar = new File(args[1]);
        List<String> lines = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(config, StandaloneClusterId.getInstance())) {
            for (int i = 0; i < lines.size(); i++) {
                List<String> fields = new ArrayList<>(Arrays.asList(lines.get(i).split("\t", -1)));
                String entryClass = fields.remove(0);
                String savepoint = fields.remove(0);
                PackagedProgram program =
                        PackagedProgram.newBuilder()
                                .setJarFile(jar)
                                .setEntryPointClassName(entryClass)
                                .setConfiguration(config)
                                .setArguments(fields.toArray(String[]::new))
                                .setSavepointRestoreSettings(
                                        savepoint.equals("-")
                                                ? SavepointRestoreSettings.none()
                                                : SavepointRestoreSettings.forPath(
                                                        savepoint, false))
                                .build();
                try {
                    JobGraph graph =
                            PackagedProgramUtils.createJobGraph(
                                    program,
                                    config,
                                    config.get(CoreOptions.DEFAULT_PARALLELISM),
                                    false);
                    JobID id = client.submitJob(graph).get();
                    System.out.println(JOB + i + " " + id);
                    System.out.flush();
                } finally {
                    program.close();
                }
            }
        }
    }
}
