package dev.vigil.jobs.common;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * A job started on the test's MiniCluster without waiting for it: its status, polls with a
 * deadline, stop with a savepoint, cancel.
 */
public final class RunningJob implements AutoCloseable {

    private final JobClient client;

    public RunningJob(JobClient client) {
        this.client = client;
    }

    public JobStatus status() throws Exception {
        return client.getJobStatus().get(30, TimeUnit.SECONDS);
    }

    /** Waits until the job's tasks run (so its sources read from now on). */
    public RunningJob awaitRunning() throws Exception {
        await("job RUNNING", Duration.ofSeconds(60), () -> status() == JobStatus.RUNNING);
        return this;
    }

    /** Polls {@code condition} every 200 ms until it holds; fails if the job stops meanwhile. */
    public void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.call()) {
                return;
            }
            JobStatus status = status();
            if (status.isTerminalState()) {
                throw new AssertionError("the job went " + status + " while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Stops the job with a savepoint in {@code dir}; returns its path. */
    public String stopWithSavepoint(String dir) throws Exception {
        return client.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!status().isGloballyTerminalState()) {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
    }
}
