package dev.vigil.operators.serde;

import static dev.vigil.operators.serde.BinaryFields.bit;
import static dev.vigil.operators.serde.BinaryFields.has;
import static dev.vigil.operators.serde.BinaryFields.readDouble;
import static dev.vigil.operators.serde.BinaryFields.readInt;
import static dev.vigil.operators.serde.BinaryFields.readLong;
import static dev.vigil.operators.serde.BinaryFields.readString;
import static dev.vigil.operators.serde.BinaryFields.writeIfPresent;
import static dev.vigil.operators.serde.BinaryFields.writeString;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer for {@link TelemetryEvent} between operators and in keyed state: the fields
 * written one by one, optional ones behind a presence bit mask. Avro's generic datum reader and
 * writer spent half the threat job's CPU on the three shuffles of every event (docs/BENCHMARKS.md);
 * this layout needs neither schema resolution nor reflection.
 *
 * <p>The layout is part of checkpoint and savepoint compatibility: it is pinned by {@code
 * TelemetryEventSerializerTest}. Changing {@code TelemetryEvent.avsc} means changing this class
 * (the round-trip test over random events fails until every field travels) and bumping {@link
 * Snapshot#LAYOUT}; state written with an older layout then needs a reader for it to restore.
 */
public final class TelemetryEventSerializer extends TypeSerializerSingleton<TelemetryEvent> {

    private static final long serialVersionUID = 1L;

    public static final TelemetryEventSerializer INSTANCE = new TelemetryEventSerializer();

    private TelemetryEventSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TelemetryEvent createInstance() {
        return new TelemetryEvent();
    }

    @Override
    public TelemetryEvent copy(TelemetryEvent from) {
        // strings, boxed numbers and Instant are immutable: copying the records is a deep copy
        TelemetryEvent to = new TelemetryEvent();
        to.setEventId(from.getEventId());
        to.setNode(from.getNode() == null ? null : copy(from.getNode()));
        to.setSensorId(from.getSensorId());
        to.setEventTime(from.getEventTime());
        to.setSequence(from.getSequence());
        to.setMetric(from.getMetric() == null ? null : copy(from.getMetric()));
        to.setSecurity(from.getSecurity() == null ? null : copy(from.getSecurity()));
        to.setPower(from.getPower() == null ? null : copy(from.getPower()));
        return to;
    }

    @Override
    public TelemetryEvent copy(TelemetryEvent from, TelemetryEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TelemetryEvent e, DataOutputView out) throws IOException {
        int parts = bit(e.getMetric(), 0) | bit(e.getSecurity(), 1) | bit(e.getPower(), 2);
        out.writeByte(parts);
        writeString(e.getEventId(), out);
        writeNode(e.getNode(), out);
        writeString(e.getSensorId(), out);
        out.writeLong(e.getEventTime().toEpochMilli());
        out.writeLong(e.getSequence());
        if (e.getMetric() != null) {
            writeMetric(e.getMetric(), out);
        }
        if (e.getSecurity() != null) {
            writeSecurity(e.getSecurity(), out);
        }
        if (e.getPower() != null) {
            writePower(e.getPower(), out);
        }
    }

    @Override
    public TelemetryEvent deserialize(DataInputView in) throws IOException {
        int parts = in.readByte();
        TelemetryEvent e = new TelemetryEvent();
        e.setEventId(readString(in));
        e.setNode(readNode(in));
        e.setSensorId(readString(in));
        e.setEventTime(Instant.ofEpochMilli(in.readLong()));
        e.setSequence(in.readLong());
        if (has(parts, 0)) {
            e.setMetric(readMetric(in));
        }
        if (has(parts, 1)) {
            e.setSecurity(readSecurity(in));
        }
        if (has(parts, 2)) {
            e.setPower(readPower(in));
        }
        return e;
    }

    @Override
    public TelemetryEvent deserialize(TelemetryEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TelemetryEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    // node identity: seven strings, all required by the schema

    private static void writeNode(NodeIdentity n, DataOutputView out) throws IOException {
        writeString(n.getHub(), out);
        writeString(n.getRegion(), out);
        writeString(n.getCluster(), out);
        writeString(n.getNodeId(), out);
        writeString(n.getSiteId(), out);
        writeString(n.getSiteType(), out);
        writeString(n.getNodeClass(), out);
    }

    private static NodeIdentity readNode(DataInputView in) throws IOException {
        NodeIdentity n = new NodeIdentity();
        n.setHub(readString(in));
        n.setRegion(readString(in));
        n.setCluster(readString(in));
        n.setNodeId(readString(in));
        n.setSiteId(readString(in));
        n.setSiteType(readString(in));
        n.setNodeClass(readString(in));
        return n;
    }

    private static NodeIdentity copy(NodeIdentity n) {
        return new NodeIdentity(
                n.getHub(),
                n.getRegion(),
                n.getCluster(),
                n.getNodeId(),
                n.getSiteId(),
                n.getSiteType(),
                n.getNodeClass());
    }

    // metric sample: a 16-bit mask of the optional readings, then those present, then the interval

    private static void writeMetric(MetricSample m, DataOutputView out) throws IOException {
        Double cpu = m.getCpuPercent();
        Double memory = m.getMemoryPercent();
        Double disk = m.getDiskPercent();
        Long in = m.getNetworkInBytes();
        Long outBytes = m.getNetworkOutBytes();
        Double loss = m.getPacketLossPercent();
        Double latency = m.getLatencyMs();
        Double temperature = m.getTemperatureC();
        Double errors = m.getErrorRate();
        Double response = m.getResponseTimeMs();
        int mask =
                bit(cpu, 0)
                        | bit(memory, 1)
                        | bit(disk, 2)
                        | bit(in, 3)
                        | bit(outBytes, 4)
                        | bit(loss, 5)
                        | bit(latency, 6)
                        | bit(temperature, 7)
                        | bit(errors, 8)
                        | bit(response, 9);
        out.writeShort(mask);
        writeIfPresent(cpu, out);
        writeIfPresent(memory, out);
        writeIfPresent(disk, out);
        writeIfPresent(in, out);
        writeIfPresent(outBytes, out);
        writeIfPresent(loss, out);
        writeIfPresent(latency, out);
        writeIfPresent(temperature, out);
        writeIfPresent(errors, out);
        writeIfPresent(response, out);
        out.writeLong(m.getIntervalMs());
    }

    private static MetricSample readMetric(DataInputView in) throws IOException {
        int mask = in.readShort();
        MetricSample m = new MetricSample();
        m.setCpuPercent(readDouble(mask, 0, in));
        m.setMemoryPercent(readDouble(mask, 1, in));
        m.setDiskPercent(readDouble(mask, 2, in));
        m.setNetworkInBytes(readLong(mask, 3, in));
        m.setNetworkOutBytes(readLong(mask, 4, in));
        m.setPacketLossPercent(readDouble(mask, 5, in));
        m.setLatencyMs(readDouble(mask, 6, in));
        m.setTemperatureC(readDouble(mask, 7, in));
        m.setErrorRate(readDouble(mask, 8, in));
        m.setResponseTimeMs(readDouble(mask, 9, in));
        m.setIntervalMs(in.readLong());
        return m;
    }

    private static MetricSample copy(MetricSample m) {
        return new MetricSample(
                m.getCpuPercent(),
                m.getMemoryPercent(),
                m.getDiskPercent(),
                m.getNetworkInBytes(),
                m.getNetworkOutBytes(),
                m.getPacketLossPercent(),
                m.getLatencyMs(),
                m.getTemperatureC(),
                m.getErrorRate(),
                m.getResponseTimeMs(),
                m.getIntervalMs());
    }

    // security event: strings carry their own null marker; the numbers sit behind a mask

    private static void writeSecurity(SecurityEvent s, DataOutputView out) throws IOException {
        Integer srcPort = s.getSrcPort();
        Integer dstPort = s.getDstPort();
        Long bytes = s.getBytes();
        out.writeByte(bit(srcPort, 0) | bit(dstPort, 1) | bit(bytes, 2));
        writeString(s.getKind(), out);
        writeString(s.getUser(), out);
        writeString(s.getAuthFactor(), out);
        writeString(s.getFailureReason(), out);
        writeString(s.getSrcIp(), out);
        writeIfPresent(srcPort, out);
        writeString(s.getDstIp(), out);
        writeIfPresent(dstPort, out);
        writeString(s.getProtocol(), out);
        writeIfPresent(bytes, out);
        writeString(s.getProcessName(), out);
        writeString(s.getTarget(), out);
        writeString(s.getDetail(), out);
    }

    private static SecurityEvent readSecurity(DataInputView in) throws IOException {
        int mask = in.readByte();
        SecurityEvent s = new SecurityEvent();
        s.setKind(readString(in));
        s.setUser(readString(in));
        s.setAuthFactor(readString(in));
        s.setFailureReason(readString(in));
        s.setSrcIp(readString(in));
        s.setSrcPort(readInt(mask, 0, in));
        s.setDstIp(readString(in));
        s.setDstPort(readInt(mask, 1, in));
        s.setProtocol(readString(in));
        s.setBytes(readLong(mask, 2, in));
        s.setProcessName(readString(in));
        s.setTarget(readString(in));
        s.setDetail(readString(in));
        return s;
    }

    private static SecurityEvent copy(SecurityEvent s) {
        return new SecurityEvent(
                s.getKind(),
                s.getUser(),
                s.getAuthFactor(),
                s.getFailureReason(),
                s.getSrcIp(),
                s.getSrcPort(),
                s.getDstIp(),
                s.getDstPort(),
                s.getProtocol(),
                s.getBytes(),
                s.getProcessName(),
                s.getTarget(),
                s.getDetail());
    }

    // power sample

    private static void writePower(PowerSample p, DataOutputView out) throws IOException {
        Double power = p.getPowerW();
        Double energy = p.getEnergyJ();
        out.writeByte(bit(power, 0) | bit(energy, 1));
        writeIfPresent(power, out);
        writeIfPresent(energy, out);
        writeString(p.getSource(), out);
    }

    private static PowerSample readPower(DataInputView in) throws IOException {
        int mask = in.readByte();
        PowerSample p = new PowerSample();
        p.setPowerW(readDouble(mask, 0, in));
        p.setEnergyJ(readDouble(mask, 1, in));
        p.setSource(readString(in));
        return p;
    }

    private static PowerSample copy(PowerSample p) {
        return new PowerSample(p.getPowerW(), p.getEnergyJ(), p.getSource());
    }

    /** The snapshot; {@link #LAYOUT} names the binary layout this class writes. */
    public static final class Snapshot extends LayoutSnapshot<TelemetryEvent> {

        /** The binary layout this class writes. */
        public static final int LAYOUT = 1;

        public Snapshot() {
            super(LAYOUT, INSTANCE, "telemetry events");
        }
    }
}
