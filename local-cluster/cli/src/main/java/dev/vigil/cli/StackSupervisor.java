package dev.vigil.cli;

import dev.vigil.local.LocalStack;
import dev.vigil.local.StackSettings;
import dev.vigil.local.flink.FlinkSessionCluster;
import dev.vigil.local.process.JvmProcess;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.ManagedProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the local stack running: a background process ({@code vigil supervise}, started by {@code
 * vigil up}, stopped first by {@code vigil down}) that checks every {@value #PERIOD_MS} ms that the
 * broker, JobManager, TaskManager and SQL Gateway are alive and starts any that is not. When it had
 * to start the JobManager (whose jobs died with it) or a TaskManager (jobs may have used up their
 * restarts meanwhile), it submits every job that is not running again, each from its newest
 * retained checkpoint, so that output stays exactly-once.
 */
final class StackSupervisor {

    static final long PERIOD_MS = 2_000;

    private StackSupervisor() {}

    /** Starts the supervisor process unless it runs already. */
    static void start(LocalStack stack, Path jobJar) {
        if (stack.running(LocalStack.SUPERVISOR).isPresent()) {
            VigilCli.say("supervisor already running");
            return;
        }
        Path data = stack.settings().dataDir();
        ManagedProcess process =
                JvmProcess.of(LocalStack.SUPERVISOR, data)
                        .classpath(System.getProperty("java.class.path"))
                        .mainClass(VigilCli.class.getName())
                        .jvmArgs(List.of("-Xmx256m"))
                        .args(
                                List.of(
                                        "--data",
                                        data.toString(),
                                        "--job-jar",
                                        jobJar.toAbsolutePath().toString(),
                                        "supervise"))
                        .logFile(data.resolve("logs/" + LocalStack.SUPERVISOR + ".out"))
                        .pidFile(data.resolve("run/" + LocalStack.SUPERVISOR + ".pid"))
                        .start();
        VigilCli.say(
                "supervisor watching the stack (pid "
                        + process.pid()
                        + ", ./vigil logs supervisor)");
    }

    /** The supervisor's loop; runs until the process is stopped. */
    static int run(Path dataDir, Path jobJar) {
        LocalStack stack =
                new LocalStack(
                        StackSettings.load(dataDir),
                        line -> System.out.println(Instant.now() + " " + line));
        System.out.println(Instant.now() + " supervising " + LocalStack.SUPERVISED);
        while (true) {
            try {
                List<String> started = stack.repair();
                if (started.contains(FlinkSessionCluster.JOBMANAGER)
                        || started.contains(FlinkSessionCluster.TASKMANAGER)) {
                    stack.submit(jobJar, VigilJobs.of(stack));
                }
            } catch (LaunchException | IllegalStateException e) {
                System.out.println(Instant.now() + " repair failed, retrying: " + e.getMessage());
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }
}
