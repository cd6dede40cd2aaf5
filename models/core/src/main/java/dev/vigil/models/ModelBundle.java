package dev.vigil.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A model as it is shipped and published: the ONNX file and its {@link ModelMetadata}. {@link #of}
 * checks everything that can be checked without running the model; {@link OnnxScorer#load} and its
 * canary batch check the rest.
 */
public final class ModelBundle {

    /** Classpath folder of the models built into Vigil: {@code <folder>/<name>/model.onnx}. */
    public static final String BUILT_IN_FOLDER = "dev/vigil/models/";

    /** Names of the built-in models. */
    public static final List<String> BUILT_IN = List.of("node-autoencoder", "failure-predictor");

    private final ModelMetadata metadata;
    private final byte[] onnx;
    private final String sha256;
    private final int[] featureIndex;

    private ModelBundle(ModelMetadata metadata, byte[] onnx) {
        this.metadata = metadata;
        this.onnx = onnx;
        this.sha256 = sha256(onnx);
        this.featureIndex = new int[metadata.features().size()];
        for (int i = 0; i < featureIndex.length; i++) {
            featureIndex[i] = NodeFeatures.indexOf(metadata.features().get(i));
        }
    }

    /**
     * Checks and wraps a model.
     *
     * @param expectedSha256 hex SHA-256 the file must have, or null not to check
     * @throws ModelRejectedException naming what is wrong
     */
    public static ModelBundle of(byte[] onnx, String metadataJson, String expectedSha256) {
        if (onnx == null || onnx.length == 0) {
            throw new ModelRejectedException("artifact: the ONNX file is missing or empty");
        }
        if (metadataJson == null || metadataJson.isBlank()) {
            throw new ModelRejectedException("metadata_json: missing");
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256(onnx))) {
            throw new ModelRejectedException(
                    "artifact_sha256: the artifact hashes to "
                            + sha256(onnx)
                            + ", not "
                            + expectedSha256);
        }
        ModelMetadata m = ModelMetadata.parse(metadataJson);
        check(m);
        return new ModelBundle(m, onnx.clone());
    }

    /** Loads a built-in model from the classpath. */
    public static ModelBundle builtIn(String name) {
        String folder = BUILT_IN_FOLDER + name + "/";
        byte[] onnx = resource(folder + "model.onnx");
        byte[] json = resource(folder + "metadata.json");
        return of(onnx, new String(json, StandardCharsets.UTF_8), null);
    }

    private static byte[] resource(String path) {
        try (InputStream in = ModelBundle.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in model file missing: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(ModelMetadata m) {
        require(m.name() != null && !m.name().isBlank(), "name: missing");
        require(m.version() != null && !m.version().isBlank(), "version: missing");
        require(m.kind() != null, "kind: missing (AUTOENCODER or FAILURE_PREDICTOR)");
        require(
                NodeFeatures.SPEC.equals(m.featureSpec()),
                "feature_spec: '"
                        + m.featureSpec()
                        + "' is not the serving feature set '"
                        + NodeFeatures.SPEC
                        + "'");
        require(m.features() != null && !m.features().isEmpty(), "features: missing or empty");
        for (String f : m.features()) {
            require(NodeFeatures.indexOf(f) >= 0, "features: unknown feature '" + f + "'");
        }
        int n = m.features().size();
        require(
                m.mean() != null && m.mean().length == n,
                "mean: needs one value per feature (" + n + ")");
        require(
                m.scale() != null && m.scale().length == n,
                "scale: needs one value per feature (" + n + ")");
        for (int i = 0; i < n; i++) {
            require(Double.isFinite(m.mean()[i]), "mean[" + i + "]: not a finite number");
            require(
                    Double.isFinite(m.scale()[i]) && m.scale()[i] > 0,
                    "scale[" + i + "]: must be a positive finite number");
        }
        require(Double.isFinite(m.threshold()), "threshold: not a finite number");
        if (m.kind() == ModelKind.FAILURE_PREDICTOR) {
            require(m.horizonMinutes() > 0, "horizon_minutes: must be positive");
        }
    }

    private static void require(boolean ok, String reason) {
        if (!ok) {
            throw new ModelRejectedException(reason);
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public String name() {
        return metadata.name();
    }

    public String version() {
        return metadata.version();
    }

    /** The ONNX file (a copy). */
    public byte[] onnx() {
        return onnx.clone();
    }

    /** Hex SHA-256 of the ONNX file. */
    public String sha256() {
        return sha256;
    }

    /**
     * Writes row {@code row} of the model's input from a full {@link NodeFeatures} vector:
     * selected, normalised and clipped to ±{@value #CLIP}.
     */
    public void input(double[] nodeFeatures, float[] row) {
        double[] mean = metadata.mean();
        double[] scale = metadata.scale();
        for (int i = 0; i < featureIndex.length; i++) {
            double z = (nodeFeatures[featureIndex[i]] - mean[i]) / scale[i];
            row[i] = (float) Math.max(-CLIP, Math.min(CLIP, z));
        }
    }

    /** Normalised inputs are clipped to this magnitude so that one absurd reading stays finite. */
    public static final double CLIP = 50.0;

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return metadata.name() + " " + metadata.version() + " (" + sha256.substring(0, 12) + ")";
    }
}
