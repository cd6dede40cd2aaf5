package dev.vigil.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * One loaded ONNX model and its DJL {@link Predictor} on the OnnxRuntime engine. Not thread-safe: a
 * Flink subtask creates its own in {@code open()} and calls it from the task thread only. Runs a
 * whole batch of rows in one native call.
 */
public final class OnnxScorer implements AutoCloseable {

    /** DJL engine name of ONNX Runtime. */
    public static final String ENGINE = "OnnxRuntime";

    private final ModelBundle bundle;
    private final Model model;
    private final Predictor<float[][], float[][]> predictor;

    private OnnxScorer(ModelBundle bundle, Model model) {
        this.bundle = bundle;
        this.model = model;
        this.predictor =
                model.newPredictor(new RowsTranslator(bundle.metadata().features().size()));
    }

    /**
     * Loads {@code bundle} into ONNX Runtime with one intra-op and one inter-op thread (a task slot
     * must not take more than its core) and checks it on a canary batch.
     *
     * @param canary rows to run once before the scorer is handed out; must not be empty
     * @throws ModelRejectedException when the file does not load or the canary output is wrong
     */
    public static OnnxScorer load(ModelBundle bundle, float[][] canary) {
        DjlOffline.configure();
        Model model = Model.newInstance(bundle.name(), Device.cpu(), ENGINE);
        try {
            model.load(
                    new ByteArrayInputStream(bundle.onnx()),
                    Map.of("interOpNumThreads", "1", "intraOpNumThreads", "1"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelRejectedException(
                    "artifact: ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        OnnxScorer scorer = new OnnxScorer(bundle, model);
        try {
            scorer.run(canary);
        } catch (RuntimeException e) {
            scorer.close();
            throw e instanceof ModelRejectedException
                    ? e
                    : new ModelRejectedException("canary batch failed: " + e.getMessage(), e);
        }
        return scorer;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /**
     * Runs the model on {@code rows} (each as long as the model's feature list).
     *
     * @return one output row per input row, {@link ModelMetadata#outputWidth()} wide
     * @throws ModelRejectedException when the output has the wrong shape or is not finite
     */
    public float[][] run(float[][] rows) {
        if (rows.length == 0) {
            return new float[0][];
        }
        float[][] out;
        try {
            out = predictor.predict(rows);
        } catch (TranslateException e) {
            throw new ModelRejectedException("inference failed: " + e.getMessage(), e);
        }
        int width = bundle.metadata().outputWidth();
        if (out.length != rows.length || out[0].length != width) {
            throw new ModelRejectedException(
                    "output shape: expected ["
                            + rows.length
                            + ", "
                            + width
                            + "] for a "
                            + bundle.metadata().kind()
                            + ", got ["
                            + out.length
                            + ", "
                            + (out.length == 0 ? 0 : out[0].length)
                            + "]");
        }
        for (float[] row : out) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new ModelRejectedException("output: not a finite number");
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** Rows of floats in, rows of floats out; batching is done by the caller. */
    private static final class RowsTranslator implements Translator<float[][], float[][]> {
        private final int width;

        RowsTranslator(int width) {
            this.width = width;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, float[][] rows) {
            float[] flat = new float[rows.length * width];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r].length != width) {
                    throw new IllegalArgumentException(
                            "row " + r + " has " + rows[r].length + " values, not " + width);
                }
                System.arraycopy(rows[r], 0, flat, r * width, width);
            }
            NDArray input = ctx.getNDManager().create(flat, new Shape(rows.length, width));
            return new NDList(input);
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray output = list.get(0);
            Shape shape = output.getShape();
            int n = (int) shape.get(0);
            int w = shape.dimension() == 1 ? 1 : (int) (shape.size() / Math.max(1, n));
            if (shape.dimension() > 2) {
                w = -1; // reported as a wrong shape below
            }
            float[] flat = output.toFloatArray();
            float[][] rows = new float[n][Math.max(0, w)];
            if (w > 0) {
                for (int r = 0; r < n; r++) {
                    System.arraycopy(flat, r * w, rows[r], 0, w);
                }
            }
            return rows;
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }
}
