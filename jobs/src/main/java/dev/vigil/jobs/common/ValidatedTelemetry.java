package dev.vigil.jobs.common;

import dev.vigil.operators.eventtime.ClampedWatermarks;
import dev.vigil.operators.eventtime.EventTimeClock;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.LatePolicy;
import dev.vigil.operators.ingest.TelemetryClock;
import dev.vigil.operators.ingest.TelemetryDeduplicator;
import dev.vigil.schema.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest every job that reads telemetry shares:
 *
 * <pre>
 * source (clamped watermarks) ─► event-time clock ─► validate + too late ─► keyBy(node) ─► deduplicate ─► events
 *                                                          └──────────── dead letters ◄────────┘
 * </pre>
 *
 * The events come out keyed by node (no second shuffle is needed for a keyed operator behind them);
 * every rejected, too-late or conflicting record is in {@link #deadLetters()}. The uids are fixed,
 * so savepoints of every job keep mapping to them.
 */
public final class ValidatedTelemetry {

    private final KeyedStream<IngestedTelemetry, String> events;
    private final DataStream<DeadLetter> deadLetters;

    private ValidatedTelemetry(
            KeyedStream<IngestedTelemetry, String> events, DataStream<DeadLetter> deadLetters) {
        this.events = events;
        this.deadLetters = deadLetters;
    }

    /**
     * @param late when an event is too late for this job, by its partition watermark
     * @param topic the telemetry topic, named in dead letters
     * @param job the job's name, in its dead letters
     */
    public static ValidatedTelemetry read(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> source,
            EventTimeSettings time,
            LatePolicy late,
            String topic,
            String job) {
        return read(env, source, time, late, topic, job, false);
    }

    /**
     * @param resentCopies pass resent copies on, marked {@link IngestedTelemetry#copy} (for the
     *     threat job's replay rules), instead of dropping them — also late ones, and late events
     *     whose sequence number the node already delivered (old telemetry sent again)
     */
    public static ValidatedTelemetry read(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> source,
            EventTimeSettings time,
            LatePolicy late,
            String topic,
            String job,
            boolean resentCopies) {
        DeadLetterFactory factory = new DeadLetterFactory(job);
        SingleOutputStreamOperator<IngestedTelemetry> valid =
                env.fromSource(
                                source,
                                ClampedWatermarks.strategy(
                                        time.outOfOrderness(),
                                        time.idleness(),
                                        TelemetryClock.INSTANCE),
                                "telemetry")
                        .uid("telemetry-source")
                        .transform(
                                "telemetry-clock",
                                TypeInformation.of(IngestedTelemetry.class),
                                new EventTimeClock<>(
                                        time.outOfOrderness(), TelemetryClock.INSTANCE))
                        .uid("telemetry-clock")
                        .process(
                                new DeadLetterRouter(
                                        late.withHorizon(time.dedupHorizon()),
                                        topic,
                                        factory,
                                        // the threat job: late copies of delivered events are
                                        // replay evidence, judged by the deduplicator
                                        resentCopies))
                        .uid("dead-letter-router")
                        .name("validate");
        SingleOutputStreamOperator<IngestedTelemetry> unique =
                valid.keyBy(IngestedTelemetry::nodeId)
                        .process(
                                new TelemetryDeduplicator(
                                        time.dedupHorizon(), topic, factory, resentCopies))
                        .uid("telemetry-dedup")
                        .name("deduplicate");
        return new ValidatedTelemetry(
                DataStreamUtils.reinterpretAsKeyedStream(
                        unique, IngestedTelemetry::nodeId, Types.STRING),
                valid.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                        .union(unique.getSideOutput(DeadLetterRouter.DEAD_LETTERS)));
    }

    /** Valid, on-time, first-seen events, keyed by node id. */
    public KeyedStream<IngestedTelemetry, String> events() {
        return events;
    }

    /** Rejected, too-late and conflicting records. */
    public DataStream<DeadLetter> deadLetters() {
        return deadLetters;
    }
}
