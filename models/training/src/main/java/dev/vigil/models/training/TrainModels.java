package dev.vigil.models.training;

import dev.vigil.models.FailureCondition;
import dev.vigil.models.ModelKind;
import dev.vigil.models.ModelMetadata;
import dev.vigil.models.NodeFeatures;
import dev.vigil.models.Scores;
import dev.vigil.simulator.fleet.FleetSpec;
import dev.vigil.simulator.scenario.ScenarioType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Trains Vigil's two built-in models from simulator data and writes, per model, {@code model.onnx},
 * {@code metadata.json} and {@code evaluation.md} into {@code <out>/<model name>/}. Every input is
 * fixed (fleet shapes, seeds, start times, epochs), so the same code writes the same bytes.
 *
 * <ul>
 *   <li>{@code node-autoencoder}: trained to reconstruct normal behaviour (no injections); the
 *       threshold is the 99.9th percentile of the score on held-out normal data from another seed
 *       (the seed's false-positive target of 0.1 %).
 *   <li>{@code failure-predictor}: the probability that the node fails ({@link FailureCondition})
 *       within {@value #HORIZON_MINUTES} minutes, trained on a fleet with every scenario and near
 *       miss injected; evaluated on a fleet from yet another seed.
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl models/training -am install -DskipTests && mvn -q -pl models/training
 * exec:java} (see models/README.md).
 */
public final class TrainModels {

    public static final String VERSION = "1.0.0";
    public static final int HORIZON_MINUTES = 10;
    static final long INTERVAL_MILLIS = 5_000L;
    static final long WARM_UP_MILLIS = 15 * 60_000L;
    static final double FALSE_POSITIVE_TARGET = 0.001;
    static final double FAILURE_TRIGGER = 0.8;

    /** The datasets, each from its own seed and day. */
    record Plan(
            FleetSpec normalTrain,
            FleetSpec normalHoldout,
            FleetSpec labelledTrain,
            FleetSpec labelledTest,
            FleetSpec labelledCalibration,
            long normalHours,
            long holdoutHours,
            long labelledTrainHours,
            long testHours,
            double scenariosPerHour,
            int epochs) {

        static Plan standard() {
            // training fleets cover whole days (load follows the working day); the test fleet is
            // another seed and size, on another day
            return new Plan(
                    new FleetSpec(1, 2, 2, 5, 0, 101),
                    new FleetSpec(1, 2, 2, 5, 0, 202),
                    new FleetSpec(1, 2, 2, 5, 0, 303),
                    new FleetSpec(1, 2, 2, 10, 0, 404),
                    new FleetSpec(1, 2, 2, 5, 0, 505),
                    24,
                    24,
                    24,
                    6,
                    2.0,
                    12);
        }
    }

    private TrainModels() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/models");
        train(Plan.standard(), out, System.out::println);
    }

    /** Trains both models into {@code out}; returns the metadata written. */
    static List<ModelMetadata> train(Plan plan, Path out, java.util.function.Consumer<String> log)
            throws IOException {
        Set<ScenarioType> all = EnumSet.copyOf(ScenarioType.standard());
        double rate = plan.scenariosPerHour();
        log.accept("simulating training and evaluation fleets ...");
        FleetDataset normal = simulate(plan.normalTrain(), Set.of(), 0, 0, 0, plan.normalHours());
        FleetDataset holdout =
                simulate(plan.normalHoldout(), Set.of(), 0, 1, 0, plan.holdoutHours());
        FleetDataset labelled =
                simulate(plan.labelledTrain(), all, rate, 2, 0, plan.labelledTrainHours());
        FleetDataset test = simulate(plan.labelledTest(), all, rate, 3, 6, plan.testHours());
        FleetDataset calibration =
                simulate(plan.labelledCalibration(), all, rate, 4, 12, plan.holdoutHours());
        log.accept(
                String.format(
                        Locale.ROOT,
                        "samples: normal %d, holdout %d, labelled %d, test %d (onsets %d / %d)",
                        normal.samples().size(),
                        holdout.samples().size(),
                        labelled.samples().size(),
                        test.samples().size(),
                        labelled.onsets().size(),
                        test.onsets().size()));

        double[][] stats = normalisation(normal);
        MlpTrainer trainer = new MlpTrainer(42, plan.epochs(), 256, 1e-3f);
        List<ModelMetadata> written = new ArrayList<>();
        written.add(trainAutoencoder(trainer, normal, holdout, test, stats, out, log));
        written.add(
                trainFailurePredictor(
                        trainer, labelled, calibration, test, stats, normal, out, log));
        return written;
    }

    /**
     * One fleet's dataset: {@code days} and {@code hour} after 2026-01-05T00:00Z, for {@code
     * hours}, sampled every {@link #INTERVAL_MILLIS} after the {@link #WARM_UP_MILLIS}.
     */
    private static FleetDataset simulate(
            FleetSpec fleet,
            Set<ScenarioType> scenarios,
            double perHour,
            int days,
            int hour,
            long hours) {
        long start =
                Instant.parse("2026-01-05T00:00:00Z").toEpochMilli()
                        + days * 86_400_000L
                        + hour * 3_600_000L;
        return FleetDataset.simulate(
                fleet,
                scenarios,
                perHour,
                start,
                hours * 3_600_000L,
                INTERVAL_MILLIS,
                WARM_UP_MILLIS);
    }

    private static ModelMetadata trainAutoencoder(
            MlpTrainer trainer,
            FleetDataset normal,
            FleetDataset holdout,
            FleetDataset test,
            double[][] stats,
            Path out,
            java.util.function.Consumer<String> log)
            throws IOException {
        int d = NodeFeatures.SIZE;
        float[][] x = inputs(normal.samples(), stats);
        log.accept("training node-autoencoder on " + x.length + " normal samples ...");
        List<MlpTrainer.Layer> layers =
                trainer.train(
                        new int[] {d, 32, 8, 32, d}, MlpTrainer.Objective.SQUARED_ERROR, x, x);
        double[] holdoutScores = aeScores(layers, inputs(holdout.samples(), stats));
        double threshold = Metrics.quantile(holdoutScores, 1 - FALSE_POSITIVE_TARGET);
        double[] testScores = aeScores(layers, inputs(test.samples(), stats));

        Map<String, Object> evaluation = new LinkedHashMap<>();
        long holdoutAbove = Arrays.stream(holdoutScores).filter(s -> s > threshold).count();
        evaluation.put(
                "holdout_false_positive_rate", round(holdoutAbove / (double) holdoutScores.length));
        List<FleetDataset.Sample> ts = test.samples();
        long normalCount = 0;
        long normalAbove = 0;
        long anomalous = 0;
        long explained = 0;
        for (int i = 0; i < ts.size(); i++) {
            FleetDataset.Sample s = ts.get(i);
            if (s.quiet()) {
                normalCount++;
                normalAbove += testScores[i] > threshold ? 1 : 0;
            }
            if (testScores[i] > threshold) {
                anomalous++;
                boolean real =
                        s.attacked()
                                || s.failsWithin(HORIZON_MINUTES * 60_000L)
                                || s.recovering(FleetDataset.AFTERMATH_MILLIS);
                explained += real ? 1 : 0;
            }
        }
        evaluation.put("test_false_positive_rate", round(normalAbove / (double) normalCount));
        evaluation.put(
                "precision", round(anomalous == 0 ? Double.NaN : explained / (double) anomalous));
        Map<String, Object> perScenario = new TreeMap<>();
        for (String scenario : scenarios(ts)) {
            perScenario.put(scenario, scenarioQuality(ts, testScores, threshold, scenario));
        }
        evaluation.put("scenarios", perScenario);

        ModelMetadata metadata =
                new ModelMetadata(
                        "node-autoencoder",
                        VERSION,
                        ModelKind.AUTOENCODER,
                        NodeFeatures.SPEC,
                        NodeFeatures.NAMES,
                        stats[0],
                        stats[1],
                        threshold,
                        0,
                        training(
                                normal,
                                "normal behaviour, 20 nodes over a whole day, seed 101",
                                x.length,
                                evaluation));
        write(out, metadata, OnnxWriter.write("node-autoencoder", VERSION, layers, false));
        writeReport(out, metadata, evaluation, holdout.samples().size(), ts.size());
        log.accept("node-autoencoder: threshold " + threshold + ", " + evaluation);
        return metadata;
    }

    private static ModelMetadata trainFailurePredictor(
            MlpTrainer trainer,
            FleetDataset labelled,
            FleetDataset calibration,
            FleetDataset test,
            double[][] stats,
            FleetDataset normal,
            Path out,
            java.util.function.Consumer<String> log)
            throws IOException {
        long horizon = HORIZON_MINUTES * 60_000L;
        // no resampling: the predictor's probabilities stay calibrated to how rare failures are,
        // so the seed's 0.8 trigger means what it says
        List<FleetDataset.Sample> train = labelled.samples();
        long positives = train.stream().filter(s -> s.failsWithin(horizon)).count();
        float[][] x = inputs(train, stats);
        float[][] y = new float[train.size()][1];
        for (int i = 0; i < train.size(); i++) {
            y[i][0] = train.get(i).failsWithin(horizon) ? 1f : 0f;
        }
        log.accept(
                "training failure-predictor on "
                        + x.length
                        + " samples ("
                        + positives
                        + " positive) ...");
        int d = NodeFeatures.SIZE;
        List<MlpTrainer.Layer> layers =
                trainer.train(
                        new int[] {d, 64, 32, 1}, MlpTrainer.Objective.BINARY_CROSS_ENTROPY, x, y);
        double shift = calibrate(layers, calibration, stats, horizon);
        log.accept("failure-predictor: logit shift " + shift + " puts the trigger at the target");

        List<FleetDataset.Sample> ts = test.samples();
        float[][] tx = inputs(ts, stats);
        double[] p = new double[ts.size()];
        boolean[] positive = new boolean[ts.size()];
        long negatives = 0;
        long falsePositives = 0;
        Map<String, Integer> falseAlarms = new TreeMap<>();
        long early = 0;
        long earlyAlarms = 0;
        long flagged = 0;
        long truePositives = 0;
        for (int i = 0; i < ts.size(); i++) {
            p[i] = MlpTrainer.forward(layers, tx[i], true)[0];
            positive[i] = ts.get(i).failsWithin(horizon);
            if (p[i] > FAILURE_TRIGGER) {
                flagged++;
                truePositives += positive[i] ? 1 : 0;
            }
            if (!positive[i] && ts.get(i).failsWithin(2 * horizon)) {
                early++;
                earlyAlarms += p[i] > FAILURE_TRIGGER ? 1 : 0;
            }
            // a false alarm: the node neither fails within twice the horizon nor just failed
            if (!ts.get(i).failsWithin(2 * horizon)
                    && !ts.get(i).recovering(FleetDataset.AFTERMATH_MILLIS)) {
                negatives++;
                if (p[i] > FAILURE_TRIGGER) {
                    falsePositives++;
                    String context = ts.get(i).context();
                    falseAlarms.merge(context == null ? "quiet" : context, 1, Integer::sum);
                }
            }
        }
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("roc_auc", round(Metrics.rocAuc(p, positive)));
        evaluation.put("precision_at_trigger", round(truePositives / (double) flagged));
        evaluation.put("false_positive_rate", round(falsePositives / (double) negatives));
        evaluation.put("early_alarm_rate", round(early == 0 ? 0 : earlyAlarms / (double) early));
        evaluation.putAll(incidentRecall(test, ts, p, horizon));
        evaluation.put("false_alarms_by_context", falseAlarms);

        ModelMetadata metadata =
                new ModelMetadata(
                        "failure-predictor",
                        VERSION,
                        ModelKind.FAILURE_PREDICTOR,
                        NodeFeatures.SPEC,
                        NodeFeatures.NAMES,
                        stats[0],
                        stats[1],
                        FAILURE_TRIGGER,
                        HORIZON_MINUTES,
                        training(
                                labelled,
                                "every scenario and near miss, 20 nodes over a whole day, seed 303;"
                                        + " normalisation from seed 101 ("
                                        + normal.sha256().substring(0, 16)
                                        + ")",
                                x.length,
                                evaluation));
        write(out, metadata, OnnxWriter.write("failure-predictor", VERSION, layers, true));
        writeReport(out, metadata, evaluation, 0, ts.size());
        log.accept("failure-predictor: " + evaluation);
        return metadata;
    }

    /**
     * Moves the trigger to the false-positive target: on a held-out labelled fleet, finds the logit
     * above which {@value #FALSE_POSITIVE_TARGET} of the healthy samples (no failure within twice
     * the horizon, not just failed) lie, and shifts the last layer's bias so that this logit
     * becomes the seed's trigger probability of {@value #FAILURE_TRIGGER}. Monotone: the ranking,
     * and so the ROC-AUC, do not change.
     *
     * @return the shift added to the output logit
     */
    static double calibrate(
            List<MlpTrainer.Layer> layers,
            FleetDataset calibration,
            double[][] stats,
            long horizon) {
        List<FleetDataset.Sample> samples = calibration.samples();
        float[][] x = inputs(samples, stats);
        List<Double> healthy = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            FleetDataset.Sample s = samples.get(i);
            if (!s.failsWithin(2 * horizon) && !s.recovering(FleetDataset.AFTERMATH_MILLIS)) {
                healthy.add((double) MlpTrainer.forward(layers, x[i], false)[0]);
            }
        }
        double[] logits = healthy.stream().mapToDouble(Double::doubleValue).toArray();
        double at = Metrics.quantile(logits, 1 - FALSE_POSITIVE_TARGET);
        double trigger = StrictMath.log(FAILURE_TRIGGER / (1 - FAILURE_TRIGGER));
        float shift = (float) (trigger - at);
        MlpTrainer.Layer last = layers.get(layers.size() - 1);
        last.bias()[0] += shift;
        return shift;
    }

    /** Incidents = failure onsets of the test fleet: flagged before they happen, and how early. */
    static Map<String, Object> incidentRecall(
            FleetDataset test, List<FleetDataset.Sample> ts, double[] p, long horizon) {
        int incidents = 0;
        int caught = 0;
        List<Long> leads = new ArrayList<>();
        Map<String, String> byScenario = new TreeMap<>();
        for (FleetDataset.Onset onset : test.onsets()) {
            incidents++;
            String scenario = "unlabelled";
            for (FleetDataset.Sample s : ts) {
                if (s.nodeId().equals(onset.nodeId())
                        && Math.abs(s.time() - onset.time()) <= 5_000
                        && s.context() != null) {
                    scenario = s.context();
                }
            }
            long first = Long.MAX_VALUE;
            for (int i = 0; i < ts.size(); i++) {
                FleetDataset.Sample s = ts.get(i);
                if (s.nodeId().equals(onset.nodeId())
                        && s.time() < onset.time()
                        && s.time() >= onset.time() - horizon
                        && p[i] > FAILURE_TRIGGER) {
                    first = Math.min(first, s.time());
                }
            }
            if (first != Long.MAX_VALUE) {
                caught++;
                leads.add(onset.time() - first);
            }
            String[] counts = byScenario.getOrDefault(scenario, "0/0").split("/");
            byScenario.put(
                    scenario,
                    (Integer.parseInt(counts[0]) + (first != Long.MAX_VALUE ? 1 : 0))
                            + "/"
                            + (Integer.parseInt(counts[1]) + 1));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("incidents", incidents);
        r.put("incidents_flagged_before_failure", caught);
        r.put("incident_recall", round(incidents == 0 ? Double.NaN : caught / (double) incidents));
        leads.sort(Long::compare);
        r.put("lead_time_seconds_min", leads.isEmpty() ? 0 : leads.get(0) / 1000);
        r.put("lead_time_seconds_median", leads.isEmpty() ? 0 : leads.get(leads.size() / 2) / 1000);
        r.put("flagged_incidents_by_scenario", byScenario);
        return r;
    }

    private static Map<String, Object> scenarioQuality(
            List<FleetDataset.Sample> ts, double[] scores, double threshold, String scenario) {
        Map<String, Boolean> incidentCaught = new TreeMap<>();
        int n = 0;
        List<Double> s = new ArrayList<>();
        List<Boolean> pos = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            FleetDataset.Sample sample = ts.get(i);
            boolean inScenario = scenario.equals(sample.scenario());
            if (inScenario) {
                incidentCaught.merge(sample.incident(), scores[i] > threshold, Boolean::logicalOr);
            }
            if (inScenario || sample.quiet()) {
                s.add(scores[i]);
                pos.add(inScenario);
                n++;
            }
        }
        double[] sa = new double[n];
        boolean[] pa = new boolean[n];
        for (int i = 0; i < n; i++) {
            sa[i] = s.get(i);
            pa[i] = pos.get(i);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        long caught = incidentCaught.values().stream().filter(b -> b).count();
        r.put("incidents", incidentCaught.size());
        r.put("recall", round(caught / (double) incidentCaught.size()));
        r.put("roc_auc", round(Metrics.rocAuc(sa, pa)));
        return r;
    }

    private static List<String> scenarios(List<FleetDataset.Sample> samples) {
        return samples.stream()
                .map(FleetDataset.Sample::scenario)
                .filter(s -> s != null)
                .distinct()
                .sorted()
                .toList();
    }

    private static double[] aeScores(List<MlpTrainer.Layer> layers, float[][] x) {
        double[] scores = new double[x.length];
        double[] share = new double[x[0].length];
        for (int i = 0; i < x.length; i++) {
            scores[i] =
                    Scores.reconstructionError(
                            x[i], MlpTrainer.forward(layers, x[i], false), share);
        }
        return scores;
    }

    /** Per-feature mean and scale (standard deviation, at least 0.01) of normal behaviour. */
    static double[][] normalisation(FleetDataset normal) {
        int d = NodeFeatures.SIZE;
        double[] mean = new double[d];
        double[] sq = new double[d];
        List<FleetDataset.Sample> samples = normal.samples();
        for (FleetDataset.Sample s : samples) {
            for (int i = 0; i < d; i++) {
                mean[i] += s.features()[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= samples.size();
        }
        for (FleetDataset.Sample s : samples) {
            for (int i = 0; i < d; i++) {
                double e = s.features()[i] - mean[i];
                sq[i] += e * e;
            }
        }
        double[] scale = new double[d];
        for (int i = 0; i < d; i++) {
            scale[i] = round(Math.max(0.01, Math.sqrt(sq[i] / samples.size())));
            mean[i] = round(mean[i]);
        }
        return new double[][] {mean, scale};
    }

    private static float[][] inputs(List<FleetDataset.Sample> samples, double[][] stats) {
        float[][] x = new float[samples.size()][NodeFeatures.SIZE];
        for (int r = 0; r < x.length; r++) {
            double[] f = samples.get(r).features();
            for (int i = 0; i < NodeFeatures.SIZE; i++) {
                double z = (f[i] - stats[0][i]) / stats[1][i];
                x[r][i] = (float) Math.max(-50, Math.min(50, z));
            }
        }
        return x;
    }

    private static Map<String, Object> training(
            FleetDataset data, String description, int rows, Map<String, Object> evaluation) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("data", description);
        t.put("data_sha256", data.sha256());
        t.put("rows", rows);
        t.put("sample_interval_seconds", INTERVAL_MILLIS / 1000);
        t.put("seed", 42);
        t.put("engine", "DJL 0.35.1 PyTorch 2.7.1 (CPU, 1 thread)");
        t.put("evaluation", evaluation);
        return t;
    }

    private static void write(Path out, ModelMetadata metadata, byte[] onnx) throws IOException {
        Path dir = out.resolve(metadata.name());
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), onnx);
        Files.writeString(dir.resolve("metadata.json"), metadata.toJson(), StandardCharsets.UTF_8);
    }

    private static void writeReport(
            Path out,
            ModelMetadata metadata,
            Map<String, Object> evaluation,
            int holdoutSamples,
            int testSamples)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ")
                .append(metadata.name())
                .append(' ')
                .append(metadata.version())
                .append("\n\n");
        md.append("Written by `dev.vigil.models.training.TrainModels`; do not edit.\n\n");
        md.append("- kind: ").append(metadata.kind()).append('\n');
        md.append("- features: ")
                .append(metadata.features().size())
                .append(" of ")
                .append(metadata.featureSpec())
                .append('\n');
        md.append("- threshold: ").append(metadata.threshold()).append('\n');
        if (metadata.horizonMinutes() > 0) {
            md.append("- horizon: ").append(metadata.horizonMinutes()).append(" minutes\n");
        }
        md.append("- training data: ").append(metadata.training().get("data")).append('\n');
        md.append("- training data SHA-256: ")
                .append(metadata.training().get("data_sha256"))
                .append('\n');
        if (holdoutSamples > 0) {
            md.append("- calibration: 99.9th percentile of ")
                    .append(holdoutSamples)
                    .append(" held-out normal samples (seed 202)\n");
        }
        md.append("- evaluation: ")
                .append(testSamples)
                .append(" samples of a 40-node fleet with every scenario (seed 404)\n\n");
        md.append("| measure | value |\n|---|---|\n");
        for (Map.Entry<String, Object> e : evaluation.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                for (Map.Entry<?, ?> n : nested.entrySet()) {
                    md.append("| ")
                            .append(e.getKey())
                            .append(": ")
                            .append(n.getKey())
                            .append(" | ")
                            .append(n.getValue())
                            .append(" |\n");
                }
            } else {
                md.append("| ")
                        .append(e.getKey())
                        .append(" | ")
                        .append(e.getValue())
                        .append(" |\n");
            }
        }
        md.append('\n').append(LEGEND);
        Files.writeString(
                out.resolve(metadata.name()).resolve("evaluation.md"),
                md.toString(),
                StandardCharsets.UTF_8);
    }

    private static final String LEGEND =
            """
            Definitions. A sample is one score of one node (every 5 s of event time). A node \
            *fails* when its telemetry shows memory or disk at 97 % or more or temperature at \
            38 °C or more; an *incident* is a failure onset at least 10 minutes after the node's \
            previous failed sample. *Flagged before failure*: a failure probability above 0.8 in \
            the 10 minutes before the onset. *false_positive_rate* (predictor): alarms among \
            samples of nodes that neither fail within 20 minutes nor failed in the last 16; \
            *early_alarm_rate*: alarms 10 to 20 minutes before a failure. \
            *test_false_positive_rate* (autoencoder): anomalous scores among quiet samples (no \
            injection, attack or near miss, on the node from its start until 16 minutes after \
            its end); *precision* (autoencoder): anomalous scores that fall in an attack or \
            around a failure, among all anomalous scores (near misses count against it). \
            Per-scenario *recall*: the share of injections with at least one anomalous score on \
            the target node while the injection ran; *roc_auc*: the scenario's samples against \
            quiet ones.
            """;

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1e6) / 1e6;
    }
}
