package dev.vigil.bench.e2e;

import dev.vigil.schema.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of a benchmark run and their arguments. Every run writes to its own topics ({@code
 * <run>-alerts}, ...) and uses its own transactional ids, so that runs never read each other's
 * output; the input (telemetry, grid intensities) is shared.
 */
final class Pipelines {

    /** Event time a node's window spans before its first score in live runs. */
    static final Duration LIVE_WARM_UP = Duration.ofSeconds(10);

    /**
     * How a run's jobs reach Kafka: a broker and, for an authenticated listener, a client
     * properties file (null for plaintext).
     */
    record Connection(String name, String bootstrapServers, Path properties) {

        List<String> args() {
            List<String> args = new ArrayList<>(List.of("--bootstrap.servers", bootstrapServers));
            if (properties != null) {
                args.addAll(List.of("--kafka.properties", properties.toString()));
            }
            return args;
        }
    }

    /** How a run reads its input and delivers its output. */
    record Mode(
            String delivery,
            boolean bounded,
            String telemetryTopic,
            String gridTopic,
            Duration watermarkBound,
            Duration watermarkInterval,
            Connection connection,
            String statePreset) {

        Mode over(Connection other) {
            return with(other, statePreset);
        }

        /** The same mode with the jobs' {@code --state.preset} set to {@code preset}. */
        Mode withState(String preset) {
            return with(connection, preset);
        }

        private Mode with(Connection other, String preset) {
            return new Mode(
                    delivery,
                    bounded,
                    telemetryTopic,
                    gridTopic,
                    watermarkBound,
                    watermarkInterval,
                    other,
                    preset);
        }
    }

    /** The jobs' default state preset. */
    static final String HASHMAP = "hashmap";

    private final Path keyStore;
    private final Duration checkpointInterval;

    Pipelines(Path keyStore, Duration checkpointInterval) {
        this.keyStore = keyStore;
        this.checkpointInterval = checkpointInterval;
    }

    Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** The name of {@code topic} in run {@code run}. */
    static String topic(String run, Topic topic) {
        return run + "-" + topic.topicName();
    }

    /** The pass-through job's output topic in run {@code run}. */
    static String passThroughOutput(String run) {
        return run + "-pass-through";
    }

    JobRun passThrough(String run, Mode mode) {
        List<String> args = common(run, "pass-through", mode);
        args.addAll(List.of("--topic.output", passThroughOutput(run)));
        return new JobRun("pass-through", "dev.vigil.jobs.passthrough.PassThroughJob", args);
    }

    JobRun health(String run, Mode mode) {
        List<String> args = common(run, "health", mode);
        args.addAll(runTopics(run, Topic.NODE_HEALTH));
        return new JobRun("node health", "dev.vigil.jobs.health.NodeHealthJob", args);
    }

    /**
     * @param rules a rule file, or null for the built-in catalogue alone
     * @param builtIn whether the built-in catalogue runs too
     */
    JobRun threat(String run, Mode mode, Path rules, boolean builtIn, String label) {
        List<String> args = common(run, "threat", mode);
        // the run's own scores: the risk join reads the inference job's output beside it
        args.addAll(runTopics(run, Topic.ALERTS, Topic.RULE_ACKS, Topic.RULES, Topic.ANOMALIES));
        args.addAll(List.of("--rules.builtin", Boolean.toString(builtIn)));
        if (rules != null) {
            args.addAll(List.of("--rules.file", rules.toString()));
        }
        return new JobRun(label, "dev.vigil.jobs.threat.ThreatDetectionJob", args);
    }

    JobRun inference(String run, Mode mode) {
        List<String> args = common(run, "inference", mode);
        args.addAll(runTopics(run, Topic.ANOMALIES, Topic.MODELS));
        args.addAll(
                List.of(
                        // steady state within a short run: every node scored every 5 s after
                        // a little history (the default waits for 15 minutes)
                        "--inference.warm-up",
                        mode.bounded() ? "1 min" : LIVE_WARM_UP.toSeconds() + " s"));
        return new JobRun("inference", "dev.vigil.jobs.inference.NodeInferenceJob", args);
    }

    JobRun carbon(String run, Mode mode) {
        List<String> args = common(run, "carbon", mode);
        args.addAll(runTopics(run, Topic.CARBON, Topic.ALERTS));
        args.addAll(List.of("--topic.grid-intensity", mode.gridTopic()));
        return new JobRun("carbon", "dev.vigil.jobs.carbon.CarbonJob", args);
    }

    JobRun remediation(String run, Mode mode) {
        List<String> args = common(run, "remediation", mode);
        args.addAll(
                runTopics(
                        run,
                        Topic.ALERTS,
                        Topic.ANOMALIES,
                        Topic.REMEDIATION_COMMANDS,
                        Topic.APPROVALS,
                        Topic.REMEDIATION_RESULTS));
        args.addAll(List.of("--remediation.keystore", keyStore.toAbsolutePath().toString()));
        return new JobRun("remediation", "dev.vigil.jobs.remediation.RemediationJob", args);
    }

    JobRun audit(String run, Mode mode) {
        List<String> args = common(run, "audit", mode);
        args.addAll(
                runTopics(
                        run,
                        Topic.AUDIT,
                        Topic.AUDIT_CHECKPOINTS,
                        Topic.ALERTS,
                        Topic.ANOMALIES,
                        Topic.REMEDIATION_COMMANDS,
                        Topic.REMEDIATION_RESULTS,
                        Topic.APPROVALS,
                        Topic.RULE_ACKS,
                        Topic.MODELS));
        args.addAll(List.of("--audit.keystore", keyStore.toAbsolutePath().toString()));
        return new JobRun("audit", "dev.vigil.jobs.audit.AuditJob", args);
    }

    /**
     * The four jobs that read telemetry.
     *
     * @param extraRules rules the threat job runs besides the built-in catalogue, or null
     */
    List<JobRun> telemetryJobs(String run, Mode mode, Path extraRules) {
        return List.of(
                health(run, mode),
                threat(run, mode, extraRules, true, "threat"),
                inference(run, mode),
                carbon(run, mode));
    }

    /**
     * {@code --topic.<name> <run>-<name>} for each topic: every job names its topic options after
     * the topics.
     */
    private static List<String> runTopics(String run, Topic... topics) {
        List<String> args = new ArrayList<>();
        for (Topic t : topics) {
            args.add("--topic." + t.topicName());
            args.add(topic(run, t));
        }
        return args;
    }

    private List<String> common(String run, String job, Mode mode) {
        List<String> args = new ArrayList<>(runTopics(run, Topic.DEAD_LETTERS));
        args.addAll(mode.connection().args());
        args.addAll(
                List.of(
                        "--topic.telemetry",
                        mode.telemetryTopic(),
                        "--sink.delivery",
                        mode.delivery(),
                        "--sink.transactional-id-prefix",
                        run + "-" + job,
                        "--checkpoint.interval",
                        checkpointInterval.toMillis() + " ms",
                        "--watermark.out-of-orderness",
                        mode.watermarkBound().toMillis() + " ms",
                        "--watermark.interval",
                        mode.watermarkInterval().toMillis() + " ms"));
        if (!HASHMAP.equals(mode.statePreset())) {
            args.addAll(List.of("--state.preset", mode.statePreset()));
        }
        if (mode.bounded()) {
            // a replay: stop at the end offsets, no partition waits for idleness
            args.addAll(List.of("--source.bounded", "true", "--watermark.idleness", "0 s"));
        }
        return args;
    }
}
