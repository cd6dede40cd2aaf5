package dev.vigil.jobs.health;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.TELEMETRY_TOPIC;
import static dev.vigil.jobs.health.NodeHealthJobOptions.ALLOWED_LATENESS;
import static dev.vigil.jobs.health.NodeHealthJobOptions.HEALTH_TOPIC;
import static dev.vigil.jobs.health.NodeHealthJobOptions.WINDOW_SIZE;

import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.schema.NodeHealthSummary;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the node-health job: Kafka in, Kafka out, exactly-once. Options are listed in
 * {@link NodeHealthJobOptions} and jobs/README.md.
 */
public final class NodeHealthJob {

    private NodeHealthJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(args, NodeHealthJobOptions.ALL, List.of(BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + NodeHealthPipeline.JOB_NAME);
    }

    /**
     * Applies {@code options} to {@code env} and adds the job's Kafka sources, operators and sinks.
     */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        JobSetup setup = new JobSetup(options, NodeHealthPipeline.JOB_NAME);
        setup.configure(env);
        new NodeHealthPipeline(
                        options.get(TELEMETRY_TOPIC),
                        options.get(WINDOW_SIZE),
                        options.get(ALLOWED_LATENESS),
                        setup.eventTime())
                .build(
                        env,
                        setup.telemetrySource(),
                        setup.sink(
                                options.get(HEALTH_TOPIC),
                                NodeHealthSummary.class,
                                NodeHealthSummary::getNodeId,
                                s -> s.getWindowEnd().toEpochMilli() - 1,
                                "health"),
                        setup.deadLetterSink());
    }
}
