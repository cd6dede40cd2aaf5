package dev.vigil.operators.inference;

import dev.vigil.models.ModelBundle;
import dev.vigil.models.ModelKind;
import dev.vigil.models.ModelMetadata;
import dev.vigil.models.ModelRejectedException;
import dev.vigil.models.ModelVersions;
import dev.vigil.models.OnnxScorer;
import dev.vigil.models.Scores;
import dev.vigil.operators.ingest.ControlLimits;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.RejectReason;
import dev.vigil.operators.ingest.Rejection;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.FeatureContribution;
import dev.vigil.schema.ModelUpdate;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores node feature vectors with the serving models and switches models while the job runs.
 *
 * <p><b>Input 1</b>: {@link NodeFeatureVector}s of many nodes. They are buffered and scored in
 * micro-batches — one native ONNX Runtime call per model per batch — when the buffer holds {@code
 * batchSize} vectors, when {@code maxDelay} of processing time has passed since the first buffered
 * vector, before a watermark is forwarded, before a checkpoint barrier and at end of input. Each
 * vector gives one {@link AnomalyScore} stamped with its own event time; a vector's score depends
 * only on its features and the model, never on which batch it travelled in.
 *
 * <p><b>Input 2</b> (broadcast): {@link ModelUpdate}s. A PUBLISH is checked ({@link ModelBundle}),
 * loaded into ONNX Runtime and run on a canary batch (recent vectors of this subtask and the
 * training mean) before it replaces the serving model of its kind in one step, after the buffer has
 * been flushed with the old one. A model that fails any check is a {@code MODEL_REJECTED} dead
 * letter with the reason, and the old model keeps serving. {@code shadow = true} loads the model
 * beside the serving one: it scores the same batches onto {@link #SHADOW_SCORES} and changes
 * nothing else. RETIRE stops a model. Accepted updates live in broadcast state, so a restored job
 * serves the same models; without any, the built-in models shipped with Vigil serve.
 *
 * <p><b>Fallback</b>: with no autoencoder (retired, or none could load) or when a model call fails,
 * vectors get a neutral score — version {@value #FALLBACK}, score 0, strength 0, not anomalous —
 * counted in {@code fallbackScores}; with no failure predictor, {@code failure_probability} is
 * null. The job never fails because of a model.
 */
public final class ModelInferenceOperator extends AbstractStreamOperator<AnomalyScore>
        implements TwoInputStreamOperator<NodeFeatureVector, IngestedModelUpdate, AnomalyScore> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelInferenceOperator.class);

    /** Model version on scores made without a model. */
    public static final String FALLBACK = "fallback";

    /** Name on fallback scores when no autoencoder has ever been named. */
    public static final String DEFAULT_ANOMALY_MODEL = "node-autoencoder";

    /** Scores of shadow models. */
    public static final OutputTag<AnomalyScore> SHADOW_SCORES =
            new OutputTag<>("shadow-scores", TypeInformation.of(AnomalyScore.class));

    /** Model updates that were not applied, as dead letters. */
    public static final OutputTag<DeadLetter> REJECTED_MODELS =
            new OutputTag<>("rejected-models", TypeInformation.of(DeadLetter.class));

    /** Accepted updates: key {@code <kind>} or {@code <kind>/shadow}, value the Avro update. */
    static final MapStateDescriptor<String, byte[]> MODELS =
            new MapStateDescriptor<>(
                    "models",
                    BasicTypeInfo.STRING_TYPE_INFO,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private static final String RETIRED = "/retired";
    private static final int CANARY_ROWS = 32;
    private static final int TOP_FEATURES = 3;

    /** The histogram of vectors per model call. */
    public static final String BATCH_SIZE_METRIC = "inferenceBatchSize";

    private final int batchSize;
    private final long maxDelayMillis;
    private final boolean builtIns;
    private final DeadLetterFactory deadLetters;

    private transient BroadcastState<String, byte[]> models;
    private transient AvroCodec<ModelUpdate> codec;
    private transient Map<ModelKind, OnnxScorer> serving;
    private transient Map<ModelKind, OnnxScorer> shadow;
    private transient List<StreamRecord<NodeFeatureVector>> buffer;
    private transient ArrayDeque<double[]> recent;
    private transient boolean timerPending;
    private transient Counter batches;
    private transient Counter scored;
    private transient Counter fallbacks;
    private transient Counter loaded;
    private transient Counter rejected;
    private transient Counter failures;
    private transient Histogram batchSizes;

    /**
     * @param batchSize vectors per model call at most
     * @param maxDelay longest a vector waits in the buffer (processing time)
     * @param builtIns serve the models built into Vigil until the {@code models} topic says
     *     otherwise
     */
    public ModelInferenceOperator(
            int batchSize, Duration maxDelay, boolean builtIns, DeadLetterFactory deadLetters) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.maxDelayMillis = maxDelay.toMillis();
        this.builtIns = builtIns;
        this.deadLetters = deadLetters;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        models = context.getOperatorStateStore().getBroadcastState(MODELS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        codec = AvroCodec.of(ModelUpdate.class);
        serving = new EnumMap<>(ModelKind.class);
        shadow = new EnumMap<>(ModelKind.class);
        buffer = new ArrayList<>(batchSize);
        recent = new ArrayDeque<>(CANARY_ROWS);
        var metrics = getRuntimeContext().getMetricGroup();
        batches = metrics.counter("inferenceBatches");
        scored = metrics.counter("scoredVectors");
        fallbacks = metrics.counter("fallbackScores");
        loaded = metrics.counter("modelsLoaded");
        rejected = metrics.counter("modelsRejected");
        failures = metrics.counter("inferenceFailures");
        // the vectors of each model call: what micro-batching achieves inside the job (a flush on
        // every watermark keeps it small); percentiles over the last 1,000 calls
        batchSizes =
                metrics.histogram(
                        BATCH_SIZE_METRIC,
                        new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1000));
        for (Map.Entry<String, byte[]> entry : models.entries()) {
            if (entry.getKey().endsWith(RETIRED)) {
                continue;
            }
            ModelUpdate update = codec.decode(entry.getValue());
            try {
                install(update, entry.getKey().endsWith("/shadow"), false);
            } catch (ModelRejectedException e) {
                LOG.warn("restored model {} no longer loads: {}", entry.getKey(), e.getMessage());
            }
        }
        if (builtIns) {
            for (String name : ModelBundle.BUILT_IN) {
                ModelBundle bundle = ModelBundle.builtIn(name);
                ModelKind kind = bundle.metadata().kind();
                if (!serving.containsKey(kind) && !models.contains(kind.name() + RETIRED)) {
                    serving.put(kind, OnnxScorer.load(bundle, canary(bundle)));
                    LOG.info("serving built-in model {}", bundle);
                }
            }
        }
    }

    // ---- input 1: feature vectors ----

    @Override
    public void processElement1(StreamRecord<NodeFeatureVector> element) throws Exception {
        NodeFeatureVector v = element.getValue();
        buffer.add(element.copy(v));
        if (recent.size() == CANARY_ROWS) {
            recent.removeFirst();
        }
        recent.addLast(v.features);
        if (buffer.size() >= batchSize) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + maxDelayMillis,
                            time -> {
                                timerPending = false;
                                flush();
                            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** The sizes of the batches scored so far (the {@value #BATCH_SIZE_METRIC} histogram). */
    Histogram batchSizes() {
        return batchSizes;
    }

    /** Scores every buffered vector. */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<StreamRecord<NodeFeatureVector>> batch = buffer;
        buffer = new ArrayList<>(batchSize);
        batches.inc();
        scored.inc(batch.size());
        batchSizes.update(batch.size());
        long now = getProcessingTimeService().getCurrentProcessingTime();
        List<AnomalyScore> scores =
                score(
                        batch,
                        serving.get(ModelKind.AUTOENCODER),
                        serving.get(ModelKind.FAILURE_PREDICTOR),
                        now,
                        true);
        for (int i = 0; i < batch.size(); i++) {
            output.collect(new StreamRecord<>(scores.get(i), batch.get(i).getTimestamp()));
        }
        if (!shadow.isEmpty()) {
            OnnxScorer ae =
                    shadow.getOrDefault(ModelKind.AUTOENCODER, serving.get(ModelKind.AUTOENCODER));
            OnnxScorer fp =
                    shadow.getOrDefault(
                            ModelKind.FAILURE_PREDICTOR, serving.get(ModelKind.FAILURE_PREDICTOR));
            List<AnomalyScore> shadowScores = score(batch, ae, fp, now, false);
            for (int i = 0; i < batch.size(); i++) {
                output.collect(
                        SHADOW_SCORES,
                        new StreamRecord<>(shadowScores.get(i), batch.get(i).getTimestamp()));
            }
        }
    }

    private List<AnomalyScore> score(
            List<StreamRecord<NodeFeatureVector>> batch,
            OnnxScorer autoencoder,
            OnnxScorer failure,
            long now,
            boolean count) {
        int n = batch.size();
        float[][] aeIn = null;
        float[][] aeOut = null;
        if (autoencoder != null) {
            aeIn = inputs(autoencoder.bundle(), batch);
            aeOut = run(autoencoder, aeIn);
        }
        float[][] probability = null;
        if (failure != null) {
            probability = run(failure, inputs(failure.bundle(), batch));
        }
        List<AnomalyScore> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            NodeFeatureVector v = batch.get(i).getValue();
            AnomalyScore.Builder s =
                    AnomalyScore.newBuilder()
                            .setHub(v.hub)
                            .setRegion(v.region)
                            .setCluster(v.cluster)
                            .setNodeId(v.nodeId)
                            .setEventTime(Instant.ofEpochMilli(v.eventTime))
                            .setScoredAt(Instant.ofEpochMilli(now))
                            .setFailureProbability(
                                    probability == null ? null : (double) probability[i][0]);
            if (aeOut == null) {
                if (count) {
                    fallbacks.inc();
                }
                s.setModelName(
                                autoencoder == null
                                        ? DEFAULT_ANOMALY_MODEL
                                        : autoencoder.bundle().name())
                        .setModelVersion(FALLBACK)
                        .setScore(0.0)
                        .setThreshold(0.0)
                        .setAnomalous(false)
                        .setAnomalyStrength(0.0)
                        .setTopFeatures(List.of());
            } else {
                ModelMetadata m = autoencoder.bundle().metadata();
                double[] share = new double[aeIn[i].length];
                double error = Scores.reconstructionError(aeIn[i], aeOut[i], share);
                s.setModelName(m.name())
                        .setModelVersion(m.version())
                        .setScore(error)
                        .setThreshold(m.threshold())
                        .setAnomalous(error > m.threshold())
                        .setAnomalyStrength(Scores.strength(error, m.threshold()))
                        .setTopFeatures(top(m.features(), share));
            }
            out.add(s.build());
        }
        return out;
    }

    private float[][] run(OnnxScorer scorer, float[][] rows) {
        try {
            return scorer.run(rows);
        } catch (RuntimeException e) {
            failures.inc();
            LOG.warn(
                    "model {} failed on a batch of {}: {}",
                    scorer.bundle(),
                    rows.length,
                    e.toString());
            return null;
        }
    }

    private static float[][] inputs(
            ModelBundle bundle, List<StreamRecord<NodeFeatureVector>> batch) {
        float[][] rows = new float[batch.size()][bundle.metadata().features().size()];
        for (int i = 0; i < rows.length; i++) {
            bundle.input(batch.get(i).getValue().features, rows[i]);
        }
        return rows;
    }

    private static List<FeatureContribution> top(List<String> names, double[] share) {
        List<FeatureContribution> top = new ArrayList<>(TOP_FEATURES);
        boolean[] taken = new boolean[share.length];
        for (int k = 0; k < TOP_FEATURES && k < share.length; k++) {
            int best = -1;
            for (int i = 0; i < share.length; i++) {
                if (!taken[i] && (best < 0 || share[i] > share[best])) {
                    best = i;
                }
            }
            if (share[best] <= 0) {
                break;
            }
            taken[best] = true;
            top.add(new FeatureContribution(names.get(best), share[best]));
        }
        return top;
    }

    // ---- input 2: model updates ----

    @Override
    public void processElement2(StreamRecord<IngestedModelUpdate> element) throws Exception {
        IngestedModelUpdate in = element.getValue();
        if (in.deadLetter != null) {
            reject(in.deadLetter);
            return;
        }
        ModelUpdate update = in.update;
        String action = update.getAction();
        try {
            if ("PUBLISH".equals(action)) {
                flush(); // vectors that arrived before the update are scored by the old model
                ModelKind kind = install(update, update.getShadow(), !update.getForce());
                String key = update.getShadow() ? kind.name() + "/shadow" : kind.name();
                models.put(key, codec.encode(update));
                if (!update.getShadow()) {
                    models.remove(kind.name() + "/shadow");
                    models.remove(kind.name() + RETIRED);
                }
                loaded.inc();
            } else if ("RETIRE".equals(action)) {
                flush();
                retire(update.getModelName());
            } else {
                throw new ModelRejectedException(
                        "action: '" + action + "' is neither PUBLISH nor RETIRE");
            }
        } catch (RuntimeException e) {
            // whatever an update provokes is its rejection, never an exception out of the
            // operator (a control record that throws is replayed at every restore)
            String why =
                    e instanceof ModelRejectedException
                            ? e.getMessage()
                            : "cannot be loaded (" + e.getClass().getSimpleName() + ")";
            rejected.inc();
            LOG.warn(
                    "rejected model {} {}: {}",
                    ControlLimits.abbreviate(update.getModelName()),
                    ControlLimits.abbreviate(update.getModelVersion()),
                    ControlLimits.abbreviate(why));
            reject(
                    deadLetters.decoded(
                            in.topic,
                            in.partition,
                            in.offset,
                            Instant.ofEpochMilli(Math.max(0L, in.timestamp)),
                            update.getModelName().getBytes(StandardCharsets.UTF_8),
                            codec.encode(update),
                            Map.of(),
                            new Rejection(
                                    RejectReason.MODEL_REJECTED,
                                    update.getModelName()
                                            + " "
                                            + update.getModelVersion()
                                            + ": "
                                            + why)));
        }
    }

    /**
     * Loads, checks and switches to {@code update}; returns the kind it now serves. With {@code
     * onlyNewer}, a version that is not newer than the serving one is rejected (after the checks of
     * the artifact, so that a broken model is named as broken).
     */
    private ModelKind install(ModelUpdate update, boolean asShadow, boolean onlyNewer) {
        ModelBundle bundle =
                ModelBundle.of(
                        update.getArtifact() == null ? null : bytes(update.getArtifact()),
                        update.getMetadataJson(),
                        update.getArtifactSha256());
        if (!bundle.name().equals(update.getModelName())) {
            throw new ModelRejectedException(
                    "model_name: the update names '"
                            + update.getModelName()
                            + "' but the metadata names '"
                            + bundle.name()
                            + "'");
        }
        if (!bundle.version().equals(update.getModelVersion())) {
            throw new ModelRejectedException(
                    "model_version: the update says '"
                            + update.getModelVersion()
                            + "' but the metadata says '"
                            + bundle.version()
                            + "'");
        }
        OnnxScorer scorer = OnnxScorer.load(bundle, canary(bundle));
        ModelKind kind = bundle.metadata().kind();
        OnnxScorer current = serving.get(kind);
        if (!asShadow
                && onlyNewer
                && current != null
                && !ModelVersions.newer(bundle.version(), current.bundle().version())) {
            scorer.close();
            throw new ModelRejectedException(
                    "model_version: "
                            + bundle.version()
                            + " is not newer than the serving "
                            + current.bundle().version()
                            + " (publish with --force to go back to it)");
        }
        OnnxScorer old = asShadow ? shadow.put(kind, scorer) : serving.put(kind, scorer);
        if (!asShadow) {
            OnnxScorer oldShadow = shadow.remove(kind);
            if (oldShadow != null && oldShadow != scorer) {
                oldShadow.close();
            }
        }
        if (old != null) {
            old.close();
        }
        LOG.info("{} model {} {}", asShadow ? "shadowing" : "serving", kind, bundle);
        return kind;
    }

    private void retire(String name) throws Exception {
        boolean found = false;
        for (Map<ModelKind, OnnxScorer> slots : List.of(serving, shadow)) {
            for (ModelKind kind : ModelKind.values()) {
                OnnxScorer s = slots.get(kind);
                if (s != null && s.bundle().name().equals(name)) {
                    slots.remove(kind).close();
                    models.remove(slots == serving ? kind.name() : kind.name() + "/shadow");
                    if (slots == serving) {
                        // a retired kind stays retired after a restart, built-in or not
                        models.put(kind.name() + RETIRED, new byte[0]);
                    }
                    LOG.info("retired model {} ({})", name, kind);
                    found = true;
                }
            }
        }
        if (!found) {
            // an update that changes nothing is answered too: a rejection, never silence
            throw new ModelRejectedException(
                    "model_name: no model named '"
                            + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                            + "' is serving or in shadow");
        }
    }

    /** Recent vectors of this subtask and the training mean, as the model's input rows. */
    private float[][] canary(ModelBundle bundle) {
        List<double[]> rows = new ArrayList<>(recent == null ? List.of() : recent);
        float[][] canary = new float[rows.size() + 1][bundle.metadata().features().size()];
        for (int i = 0; i < rows.size(); i++) {
            bundle.input(rows.get(i), canary[i]);
        }
        // the last row stays all zeros: the training mean after normalisation
        return canary;
    }

    private void reject(DeadLetter deadLetter) {
        // every subtask sees every update; one of them reports it
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            output.collect(REJECTED_MODELS, new StreamRecord<>(deadLetter));
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws Exception {
        if (serving != null) {
            for (OnnxScorer s : serving.values()) {
                s.close();
            }
            for (OnnxScorer s : shadow.values()) {
                s.close();
            }
            serving.clear();
            shadow.clear();
        }
        super.close();
    }
}
