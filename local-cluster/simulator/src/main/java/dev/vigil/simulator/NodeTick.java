package dev.vigil.simulator;

import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node reports in one tick before it is turned into telemetry: normal readings first, then
 * whatever active scenarios change. Mutable on purpose: scenarios edit it in place.
 */
public final class NodeTick {

    /** A security event and its offset (ms) within the tick. */
    public record TimedSecurityEvent(long offsetMs, SecurityEvent event) {}

    public double cpu;
    public double memory;
    public double disk;
    public long networkIn;
    public long networkOut;
    public double packetLoss;
    public double latencyMs;
    public double temperature;
    public double errorRate;
    public double responseTimeMs;

    /** Power drawn by the node this tick, W (split across supplies by the generator). */
    public double powerWatts;

    public final List<TimedSecurityEvent> security = new ArrayList<>();

    /** Spoofing: added to the node's sequence before this tick's events (a gap). */
    public long sequenceJump;

    /** Spoofing: re-send the previous tick's events unchanged (a replay). */
    public boolean replayPrevious;

    /** Events sent earlier, sent again now unchanged (a replay of old telemetry or a retry). */
    public final List<TelemetryEvent> resend = new ArrayList<>();

    /** The metric sample of this tick is lost in transit (a gap of one). */
    public boolean dropMetric;

    /** Adds a security event at {@code offsetMs} (0-999) into the tick. */
    public void add(long offsetMs, SecurityEvent event) {
        security.add(new TimedSecurityEvent(offsetMs, event));
    }
}
