package dev.vigil.operators.inference;

import dev.vigil.models.NodeFeatureWindow;
import dev.vigil.operators.serde.LayoutSnapshot;
import dev.vigil.operators.serde.SimpleTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed-state serializer of a node's {@link NodeFeatureWindow}, in the window's own binary layout
 * ({@link NodeFeatureWindow#writeTo}).
 */
public final class NodeFeatureWindowSerializer extends TypeSerializerSingleton<NodeFeatureWindow> {

    private static final long serialVersionUID = 1L;

    public static final NodeFeatureWindowSerializer INSTANCE = new NodeFeatureWindowSerializer();

    private NodeFeatureWindowSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public NodeFeatureWindow createInstance() {
        return new NodeFeatureWindow();
    }

    @Override
    public NodeFeatureWindow copy(NodeFeatureWindow from) {
        return from.copy();
    }

    @Override
    public NodeFeatureWindow copy(NodeFeatureWindow from, NodeFeatureWindow reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(NodeFeatureWindow window, DataOutputView out) throws IOException {
        window.writeTo(out);
    }

    @Override
    public NodeFeatureWindow deserialize(DataInputView in) throws IOException {
        return NodeFeatureWindow.readFrom(in);
    }

    @Override
    public NodeFeatureWindow deserialize(NodeFeatureWindow reuse, DataInputView in)
            throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<NodeFeatureWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot; {@link #LAYOUT} names the binary layout of the window. */
    public static final class Snapshot extends LayoutSnapshot<NodeFeatureWindow> {

        public static final int LAYOUT = 1;

        public Snapshot() {
            super(LAYOUT, INSTANCE, "node feature windows");
        }
    }

    /** Type information that selects this serializer. */
    public static final class TypeInfo extends SimpleTypeInfo<NodeFeatureWindow> {

        private static final long serialVersionUID = 1L;

        public static final TypeInfo INSTANCE = new TypeInfo();

        private TypeInfo() {
            super(NodeFeatureWindow.class);
        }

        @Override
        public TypeSerializer<NodeFeatureWindow> createSerializer(SerializerConfig config) {
            return NodeFeatureWindowSerializer.INSTANCE;
        }
    }
}
