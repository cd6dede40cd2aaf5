package dev.vigil.operators.threat.enrich;

import static dev.vigil.operators.serde.BinaryFields.bit;
import static dev.vigil.operators.serde.BinaryFields.has;
import static dev.vigil.operators.serde.BinaryFields.readDouble;
import static dev.vigil.operators.serde.BinaryFields.readLong;
import static dev.vigil.operators.serde.BinaryFields.writeIfPresent;

import dev.vigil.operators.serde.LayoutSnapshot;
import dev.vigil.operators.serde.SimpleTypeInfo;
import dev.vigil.operators.serde.TelemetryEventSerializer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link EnrichedEvent}: the event ({@link TelemetryEventSerializer}), the derived
 * features behind a presence mask, and the source coordinates. It replaces Flink's reflective POJO
 * serializer on the rule engine's input and in its state (pending events, CEP shared buffers).
 */
public final class EnrichedEventSerializer extends TypeSerializerSingleton<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    public static final EnrichedEventSerializer INSTANCE = new EnrichedEventSerializer();

    /** Mask bit that says derived features are present at all. */
    private static final int HAS_DERIVED = 15;

    /** Mask bit of {@link DerivedFeatures#copy}; data written before it never has it set. */
    private static final int COPY = 11;

    /** Mask bits of {@link DerivedFeatures#copyAgeMs} and {@link DerivedFeatures#arrivedAt}. */
    private static final int COPY_AGE = 12;

    private static final int ARRIVED_AT = 13;

    /** Mask bit of {@link DerivedFeatures#contextFlags}, the last free one. */
    private static final int CONTEXT = 14;

    private EnrichedEventSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public EnrichedEvent createInstance() {
        return new EnrichedEvent();
    }

    @Override
    public EnrichedEvent copy(EnrichedEvent from) {
        return new EnrichedEvent(
                from.event == null ? null : TelemetryEventSerializer.INSTANCE.copy(from.event),
                from.derived == null ? null : copy(from.derived),
                from.partition,
                from.offset);
    }

    @Override
    public EnrichedEvent copy(EnrichedEvent from, EnrichedEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EnrichedEvent e, DataOutputView out) throws IOException {
        TelemetryEventSerializer.INSTANCE.serialize(e.event, out);
        DerivedFeatures d = e.derived;
        if (d == null) {
            out.writeShort(0);
        } else {
            out.writeShort(
                    1 << HAS_DERIVED
                            | bit(d.sequenceDelta, 0)
                            | bit(d.gapMs, 1)
                            | bit(d.egressRatio, 2)
                            | bit(d.ingressRatio, 3)
                            | bit(d.previousCpuPercent, 4)
                            | bit(d.previousMemoryPercent, 5)
                            | bit(d.previousDiskPercent, 6)
                            | bit(d.previousTemperatureC, 7)
                            | bit(d.previousPacketLossPercent, 8)
                            | bit(d.previousEgressRatio, 9)
                            | bit(d.previousIngressRatio, 10)
                            | bit(d.copy, COPY)
                            | bit(d.copyAgeMs, COPY_AGE)
                            | bit(d.arrivedAt, ARRIVED_AT)
                            | bit(d.contextFlags, CONTEXT));
            writeIfPresent(d.sequenceDelta, out);
            writeIfPresent(d.gapMs, out);
            writeIfPresent(d.egressRatio, out);
            writeIfPresent(d.ingressRatio, out);
            writeIfPresent(d.previousCpuPercent, out);
            writeIfPresent(d.previousMemoryPercent, out);
            writeIfPresent(d.previousDiskPercent, out);
            writeIfPresent(d.previousTemperatureC, out);
            writeIfPresent(d.previousPacketLossPercent, out);
            writeIfPresent(d.previousEgressRatio, out);
            writeIfPresent(d.previousIngressRatio, out);
            writeIfPresent(d.copy, out);
            writeIfPresent(d.copyAgeMs, out);
            writeIfPresent(d.arrivedAt, out);
            writeIfPresent(d.contextFlags, out);
        }
        out.writeInt(e.partition);
        out.writeLong(e.offset);
    }

    @Override
    public EnrichedEvent deserialize(DataInputView in) throws IOException {
        EnrichedEvent e = new EnrichedEvent();
        e.event = TelemetryEventSerializer.INSTANCE.deserialize(in);
        int mask = in.readShort() & 0xFFFF;
        if (has(mask, HAS_DERIVED)) {
            DerivedFeatures d = new DerivedFeatures();
            d.sequenceDelta = readLong(mask, 0, in);
            d.gapMs = readLong(mask, 1, in);
            d.egressRatio = readDouble(mask, 2, in);
            d.ingressRatio = readDouble(mask, 3, in);
            d.previousCpuPercent = readDouble(mask, 4, in);
            d.previousMemoryPercent = readDouble(mask, 5, in);
            d.previousDiskPercent = readDouble(mask, 6, in);
            d.previousTemperatureC = readDouble(mask, 7, in);
            d.previousPacketLossPercent = readDouble(mask, 8, in);
            d.previousEgressRatio = readDouble(mask, 9, in);
            d.previousIngressRatio = readDouble(mask, 10, in);
            d.copy = readLong(mask, COPY, in);
            d.copyAgeMs = readLong(mask, COPY_AGE, in);
            d.arrivedAt = readLong(mask, ARRIVED_AT, in);
            d.contextFlags = readLong(mask, CONTEXT, in);
            e.derived = d;
        }
        e.partition = in.readInt();
        e.offset = in.readLong();
        return e;
    }

    @Override
    public EnrichedEvent deserialize(EnrichedEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<EnrichedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static DerivedFeatures copy(DerivedFeatures from) {
        // boxed numbers are immutable
        DerivedFeatures d = new DerivedFeatures();
        d.sequenceDelta = from.sequenceDelta;
        d.gapMs = from.gapMs;
        d.egressRatio = from.egressRatio;
        d.ingressRatio = from.ingressRatio;
        d.previousCpuPercent = from.previousCpuPercent;
        d.previousMemoryPercent = from.previousMemoryPercent;
        d.previousDiskPercent = from.previousDiskPercent;
        d.previousTemperatureC = from.previousTemperatureC;
        d.previousPacketLossPercent = from.previousPacketLossPercent;
        d.previousEgressRatio = from.previousEgressRatio;
        d.previousIngressRatio = from.previousIngressRatio;
        d.copy = from.copy;
        d.copyAgeMs = from.copyAgeMs;
        d.arrivedAt = from.arrivedAt;
        d.contextFlags = from.contextFlags;
        return d;
    }

    /** The snapshot; {@link #LAYOUT} names the binary layout this class writes. */
    public static final class Snapshot extends LayoutSnapshot<EnrichedEvent> {

        /** The binary layout this class writes (the event's own layout is versioned apart). */
        public static final int LAYOUT = 1;

        public Snapshot() {
            super(LAYOUT, INSTANCE, "enriched events");
        }
    }

    /** Type information that selects this serializer; {@link EnrichedEvent} names its factory. */
    public static final class TypeInfo extends SimpleTypeInfo<EnrichedEvent> {

        private static final long serialVersionUID = 1L;

        public static final TypeInfo INSTANCE = new TypeInfo();

        private TypeInfo() {
            super(EnrichedEvent.class);
        }

        @Override
        public TypeSerializer<EnrichedEvent> createSerializer(SerializerConfig config) {
            return EnrichedEventSerializer.INSTANCE;
        }
    }

    /** The factory behind {@code @TypeInfo} on {@link EnrichedEvent}. */
    public static final class Factory extends TypeInfoFactory<EnrichedEvent> {
        @Override
        public TypeInformation<EnrichedEvent> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return TypeInfo.INSTANCE;
        }
    }
}
