package dev.vigil.models;

/** How model outputs become the numbers on an {@code AnomalyScore}. */
public final class Scores {

    private Scores() {}

    /**
     * Mean squared reconstruction error of one row, with each feature's share of it written to
     * {@code share} (shares sum to 1, or are all 0 for a perfect reconstruction).
     */
    public static double reconstructionError(float[] input, float[] output, double[] share) {
        double sum = 0;
        for (int i = 0; i < input.length; i++) {
            double e = (double) input[i] - output[i];
            share[i] = e * e;
            sum += share[i];
        }
        for (int i = 0; i < input.length; i++) {
            share[i] = sum == 0 ? 0 : share[i] / sum;
        }
        return sum / input.length;
    }

    /**
     * Anomaly strength in [0, 1], 1 most anomalous: {@code score / (score + threshold)}. It is 0
     * for a perfect reconstruction, exactly 0.5 at the calibrated threshold and approaches 1 as the
     * error grows without bound, so risk scoring reads "half-way" as "as anomalous as the worst 0.1
     * % of normal behaviour". (The seed's isolation-forest term {@code 1 + score} rises as data
     * looks more normal and is not used.)
     */
    public static double strength(double score, double threshold) {
        if (!(score > 0)) {
            return 0.0;
        }
        return score / (score + Math.max(threshold, Double.MIN_NORMAL));
    }
}
