package dev.vigil.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.ModelBundle;
import dev.vigil.models.ModelMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrains both built-in models from scratch, exactly as {@code TrainModels} does for a release,
 * and requires the very bytes that are committed and shipped in vigil-model-core; also holds the
 * models to the quality the issue asks for, measured on a fleet from a seed training never saw.
 */
class CommittedModelsReproduceTest {

    @TempDir Path out;

    @Test
    void trainingReproducesTheShippedModelsByteForByte() throws Exception {
        List<ModelMetadata> trained = TrainModels.train(TrainModels.Plan.standard(), out, s -> {});
        for (ModelMetadata m : trained) {
            ModelBundle shipped = ModelBundle.builtIn(m.name());
            byte[] onnx = Files.readAllBytes(out.resolve(m.name()).resolve("model.onnx"));
            assertThat(ModelBundle.sha256(onnx)).as(m.name()).isEqualTo(shipped.sha256());
            assertThat(m.toJson()).isEqualTo(shipped.metadata().toJson());
        }

        ModelMetadata autoencoder = trained.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> aeEval = (Map<String, Object>) autoencoder.training().get("evaluation");
        // calibrated to the 0.1 % false-positive target on held-out normal data
        assertThat((Double) aeEval.get("holdout_false_positive_rate")).isLessThanOrEqualTo(0.001);

        @SuppressWarnings("unchecked")
        Map<String, Object> fpEval =
                (Map<String, Object>) trained.get(1).training().get("evaluation");
        // slow failures (memory, disk) are flagged minutes ahead at the false-positive target:
        // every memory leak and every disk filling (with StrictMath throughout the simulator,
        // the features and the trainer, so that any machine trains these bytes: Math's
        // intrinsics differ between CPUs, and a fresh machine trained other models);
        // overheating climbs within a minute and is left to the anomaly score (see evaluation.md)
        @SuppressWarnings("unchecked")
        Map<String, String> flagged =
                (Map<String, String>) fpEval.get("flagged_incidents_by_scenario");
        assertThat(flagged.get("memory_leak")).isEqualTo("12/12");
        assertThat(flagged.get("disk_filling")).isEqualTo("10/10");
        assertThat(((Number) fpEval.get("lead_time_seconds_median")).longValue())
                .isGreaterThan(120);
        assertThat((Double) fpEval.get("false_positive_rate")).isLessThanOrEqualTo(0.001);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> scenarios =
                (Map<String, Map<String, Object>>) aeEval.get("scenarios");
        assertThat((Double) scenarios.get("overheating").get("recall")).isEqualTo(1.0);
    }
}
