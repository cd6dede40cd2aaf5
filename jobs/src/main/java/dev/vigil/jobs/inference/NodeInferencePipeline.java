package dev.vigil.jobs.inference;

import dev.vigil.jobs.common.EventTimeSettings;
import dev.vigil.jobs.common.ValidatedTelemetry;
import dev.vigil.operators.eventtime.ControlStreams;
import dev.vigil.operators.inference.IngestedModelUpdate;
import dev.vigil.operators.inference.ModelInferenceOperator;
import dev.vigil.operators.inference.NodeFeatureFunction;
import dev.vigil.operators.inference.NodeFeatureVector;
import dev.vigil.operators.inference.NodeScoreCalibration;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.LatePolicy;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.DeadLetter;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Keyed model inference: telemetry → per-node feature windows → micro-batched ONNX scoring → {@code
 * anomalies}, with models switched from the {@code models} topic while the job runs.
 *
 * <pre>
 * telemetry ─► decode+validate ─► keyBy(node) ─► feature windows ─┐
 *                   │                                              ├─► batched scoring ─► anomalies
 * models ──────────────────────────────────── broadcast ──────────┘        │ shadow scores (side output)
 *                   └──── dead letters ◄──── rejected models ◄──────────────┘
 * </pre>
 */
public final class NodeInferencePipeline {

    /** Name the job's dead letters carry in {@code DeadLetter.job}. */
    public static final String JOB_NAME = "node-inference";

    private final String telemetryTopic;
    private final EventTimeSettings time;
    private final Duration interval;
    private final Duration warmUp;
    private final int batchSize;
    private final Duration maxDelay;
    private final boolean builtIns;
    private boolean calibrated = true;

    public NodeInferencePipeline(
            String telemetryTopic,
            EventTimeSettings time,
            Duration interval,
            Duration warmUp,
            int batchSize,
            Duration maxDelay,
            boolean builtIns) {
        this.telemetryTopic = telemetryTopic;
        this.time = time;
        this.interval = interval;
        this.warmUp = warmUp;
        this.batchSize = batchSize;
        this.maxDelay = maxDelay;
        this.builtIns = builtIns;
    }

    /**
     * Whether scores are judged against each node's own recent scores ({@link
     * NodeScoreCalibration}, the default) or against the model's threshold alone.
     */
    public NodeInferencePipeline calibrated(boolean calibrated) {
        this.calibrated = calibrated;
        return this;
    }

    /**
     * Adds the pipeline to {@code env}.
     *
     * @param shadowSink where shadow scores go, or null to drop them (they are a comparison aid)
     */
    public void build(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> telemetry,
            Source<IngestedModelUpdate, ?, ?> models,
            Sink<AnomalyScore> anomalySink,
            Sink<AnomalyScore> shadowSink,
            Sink<DeadLetter> deadLetterSink) {
        // feature windows take every on-time-enough event (the deduplication horizon bounds them)
        ValidatedTelemetry valid =
                ValidatedTelemetry.read(
                        env, telemetry, time, LatePolicy.never(), telemetryTopic, JOB_NAME);

        DataStream<IngestedModelUpdate> updates =
                env.fromSource(models, ControlStreams.<IngestedModelUpdate>noEventTime(), "models")
                        .uid("models-source")
                        .setParallelism(1);

        DataStream<NodeFeatureVector> vectors =
                valid.events()
                        .process(new NodeFeatureFunction(interval, warmUp))
                        .uid("feature-windows")
                        .name("feature-windows");

        SingleOutputStreamOperator<AnomalyScore> scores =
                vectors.connect(updates.broadcast())
                        .transform(
                                "score",
                                TypeInformation.of(AnomalyScore.class),
                                new ModelInferenceOperator(
                                        batchSize,
                                        maxDelay,
                                        builtIns,
                                        new DeadLetterFactory(JOB_NAME)))
                        .uid("model-inference");

        DataStream<AnomalyScore> judged = scores;
        if (calibrated) {
            judged =
                    scores.keyBy(AnomalyScore::getNodeId)
                            .process(new NodeScoreCalibration())
                            .uid("score-calibration")
                            .name("score-calibration");
        }
        judged.sinkTo(anomalySink).uid("anomaly-sink").name("anomaly-sink");
        if (shadowSink != null) {
            scores.getSideOutput(ModelInferenceOperator.SHADOW_SCORES)
                    .sinkTo(shadowSink)
                    .uid("shadow-sink")
                    .name("shadow-sink");
        }
        valid.deadLetters()
                .union(scores.getSideOutput(ModelInferenceOperator.REJECTED_MODELS))
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letter-sink");
    }
}
