package dev.vigil.models;

/** What a model computes, and so how its output is read. */
public enum ModelKind {
    /**
     * Reconstructs its normalised input ({@code [n, features]} → {@code [n, features]}); the mean
     * squared reconstruction error is the anomaly score.
     */
    AUTOENCODER,

    /**
     * The probability that the node fails within the model's horizon ({@code [n, features]} →
     * {@code [n, 1]}).
     */
    FAILURE_PREDICTOR
}
