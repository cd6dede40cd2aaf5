package dev.vigil.jobs.inference;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.ANOMALIES_TOPIC;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.BATCH_SIZE;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.BUILT_IN_MODELS;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.INTERVAL;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.MAX_DELAY;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.MODELS_TOPIC;
import static dev.vigil.jobs.inference.NodeInferenceJobOptions.WARM_UP;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.operators.inference.ModelUpdateDeserializationSchema;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.AnomalyScore;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the node-inference job; options in {@link NodeInferenceJobOptions} and
 * jobs/README.md.
 */
public final class NodeInferenceJob {

    private NodeInferenceJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(args, NodeInferenceJobOptions.ALL, List.of(BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + NodeInferencePipeline.JOB_NAME);
    }

    /** Applies {@code options} to {@code env} and adds the job's sources, operators and sinks. */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        JobSetup setup = new JobSetup(options, NodeInferencePipeline.JOB_NAME);
        setup.configure(env);
        new NodeInferencePipeline(
                        options.get(CommonJobOptions.TELEMETRY_TOPIC),
                        setup.eventTime(),
                        options.get(INTERVAL),
                        options.get(WARM_UP),
                        options.get(BATCH_SIZE),
                        options.get(MAX_DELAY),
                        options.get(BUILT_IN_MODELS))
                .calibrated(options.get(NodeInferenceJobOptions.CALIBRATION))
                .build(
                        env,
                        setup.telemetrySource(),
                        setup.source(
                                options.get(MODELS_TOPIC),
                                new ModelUpdateDeserializationSchema(
                                        new DeadLetterFactory(NodeInferencePipeline.JOB_NAME),
                                        setup.trustedAuthors())),
                        setup.sink(
                                options.get(ANOMALIES_TOPIC),
                                AnomalyScore.class,
                                AnomalyScore::getNodeId,
                                s -> s.getEventTime().toEpochMilli(),
                                "anomalies"),
                        null,
                        setup.deadLetterSink());
    }
}
