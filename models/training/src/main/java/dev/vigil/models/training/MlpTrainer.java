package dev.vigil.models.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.vigil.models.DjlOffline;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a small fully connected network (Linear + ReLU layers, a linear last layer) with DJL on
 * the PyTorch engine, offline and deterministically: one CPU thread, the engine's random seed
 * fixed, and batches shuffled by a seeded generator. Returns the trained weights for {@link
 * OnnxWriter}.
 */
public final class MlpTrainer {

    /** Weights of one linear layer: {@code weight} is {@code [out, in]} row-major. */
    public record Layer(int in, int out, float[] weight, float[] bias) {}

    /** What the network learns to minimise. */
    public enum Objective {
        /** Mean squared error against the target rows (autoencoder: target = input). */
        SQUARED_ERROR,
        /** Binary cross-entropy on the logit of a 0/1 target (one output). */
        BINARY_CROSS_ENTROPY
    }

    private final long seed;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;

    public MlpTrainer(long seed, int epochs, int batchSize, float learningRate) {
        this.seed = seed;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    /** Must run before the PyTorch engine loads: one thread, offline. */
    public static void configureEngine() {
        DjlOffline.configure();
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Trains a network with layer widths {@code widths} (input first, output last).
     *
     * @param inputs rows of normalised features
     * @param targets rows of targets, as wide as the last layer
     * @return the layers, input side first
     */
    public List<Layer> train(
            int[] widths, Objective objective, float[][] inputs, float[][] targets) {
        configureEngine();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        SequentialBlock net = new SequentialBlock();
        for (int i = 1; i < widths.length; i++) {
            net.add(Linear.builder().setUnits(widths[i]).build());
            if (i < widths.length - 1) {
                net.add(Activation.reluBlock());
            }
        }
        Loss loss =
                objective == Objective.SQUARED_ERROR
                        ? Loss.l2Loss()
                        : Loss.sigmoidBinaryCrossEntropyLoss();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optDevices(new Device[] {Device.cpu()})
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(learningRate))
                                        .build());
        int in = widths[0];
        int out = widths[widths.length - 1];
        try (Model model = Model.newInstance("vigil-mlp", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, in));
                int[] order = new int[inputs.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                SplittableRandom random = new SplittableRandom(seed);
                NDManager manager = trainer.getManager();
                for (int epoch = 0; epoch < epochs; epoch++) {
                    shuffle(order, random);
                    for (int from = 0; from < order.length; from += batchSize) {
                        int n = Math.min(batchSize, order.length - from);
                        float[] x = new float[n * in];
                        float[] y = new float[n * out];
                        for (int r = 0; r < n; r++) {
                            System.arraycopy(inputs[order[from + r]], 0, x, r * in, in);
                            System.arraycopy(targets[order[from + r]], 0, y, r * out, out);
                        }
                        try (NDManager batch = manager.newSubManager()) {
                            NDArray xs = batch.create(x, new Shape(n, in));
                            NDArray ys = batch.create(y, new Shape(n, out));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDList predicted = trainer.forward(new NDList(xs));
                                NDArray l = trainer.getLoss().evaluate(new NDList(ys), predicted);
                                collector.backward(l);
                            }
                            trainer.step();
                        }
                    }
                }
                return weights(net);
            }
        }
    }

    private static List<Layer> weights(SequentialBlock net) {
        List<Layer> layers = new ArrayList<>();
        for (Block block : net.getChildren().values()) {
            if (block instanceof Linear linear) {
                NDArray w = linear.getParameters().get("weight").getArray();
                NDArray b = linear.getParameters().get("bias").getArray();
                Shape shape = w.getShape();
                layers.add(
                        new Layer(
                                (int) shape.get(1),
                                (int) shape.get(0),
                                w.toFloatArray(),
                                b.toFloatArray()));
            }
        }
        return layers;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Runs the trained layers in plain Java (for evaluation; ONNX Runtime serves). */
    public static float[] forward(List<Layer> layers, float[] input, boolean sigmoid) {
        float[] x = input;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            float[] y = new float[layer.out()];
            for (int o = 0; o < layer.out(); o++) {
                double s = layer.bias()[o];
                for (int i = 0; i < layer.in(); i++) {
                    s += (double) layer.weight()[o * layer.in() + i] * x[i];
                }
                y[o] = (float) (l < layers.size() - 1 ? Math.max(0, s) : s);
            }
            x = y;
        }
        if (sigmoid) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (1.0 / (1.0 + StrictMath.exp(-x[i])));
            }
        }
        return x;
    }
}
