package dev.vigil.operators.threat.rules;

/** Rule severity and its weight in the risk score (the seed's weights). */
public enum Severity {
    BENIGN(0.0),
    SUSPICIOUS(0.3),
    MALICIOUS(0.7),
    CRITICAL(1.0);

    private final double weight;

    Severity(double weight) {
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }
}
