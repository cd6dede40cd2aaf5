package dev.vigil.bench;

import dev.vigil.models.ModelBundle;
import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.models.NodeFeatures;
import dev.vigil.models.OnnxScorer;
import dev.vigil.models.Scores;
import dev.vigil.schema.MetricSample;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node inference hot path, in one JVM on one thread: feature-window updates per metric sample, and
 * scoring with both built-in ONNX models (DJL, OnnxRuntime, one intra-op thread) at several batch
 * sizes. The baseline is batch size 1 — one native call per vector per model — measured in the same
 * run; every figure is the median of five timed passes after two warm-up passes.
 *
 * <p>Usage: {@code bench/run-inference.sh [--nodes 200] [--minutes 20]}.
 */
public final class InferenceBenchmark {

    private InferenceBenchmark() {}

    public static void main(String[] args) {
        int nodes = 200;
        int minutes = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--minutes" -> minutes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<double[]> samples = new ArrayList<>();
        List<String> sampleNodes = new ArrayList<>();
        List<Long> sampleTimes = new ArrayList<>();
        SimulatedFleet.run(
                nodes,
                minutes * 60,
                event -> {
                    MetricSample m = event.getMetric();
                    if (m != null) {
                        sampleNodes.add(event.getNode().getNodeId());
                        sampleTimes.add(event.getEventTime().toEpochMilli());
                        samples.add(NodeFeatureWindow.values(m));
                    }
                },
                grid -> {});

        // feature windows: add every sample, compute a vector every 5 s per node
        List<double[]> vectors = new ArrayList<>();
        long[] windowNanos = new long[5];
        for (int pass = -2; pass < windowNanos.length; pass++) {
            Map<String, NodeFeatureWindow> windows = new HashMap<>();
            Map<String, Long> last = new HashMap<>();
            List<double[]> made = new ArrayList<>();
            long start = cpuNanos();
            for (int i = 0; i < samples.size(); i++) {
                String node = sampleNodes.get(i);
                long t = sampleTimes.get(i);
                NodeFeatureWindow w = windows.computeIfAbsent(node, n -> new NodeFeatureWindow());
                w.add(t, samples.get(i));
                Long l = last.get(node);
                if (l == null || t - l >= 5000) {
                    last.put(node, t);
                    made.add(w.features());
                }
            }
            if (pass >= 0) {
                windowNanos[pass] = cpuNanos() - start;
            } else {
                vectors = made;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%,d metric samples of %d nodes over %d minutes; %,d feature vectors (one per node"
                        + " per 5 s)%n%n",
                samples.size(),
                nodes,
                minutes,
                vectors.size());
        System.out.printf(
                Locale.ROOT,
                "feature windows: %,.0f samples/s per core (add + a vector every 5 s)%n%n",
                samples.size() / (median(windowNanos) / 1e9));

        ModelBundle autoencoder = ModelBundle.builtIn("node-autoencoder");
        ModelBundle failure = ModelBundle.builtIn("failure-predictor");
        float[][] aeRows = rows(autoencoder, vectors);
        float[][] fpRows = rows(failure, vectors);
        try (OnnxScorer ae = OnnxScorer.load(autoencoder, new float[1][NodeFeatures.SIZE]);
                OnnxScorer fp = OnnxScorer.load(failure, new float[1][NodeFeatures.SIZE])) {
            System.out.println(
                    "| batch size | vectors/s per core | µs per vector | vs. batch size 1 |");
            System.out.println("|---|---|---|---|");
            double baseline = 0;
            for (int batch : new int[] {1, 8, 64, 256}) {
                long[] nanos = new long[5];
                for (int pass = -2; pass < nanos.length; pass++) {
                    long start = cpuNanos();
                    double sink = 0;
                    double[] share = new double[NodeFeatures.SIZE];
                    for (int from = 0; from < aeRows.length; from += batch) {
                        int to = Math.min(aeRows.length, from + batch);
                        float[][] a = Arrays.copyOfRange(aeRows, from, to);
                        float[][] r = ae.run(a);
                        float[][] p = fp.run(Arrays.copyOfRange(fpRows, from, to));
                        for (int k = 0; k < a.length; k++) {
                            sink += Scores.reconstructionError(a[k], r[k], share) + p[k][0];
                        }
                    }
                    if (pass >= 0) {
                        nanos[pass] = cpuNanos() - start;
                    }
                    if (sink == 42) {
                        System.out.print("");
                    }
                }
                double perSecond = aeRows.length / (median(nanos) / 1e9);
                if (batch == 1) {
                    baseline = perSecond;
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %,.0f | %.1f | %.1fx |%n",
                        batch,
                        perSecond,
                        1e6 / perSecond,
                        perSecond / baseline);
            }
        }
    }

    private static float[][] rows(ModelBundle bundle, List<double[]> vectors) {
        float[][] rows = new float[vectors.size()][bundle.metadata().features().size()];
        for (int i = 0; i < rows.length; i++) {
            bundle.input(vectors.get(i), rows[i]);
        }
        return rows;
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
