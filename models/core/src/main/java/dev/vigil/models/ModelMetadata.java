package dev.vigil.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What travels beside a model's ONNX file ({@code metadata.json}): identity, the features it reads
 * in order with their normalisation, the calibrated threshold and where it came from.
 *
 * @param name model name, e.g. {@code node-autoencoder}
 * @param version artifact version, e.g. {@code 1.0.0}
 * @param kind how the output is read
 * @param featureSpec feature set the names come from ({@link NodeFeatures#SPEC})
 * @param features feature names in input order
 * @param mean per-feature mean subtracted before scoring
 * @param scale per-feature scale divided by after subtracting the mean (never 0)
 * @param threshold score above which a node counts as anomalous (autoencoder), or the probability
 *     above which a failure is predicted (failure predictor)
 * @param horizonMinutes the failure predictor's horizon; 0 for other kinds
 * @param training how the model was trained: seed, data hash, sample counts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("kind") ModelKind kind,
        @JsonProperty("feature_spec") String featureSpec,
        @JsonProperty("features") List<String> features,
        @JsonProperty("mean") double[] mean,
        @JsonProperty("scale") double[] scale,
        @JsonProperty("threshold") double threshold,
        @JsonProperty("horizon_minutes") int horizonMinutes,
        @JsonProperty("training") Map<String, Object> training) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Parses metadata JSON; a malformed document is a {@link ModelRejectedException}. */
    public static ModelMetadata parse(String json) {
        try {
            return JSON.readValue(json, ModelMetadata.class);
        } catch (IOException e) {
            throw new ModelRejectedException("metadata is not valid JSON: " + e.getMessage());
        }
    }

    /** Pretty-printed JSON, stable for the same values. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same model under another version (republishing a model, tests). */
    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(
                name,
                newVersion,
                kind,
                featureSpec,
                features,
                mean,
                scale,
                threshold,
                horizonMinutes,
                training);
    }

    /** Width of the model's output for a batch row. */
    public int outputWidth() {
        return kind == ModelKind.AUTOENCODER ? features.size() : 1;
    }
}
