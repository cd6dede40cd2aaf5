package dev.vigil.operators.remediation;

import dev.vigil.operators.serde.BinaryStateSerializer;
import dev.vigil.operators.serde.LayoutSnapshot;
import dev.vigil.operators.serde.SimpleTypeInfo;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** What the planner remembers of one target; keyed state in its own layout ({@link Serializer}). */
public class TargetState {
    /** Event time of the last command per policy. */
    public final Map<String, Long> lastIssued = new TreeMap<>();

    /** Next escalation step per policy. */
    public final Map<String, Integer> step = new TreeMap<>();

    /** Command ids issued, with the event time until which they are remembered. */
    public final Map<String, Long> seen = new TreeMap<>();

    public final TokenBucket bucket = new TokenBucket();

    /**
     * No longer used (the event-time buffer orders late triggers now); still serialised so that the
     * state layout, and savepoints written with it, stay as they are.
     */
    public long plannedUpTo = Long.MIN_VALUE;

    public TargetState() {}

    void writeTo(DataOutputView out) throws IOException {
        out.writeInt(lastIssued.size());
        for (Map.Entry<String, Long> e : lastIssued.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(step.size());
        for (Map.Entry<String, Integer> e : step.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
        }
        out.writeInt(seen.size());
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeLong(bucket.micros);
        out.writeLong(bucket.last);
        out.writeLong(plannedUpTo);
    }

    static TargetState readFrom(DataInputView in) throws IOException {
        TargetState s = new TargetState();
        for (int n = in.readInt(); n > 0; n--) {
            s.lastIssued.put(in.readUTF(), in.readLong());
        }
        for (int n = in.readInt(); n > 0; n--) {
            s.step.put(in.readUTF(), in.readInt());
        }
        for (int n = in.readInt(); n > 0; n--) {
            s.seen.put(in.readUTF(), in.readLong());
        }
        s.bucket.micros = in.readLong();
        s.bucket.last = in.readLong();
        s.plannedUpTo = in.readLong();
        return s;
    }

    /** The serializer of {@link TargetState}. */
    public static final class Serializer extends BinaryStateSerializer<TargetState> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        private Serializer() {}

        @Override
        public TargetState createInstance() {
            return new TargetState();
        }

        @Override
        public TargetState copy(TargetState from) {
            try {
                org.apache.flink.core.memory.DataOutputSerializer out =
                        new org.apache.flink.core.memory.DataOutputSerializer(256);
                from.writeTo(out);
                return readFrom(
                        new org.apache.flink.core.memory.DataInputDeserializer(
                                out.getSharedBuffer(), 0, out.length()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void serialize(TargetState s, DataOutputView out) throws IOException {
            s.writeTo(out);
        }

        @Override
        public TargetState deserialize(DataInputView in) throws IOException {
            return readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<TargetState> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Snapshot of {@link Serializer}; layout 1. */
    public static final class Snapshot extends LayoutSnapshot<TargetState> {
        public Snapshot() {
            super(1, Serializer.INSTANCE, "remediation target states");
        }
    }

    /** Type information selecting {@link Serializer}. */
    public static final class Type extends SimpleTypeInfo<TargetState> {
        private static final long serialVersionUID = 1L;
        public static final Type INSTANCE = new Type();

        private Type() {
            super(TargetState.class);
        }

        @Override
        public TypeSerializer<TargetState> createSerializer(SerializerConfig config) {
            return Serializer.INSTANCE;
        }
    }
}
