package dev.vigil.operators.remediation;

/**
 * A token bucket in event time, exact: tokens in millionths, refilled at {@code capacity} tokens
 * per {@code periodMillis}. A Flink POJO (state of the dispatch operators).
 */
public class TokenBucket {
    public long micros = -1;
    public long last = Long.MIN_VALUE;

    public TokenBucket() {}

    /** Takes one token at {@code time} if there is one. */
    public boolean take(long time, int capacity, long periodMillis) {
        long full = capacity * 1_000_000L;
        if (micros < 0) {
            micros = full;
            last = time;
        }
        if (time > last) {
            long elapsed = time - last;
            // a full period (or more) refills the bucket; less refills in proportion
            long refill = elapsed >= periodMillis ? full : elapsed * full / periodMillis;
            micros = Math.min(full, micros + refill);
            last = time;
        }
        if (micros >= 1_000_000L) {
            micros -= 1_000_000L;
            return true;
        }
        return false;
    }
}
