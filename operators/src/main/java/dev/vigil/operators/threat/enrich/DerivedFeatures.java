package dev.vigil.operators.threat.enrich;

/**
 * Per-node context the enricher attaches to each event, so that rules can speak of sequence gaps,
 * baselines and the previous sample without keeping state of their own. Null means "not known yet"
 * (first event of a node, baseline still warming up). A Flink POJO.
 */
public class DerivedFeatures {

    /** Sequence number minus the node's previous one (1 normally; <= 0 replay; large jump). */
    public Long sequenceDelta;

    /** Event time minus the node's previous event time, ms. */
    public Long gapMs;

    /**
     * On a resent copy of an event already read (same id, event time and content), which
     * deduplication kept out of every job's counts: which copy it is (1 for the first). Null for an
     * event read for the first time. A producer's retry sends a copy or two; a replay keeps sending
     * them.
     */
    public Long copy;

    /**
     * On a copy: how far behind the node's newest event it is, ms (a retry is seconds old, a replay
     * of old telemetry minutes or hours).
     */
    public Long copyAgeMs;

    /**
     * On a copy: the node's newest event time when it arrived — when rules judge it (a copy is
     * evidence of a replay now, not at the time it claims).
     */
    public Long arrivedAt;

    /**
     * The operations context of the event ({@link OperationsContext}): bit 1 inside a change
     * window, bit 2 by an automation account.
     */
    public Long contextFlags;

    /** network_out_bytes divided by the node's baseline (slow EWMA of normal samples). */
    public Double egressRatio;

    /** network_in_bytes divided by the node's baseline. */
    public Double ingressRatio;

    /** Values of the previous metric sample of the same node and sensor. */
    public Double previousCpuPercent;

    public Double previousMemoryPercent;
    public Double previousDiskPercent;
    public Double previousTemperatureC;
    public Double previousPacketLossPercent;
    public Double previousEgressRatio;
    public Double previousIngressRatio;

    public DerivedFeatures() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DerivedFeatures)) {
            return false;
        }
        DerivedFeatures d = (DerivedFeatures) o;
        return java.util.Objects.equals(copy, d.copy)
                && java.util.Objects.equals(copyAgeMs, d.copyAgeMs)
                && java.util.Objects.equals(arrivedAt, d.arrivedAt)
                && java.util.Objects.equals(contextFlags, d.contextFlags)
                && java.util.Objects.equals(sequenceDelta, d.sequenceDelta)
                && java.util.Objects.equals(gapMs, d.gapMs)
                && java.util.Objects.equals(egressRatio, d.egressRatio)
                && java.util.Objects.equals(ingressRatio, d.ingressRatio)
                && java.util.Objects.equals(previousCpuPercent, d.previousCpuPercent)
                && java.util.Objects.equals(previousMemoryPercent, d.previousMemoryPercent)
                && java.util.Objects.equals(previousDiskPercent, d.previousDiskPercent)
                && java.util.Objects.equals(previousTemperatureC, d.previousTemperatureC)
                && java.util.Objects.equals(previousPacketLossPercent, d.previousPacketLossPercent)
                && java.util.Objects.equals(previousEgressRatio, d.previousEgressRatio)
                && java.util.Objects.equals(previousIngressRatio, d.previousIngressRatio);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                sequenceDelta, gapMs, egressRatio, ingressRatio, previousTemperatureC);
    }
}
