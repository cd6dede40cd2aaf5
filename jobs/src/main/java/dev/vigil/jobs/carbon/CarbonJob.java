package dev.vigil.jobs.carbon;

import static dev.vigil.jobs.common.CommonJobOptions.BOOTSTRAP_SERVERS;
import static dev.vigil.jobs.common.CommonJobOptions.TELEMETRY_TOPIC;

import dev.vigil.jobs.common.JobArguments;
import dev.vigil.jobs.common.JobSetup;
import dev.vigil.operators.carbon.CarbonReports;
import dev.vigil.operators.ingest.AvroTopicDeserializationSchema;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.ThreatAlert;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Entry point of the carbon job; options in {@link CarbonJobOptions} and jobs/README.md. */
public final class CarbonJob {

    private CarbonJob() {}

    public static void main(String[] args) throws Exception {
        Configuration options =
                JobArguments.parse(args, CarbonJobOptions.ALL, List.of(BOOTSTRAP_SERVERS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, options);
        env.execute("vigil-" + CarbonPipeline.JOB_NAME);
    }

    /** Applies {@code options} to {@code env} and adds the job's sources, operators and sinks. */
    public static void configure(StreamExecutionEnvironment env, Configuration options) {
        JobSetup setup = new JobSetup(options, CarbonPipeline.JOB_NAME);
        setup.configure(env);
        new CarbonPipeline(
                        options.get(TELEMETRY_TOPIC),
                        CarbonJobOptions.settings(options),
                        setup.eventTime(),
                        options.get(CarbonJobOptions.SHIFT_THRESHOLD))
                .build(
                        env,
                        setup.telemetrySource(),
                        setup.positionedSource(
                                options.get(CarbonJobOptions.GRID_TOPIC),
                                new AvroTopicDeserializationSchema<>(
                                        GridIntensity.class,
                                        new DeadLetterFactory(CarbonPipeline.JOB_NAME))),
                        setup.sink(
                                options.get(CarbonJobOptions.CARBON_TOPIC),
                                CarbonReport.class,
                                CarbonReports::kafkaKey,
                                // the window's start, never its end: a day window closed by the
                                // end of a replay ends up to a day ahead, and brokers reject
                                // timestamps more than an hour ahead of their clock
                                r -> r.getWindowStart().toEpochMilli(),
                                "carbon"),
                        setup.sink(
                                options.get(CarbonJobOptions.ALERTS_TOPIC),
                                ThreatAlert.class,
                                ThreatAlert::getGroupKey,
                                a -> a.getLastEventTime().toEpochMilli(),
                                "shift-workload"),
                        setup.deadLetterSink());
    }
}
