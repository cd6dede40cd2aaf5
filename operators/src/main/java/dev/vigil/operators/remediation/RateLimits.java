package dev.vigil.operators.remediation;

import java.io.Serializable;

/**
 * Token-bucket limits in event time: per target, per action (fleet-wide) and a global budget; each
 * allows {@code capacity} commands per {@code periodMillis}, in bursts up to the capacity.
 */
public record RateLimits(int perTarget, int perAction, int global, long periodMillis)
        implements Serializable {

    public static RateLimits defaults() {
        return new RateLimits(5, 20, 100, 60_000L);
    }

    public RateLimits {
        if (perTarget < 1 || perAction < 1 || global < 1 || periodMillis < 1) {
            throw new IllegalArgumentException("rate limits must be positive: " + this);
        }
    }
}
