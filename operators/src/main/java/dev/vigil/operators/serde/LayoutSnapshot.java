package dev.vigil.operators.serde;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of a serializer without configuration whose snapshot version names its binary layout. A
 * snapshot of the same layout restores as is; another layout is incompatible (restoring it needs a
 * reader for that layout, added to the serializer when its layout changes). Subclasses have a
 * public no-argument constructor, as Flink instantiates them by name.
 */
public abstract class LayoutSnapshot<T> implements TypeSerializerSnapshot<T> {

    private final int currentLayout;
    private final TypeSerializer<T> serializer;
    private final String what;
    private int layout;

    protected LayoutSnapshot(int currentLayout, TypeSerializer<T> serializer, String what) {
        this.currentLayout = currentLayout;
        this.serializer = serializer;
        this.what = what;
        this.layout = currentLayout;
    }

    @Override
    public int getCurrentVersion() {
        return currentLayout;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) {
        layout = readVersion;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        if (layout != currentLayout) {
            throw new IllegalStateException(
                    what
                            + " in this snapshot use serializer layout "
                            + layout
                            + "; this version of Vigil reads layout "
                            + currentLayout);
        }
        return serializer;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        return oldSnapshot.getClass() == getClass()
                        && ((LayoutSnapshot<T>) oldSnapshot).layout == currentLayout
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
