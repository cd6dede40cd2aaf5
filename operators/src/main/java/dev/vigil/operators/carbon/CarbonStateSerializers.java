package dev.vigil.operators.carbon;

import dev.vigil.operators.serde.BinaryStateSerializer;
import dev.vigil.operators.serde.LayoutSnapshot;
import dev.vigil.operators.serde.SimpleTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializers of the carbon job's state: a node's ledger and a region's grid timeline. */
public final class CarbonStateSerializers {

    private CarbonStateSerializers() {}

    /** {@link NodeLedger} in its own layout ({@link NodeLedger#writeTo}). */
    public static final class Ledger extends BinaryStateSerializer<NodeLedger> {
        private static final long serialVersionUID = 1L;
        public static final Ledger INSTANCE = new Ledger();

        private Ledger() {}

        @Override
        public NodeLedger createInstance() {
            return new NodeLedger();
        }

        @Override
        public NodeLedger copy(NodeLedger from) {
            return from.copy();
        }

        @Override
        public void serialize(NodeLedger ledger, DataOutputView out) throws IOException {
            ledger.writeTo(out);
        }

        @Override
        public NodeLedger deserialize(DataInputView in) throws IOException {
            return NodeLedger.readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<NodeLedger> snapshotConfiguration() {
            return new LedgerSnapshot();
        }
    }

    /** Snapshot of {@link Ledger}; layout 1. */
    public static final class LedgerSnapshot extends LayoutSnapshot<NodeLedger> {
        public LedgerSnapshot() {
            super(1, Ledger.INSTANCE, "node carbon ledgers");
        }
    }

    /** Type information selecting {@link Ledger}. */
    public static final class LedgerType extends SimpleTypeInfo<NodeLedger> {
        private static final long serialVersionUID = 1L;
        public static final LedgerType INSTANCE = new LedgerType();

        private LedgerType() {
            super(NodeLedger.class);
        }

        @Override
        public TypeSerializer<NodeLedger> createSerializer(SerializerConfig config) {
            return Ledger.INSTANCE;
        }
    }

    /** {@link GridTimeline} in its own layout ({@link GridTimeline#writeTo}). */
    public static final class Timeline extends BinaryStateSerializer<GridTimeline> {
        private static final long serialVersionUID = 1L;
        public static final Timeline INSTANCE = new Timeline();

        private Timeline() {}

        @Override
        public GridTimeline createInstance() {
            return new GridTimeline();
        }

        @Override
        public GridTimeline copy(GridTimeline from) {
            return from.copy();
        }

        @Override
        public void serialize(GridTimeline timeline, DataOutputView out) throws IOException {
            timeline.writeTo(out);
        }

        @Override
        public GridTimeline deserialize(DataInputView in) throws IOException {
            return GridTimeline.readFrom(in);
        }

        @Override
        public TypeSerializerSnapshot<GridTimeline> snapshotConfiguration() {
            return new TimelineSnapshot();
        }
    }

    /** Snapshot of {@link Timeline}; layout 1. */
    public static final class TimelineSnapshot extends LayoutSnapshot<GridTimeline> {
        public TimelineSnapshot() {
            super(1, Timeline.INSTANCE, "grid intensity timelines");
        }
    }

    /** Type information selecting {@link Timeline}. */
    public static final class TimelineType extends SimpleTypeInfo<GridTimeline> {
        private static final long serialVersionUID = 1L;
        public static final TimelineType INSTANCE = new TimelineType();

        private TimelineType() {
            super(GridTimeline.class);
        }

        @Override
        public TypeSerializer<GridTimeline> createSerializer(SerializerConfig config) {
            return Timeline.INSTANCE;
        }
    }
}
