package dev.vigil.bench.jmh;

import dev.vigil.bench.SimulatedFleet;
import dev.vigil.models.ModelBundle;
import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.models.NodeFeatures;
import dev.vigil.models.OnnxScorer;
import dev.vigil.models.Scores;
import dev.vigil.schema.TelemetryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Feature extraction + inference as the inference job does it, per node vector: the 93 features of
 * a node's window, normalised into each model's input, and both built-in ONNX models (autoencoder
 * reconstruction error, failure probability) through DJL's OnnxRuntime engine on one intra-op
 * thread. {@code scoreBatch64} scores {@value #BATCH} vectors per native call (the job's default
 * batch size); {@code scoreOne} one per call, the cost without batching. Scores are vectors/s.
 *
 * <p>The OnnxRuntime natives come from the Maven classpath and load in JMH's forked JVM; nothing is
 * downloaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Inference {

    static final int BATCH = 64;

    private NodeFeatureWindow[] windows;
    private ModelBundle autoencoder;
    private ModelBundle failure;
    private OnnxScorer ae;
    private OnnxScorer fp;
    private float[][] aeRows;
    private float[][] fpRows;
    private double[] share;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        // 20 nodes' windows filled with 16 minutes of their metric samples
        List<TelemetryEvent> all = SimulatedFleet.telemetry(20, 16 * 60);
        Map<String, NodeFeatureWindow> byNode = new HashMap<>();
        for (TelemetryEvent e : all) {
            if (e.getMetric() != null) {
                byNode.computeIfAbsent(e.getNode().getNodeId(), n -> new NodeFeatureWindow())
                        .add(
                                e.getEventTime().toEpochMilli(),
                                NodeFeatureWindow.values(e.getMetric()));
            }
        }
        windows = byNode.values().toArray(new NodeFeatureWindow[0]);
        autoencoder = ModelBundle.builtIn("node-autoencoder");
        failure = ModelBundle.builtIn("failure-predictor");
        ae = OnnxScorer.load(autoencoder, new float[1][NodeFeatures.SIZE]);
        fp = OnnxScorer.load(failure, new float[1][NodeFeatures.SIZE]);
        aeRows = new float[BATCH][autoencoder.metadata().features().size()];
        fpRows = new float[BATCH][failure.metadata().features().size()];
        share = new double[NodeFeatures.SIZE];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ae.close();
        fp.close();
    }

    /** {@value #BATCH} node vectors: features, normalisation, one call per model. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void scoreBatch64(Blackhole bh) {
        bh.consume(score(BATCH, aeRows, fpRows));
    }

    /** One node vector: features, normalisation, one call per model. */
    @Benchmark
    public void scoreOne(Blackhole bh) {
        float[][] a = new float[1][aeRows[0].length];
        float[][] f = new float[1][fpRows[0].length];
        bh.consume(score(1, a, f));
    }

    private double score(int n, float[][] a, float[][] f) {
        for (int k = 0; k < n; k++) {
            double[] features = windows[next++ % windows.length].features();
            autoencoder.input(features, a[k]);
            failure.input(features, f[k]);
        }
        float[][] reconstructed = ae.run(a);
        float[][] probability = fp.run(f);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Scores.reconstructionError(a[k], reconstructed[k], share) + probability[k][0];
        }
        return sum;
    }
}
