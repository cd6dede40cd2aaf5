package dev.vigil.local.flink;

import dev.vigil.local.JobSpec;
import dev.vigil.local.process.LaunchException;
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
import java.util.function.Function;

/**
 * Vigil's jobs on one session cluster: submitted by name (a job already running is left alone),
 * resumed from the savepoint or checkpoint their last stop recorded, and stopped with savepoints.
 * The records live in {@code resumeDir}: {@code <job>.savepoint} and {@code <job>.jobid}. Used by
 * {@code vigil up}/{@code down} on the local stack and {@code vigil deploy}/{@code undeploy} on a
 * cluster of the user's.
 */
public final class JobControl {

    private final FlinkRestClient rest;
    private final JobSubmission submission;
    private final Path resumeDir;
    private final Function<String, Optional<String>> retainedCheckpoint;
    private final Duration startTimeout;
    private final Consumer<String> progress;

    /**
     * @param retainedCheckpoint job id → the newest checkpoint its run retained, where this machine
     *     can see the cluster's checkpoints (empty otherwise)
     */
    public JobControl(
            FlinkRestClient rest,
            JobSubmission submission,
            Path resumeDir,
            Function<String, Optional<String>> retainedCheckpoint,
            Duration startTimeout,
            Consumer<String> progress) {
        this.rest = rest;
        this.submission = submission;
        this.resumeDir = resumeDir;
        this.retainedCheckpoint = retainedCheckpoint;
        this.startTimeout = startTimeout;
        this.progress = progress;
    }

    /**
     * Submits each job unless one of that name is already running; resumes from the savepoint a
     * previous stop left. Waits until all run; returns job name → job id.
     */
    public Map<String, String> submit(Path jobJar, List<JobSpec> jobs) {
        if (!Files.isRegularFile(jobJar)) {
            throw new LaunchException(
                    "job jar " + jobJar + " is missing: build with mvn -DskipTests package");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        List<JobSubmission.Request> requests = new ArrayList<>();
        List<JobSpec> submitting = new ArrayList<>();
        List<FlinkRestClient.Job> known = rest.jobs();
        for (JobSpec job : jobs) {
            Optional<FlinkRestClient.Job> running =
                    known.stream()
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
            } else if (retained.isPresent()) {
                // the job ended without a savepoint (a JobManager that died, a machine that
                // stopped): its newest retained checkpoint keeps its output exactly-once
                progress.accept(
                        "resuming job "
                                + job.name()
                                + " from its last checkpoint "
                                + retained.get());
                requests.add(JobSubmission.Request.of(job, retained.get()));
            } else {
                progress.accept("submitting job " + job.name());
                requests.add(JobSubmission.Request.of(job, null));
            }
            submitting.add(job);
        }
        // one client JVM builds and submits every JobGraph: the cluster takes no jar uploads
        List<String> submitted = submission.submit(jobJar, requests);
        for (int i = 0; i < submitted.size(); i++) {
            String name = submitting.get(i).name();
            deleteIfExists(savepointRecord(name));
            write(jobIdRecord(name), submitted.get(i));
            ids.put(name, submitted.get(i));
        }
        awaitRunning(ids);
        return ids;
    }

    /**
     * Stops every active Vigil job (named {@code vigil-*}) with a savepoint into {@code
     * savepointDir} (or the cluster's {@code state.savepoints.dir} when {@code null}) and records
     * it for the next submit; cancels a job whose savepoint fails, recording its latest checkpoint
     * instead. Ad-hoc jobs are cancelled when {@code cancelOthers}, else left running. Returns the
     * names of the jobs it stopped.
     */
    public List<String> stopJobs(String savepointDir, boolean cancelOthers) {
        List<String> stopped = new ArrayList<>();
        for (FlinkRestClient.Job job : rest.jobs()) {
            if (!isActive(job.state())) {
                continue;
            }
            if (job.state().equals("CANCELLING") || job.state().equals("FAILING")) {
                // already on its way out; a savepoint cannot be taken any more
                progress.accept("job " + job.name() + " is " + job.state().toLowerCase());
                continue;
            }
            if (!job.name().startsWith("vigil-")) {
                if (cancelOthers) {
                    progress.accept("cancelling ad-hoc job " + job.name());
                    rest.cancel(job.id());
                }
                continue;
            }
            try {
                progress.accept("stopping job " + job.name() + " with a savepoint ...");
                String location =
                        rest.stopWithSavepoint(job.id(), savepointDir, Duration.ofSeconds(90));
                write(savepointRecord(job.name()), location);
                progress.accept("  savepoint " + location);
            } catch (LaunchException e) {
                progress.accept("  savepoint failed (" + e.getMessage() + ")");
                // the latest checkpoint is retained on cancellation: resume from it instead
                Optional<String> checkpoint = rest.latestCheckpoint(job.id());
                rest.cancel(job.id());
                if (checkpoint.isPresent()) {
                    write(savepointRecord(job.name()), checkpoint.get());
                    progress.accept(
                            "  cancelled; the next start resumes from checkpoint "
                                    + checkpoint.get());
                } else {
                    progress.accept(
                            "  cancelled; no checkpoint yet, so the next start runs the job"
                                    + " afresh");
                }
            }
            stopped.add(job.name());
        }
        return stopped;
    }

    /** The newest retained checkpoint of the last run of {@code jobName}, if any. */
    public Optional<String> latestRetainedCheckpoint(String jobName) {
        String jobId = readIfExists(jobIdRecord(jobName));
        return jobId == null ? Optional.empty() : retainedCheckpoint.apply(jobId);
    }

    private void awaitRunning(Map<String, String> ids) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
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
                        + startTimeout.toSeconds()
                        + " s; see the JobManager's log");
    }

    private Path savepointRecord(String jobName) {
        return resumeDir.resolve(jobName + ".savepoint");
    }

    private Path jobIdRecord(String jobName) {
        return resumeDir.resolve(jobName + ".jobid");
    }

    /** Whether a job in {@code state} still runs or is on its way to. */
    public static boolean isActive(String state) {
        return !(state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED"));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot write " + file, e);
        }
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
}
