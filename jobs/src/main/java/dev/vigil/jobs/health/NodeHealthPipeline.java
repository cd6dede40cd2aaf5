package dev.vigil.jobs.health;

import dev.vigil.jobs.common.EventTimeSettings;
import dev.vigil.jobs.common.ValidatedTelemetry;
import dev.vigil.operators.health.NodeHealthWindows;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.LateEventDeadLetters;
import dev.vigil.operators.ingest.LatePolicy;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.NodeHealthSummary;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The walking skeleton: telemetry → decode and validate → per-node one-minute health summaries,
 * with every rejected or too-late record in the dead letters. Sources and sinks come in as
 * arguments, so tests and the cluster run the very same wiring.
 *
 * <pre>
 * telemetry ─► decode+validate+dedup (keyed by node) ─► 1-min window ─► node-health
 *                   │ rejected, too late                   │ late
 *                   └──── dead letters ◄───────────────────┘
 * </pre>
 */
public final class NodeHealthPipeline {

    /** Name the job's dead letters carry in {@code DeadLetter.job}. */
    public static final String JOB_NAME = "node-health";

    private final String telemetryTopic;
    private final Duration windowSize;
    private final Duration allowedLateness;
    private final EventTimeSettings time;

    public NodeHealthPipeline(
            String telemetryTopic,
            Duration windowSize,
            Duration allowedLateness,
            EventTimeSettings time) {
        this.telemetryTopic = telemetryTopic;
        this.windowSize = windowSize;
        this.allowedLateness = allowedLateness;
        this.time = time;
    }

    /** Adds the pipeline to {@code env}. */
    public void build(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> telemetry,
            Sink<NodeHealthSummary> healthSink,
            Sink<DeadLetter> deadLetterSink) {
        ValidatedTelemetry valid =
                ValidatedTelemetry.read(
                        env,
                        telemetry,
                        time,
                        LatePolicy.windows(windowSize, allowedLateness),
                        telemetryTopic,
                        JOB_NAME);

        SingleOutputStreamOperator<NodeHealthSummary> health =
                NodeHealthWindows.summarise(valid.events(), windowSize, allowedLateness);

        DataStream<DeadLetter> late =
                health.getSideOutput(NodeHealthWindows.LATE)
                        .process(
                                new LateEventDeadLetters(
                                        telemetryTopic,
                                        windowSize,
                                        allowedLateness,
                                        new DeadLetterFactory(JOB_NAME)))
                        .uid("late-events")
                        .name("late-events");

        health.sinkTo(healthSink).uid("node-health-sink").name("node-health-sink");
        valid.deadLetters()
                .union(late)
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letter-sink");
    }
}
