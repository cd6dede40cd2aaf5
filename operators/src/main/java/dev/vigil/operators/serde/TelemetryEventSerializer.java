package dev.vigil.operators.serde;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

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

    private static final int HAS_METRIC = 1;
    private static final int HAS_SECURITY = 1 << 1;
    private static final int HAS_POWER = 1 << 2;

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
        int parts =
                (e.getMetric() != null ? HAS_METRIC : 0)
                        | (e.getSecurity() != null ? HAS_SECURITY : 0)
                        | (e.getPower() != null ? HAS_POWER : 0);
        out.writeByte(parts);
        StringValue.writeString(e.getEventId(), out);
        writeNode(e.getNode(), out);
        StringValue.writeString(e.getSensorId(), out);
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
        e.setEventId(StringValue.readString(in));
        e.setNode(readNode(in));
        e.setSensorId(StringValue.readString(in));
        e.setEventTime(Instant.ofEpochMilli(in.readLong()));
        e.setSequence(in.readLong());
        if ((parts & HAS_METRIC) != 0) {
            e.setMetric(readMetric(in));
        }
        if ((parts & HAS_SECURITY) != 0) {
            e.setSecurity(readSecurity(in));
        }
        if ((parts & HAS_POWER) != 0) {
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
        StringValue.writeString(n.getHub(), out);
        StringValue.writeString(n.getRegion(), out);
        StringValue.writeString(n.getCluster(), out);
        StringValue.writeString(n.getNodeId(), out);
        StringValue.writeString(n.getSiteId(), out);
        StringValue.writeString(n.getSiteType(), out);
        StringValue.writeString(n.getNodeClass(), out);
    }

    private static NodeIdentity readNode(DataInputView in) throws IOException {
        NodeIdentity n = new NodeIdentity();
        n.setHub(StringValue.readString(in));
        n.setRegion(StringValue.readString(in));
        n.setCluster(StringValue.readString(in));
        n.setNodeId(StringValue.readString(in));
        n.setSiteId(StringValue.readString(in));
        n.setSiteType(StringValue.readString(in));
        n.setNodeClass(StringValue.readString(in));
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
        StringValue.writeString(s.getKind(), out);
        StringValue.writeString(s.getUser(), out);
        StringValue.writeString(s.getAuthFactor(), out);
        StringValue.writeString(s.getFailureReason(), out);
        StringValue.writeString(s.getSrcIp(), out);
        if (srcPort != null) {
            out.writeInt(srcPort);
        }
        StringValue.writeString(s.getDstIp(), out);
        if (dstPort != null) {
            out.writeInt(dstPort);
        }
        StringValue.writeString(s.getProtocol(), out);
        writeIfPresent(bytes, out);
        StringValue.writeString(s.getProcessName(), out);
        StringValue.writeString(s.getTarget(), out);
        StringValue.writeString(s.getDetail(), out);
    }

    private static SecurityEvent readSecurity(DataInputView in) throws IOException {
        int mask = in.readByte();
        SecurityEvent s = new SecurityEvent();
        s.setKind(StringValue.readString(in));
        s.setUser(StringValue.readString(in));
        s.setAuthFactor(StringValue.readString(in));
        s.setFailureReason(StringValue.readString(in));
        s.setSrcIp(StringValue.readString(in));
        s.setSrcPort((mask & 1) != 0 ? in.readInt() : null);
        s.setDstIp(StringValue.readString(in));
        s.setDstPort((mask & 1 << 1) != 0 ? in.readInt() : null);
        s.setProtocol(StringValue.readString(in));
        s.setBytes(readLong(mask, 2, in));
        s.setProcessName(StringValue.readString(in));
        s.setTarget(StringValue.readString(in));
        s.setDetail(StringValue.readString(in));
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
        StringValue.writeString(p.getSource(), out);
    }

    private static PowerSample readPower(DataInputView in) throws IOException {
        int mask = in.readByte();
        PowerSample p = new PowerSample();
        p.setPowerW(readDouble(mask, 0, in));
        p.setEnergyJ(readDouble(mask, 1, in));
        p.setSource(StringValue.readString(in));
        return p;
    }

    private static PowerSample copy(PowerSample p) {
        return new PowerSample(p.getPowerW(), p.getEnergyJ(), p.getSource());
    }

    private static int bit(Object value, int index) {
        return value == null ? 0 : 1 << index;
    }

    private static void writeIfPresent(Double value, DataOutputView out) throws IOException {
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static void writeIfPresent(Long value, DataOutputView out) throws IOException {
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Double readDouble(int mask, int index, DataInputView in) throws IOException {
        return (mask & 1 << index) != 0 ? in.readDouble() : null;
    }

    private static Long readLong(int mask, int index, DataInputView in) throws IOException {
        return (mask & 1 << index) != 0 ? in.readLong() : null;
    }

    /**
     * Snapshot of the serializer. It has no configuration; its version names the binary layout, and
     * a snapshot of another layout is incompatible (restoring it needs a reader for that layout,
     * added here when the layout changes).
     */
    public static final class Snapshot implements TypeSerializerSnapshot<TelemetryEvent> {

        /** The binary layout this class writes. */
        public static final int LAYOUT = 1;

        private int layout = LAYOUT;

        @Override
        public int getCurrentVersion() {
            return LAYOUT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) {
            layout = readVersion;
        }

        @Override
        public TypeSerializer<TelemetryEvent> restoreSerializer() {
            if (layout != LAYOUT) {
                throw new IllegalStateException(
                        "telemetry events in this snapshot use serializer layout "
                                + layout
                                + "; this version of Vigil reads layout "
                                + LAYOUT);
            }
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<TelemetryEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<TelemetryEvent> oldSnapshot) {
            return oldSnapshot instanceof Snapshot old && old.layout == LAYOUT
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
