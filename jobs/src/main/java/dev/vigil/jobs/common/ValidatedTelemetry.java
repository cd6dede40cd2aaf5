package dev.vigil.jobs.common;

import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryWatermarks;
import java.time.Duration;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The first two operators of every job that reads telemetry: the source with event-time watermarks,
 * then validation. The returned stream carries the valid records; its {@link
 * DeadLetterRouter#DEAD_LETTERS} side output the rejected ones. The uids are fixed, so savepoints
 * of every job keep mapping to them.
 */
public final class ValidatedTelemetry {

    private ValidatedTelemetry() {}

    public static SingleOutputStreamOperator<IngestedTelemetry> of(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness) {
        return env.fromSource(
                        source, TelemetryWatermarks.strategy(outOfOrderness, idleness), "telemetry")
                .uid("telemetry-source")
                .process(new DeadLetterRouter())
                .uid("dead-letter-router")
                .name("validate");
    }
}
