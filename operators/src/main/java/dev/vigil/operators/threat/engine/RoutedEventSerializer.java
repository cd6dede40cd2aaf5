package dev.vigil.operators.threat.engine;

import dev.vigil.operators.serde.BinaryFields;
import dev.vigil.operators.serde.LayoutSnapshot;
import dev.vigil.operators.serde.SimpleTypeInfo;
import dev.vigil.operators.threat.enrich.EnrichedEventSerializer;
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

/** Serializer of {@link RoutedEvent}: the key, then the {@link EnrichedEventSerializer} event. */
public final class RoutedEventSerializer extends TypeSerializerSingleton<RoutedEvent> {

    private static final long serialVersionUID = 1L;

    public static final RoutedEventSerializer INSTANCE = new RoutedEventSerializer();

    private RoutedEventSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RoutedEvent createInstance() {
        return new RoutedEvent();
    }

    @Override
    public RoutedEvent copy(RoutedEvent from) {
        return new RoutedEvent(
                from.key,
                from.event == null ? null : EnrichedEventSerializer.INSTANCE.copy(from.event));
    }

    @Override
    public RoutedEvent copy(RoutedEvent from, RoutedEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RoutedEvent r, DataOutputView out) throws IOException {
        BinaryFields.writeString(r.key, out);
        EnrichedEventSerializer.INSTANCE.serialize(r.event, out);
    }

    @Override
    public RoutedEvent deserialize(DataInputView in) throws IOException {
        String key = BinaryFields.readString(in);
        return new RoutedEvent(key, EnrichedEventSerializer.INSTANCE.deserialize(in));
    }

    @Override
    public RoutedEvent deserialize(RoutedEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RoutedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot; {@link #LAYOUT} names the binary layout this class writes. */
    public static final class Snapshot extends LayoutSnapshot<RoutedEvent> {

        /** The binary layout this class writes (the event's own layout is versioned apart). */
        public static final int LAYOUT = 1;

        public Snapshot() {
            super(LAYOUT, INSTANCE, "routed events");
        }
    }

    /** Type information that selects this serializer; {@link RoutedEvent} names its factory. */
    public static final class TypeInfo extends SimpleTypeInfo<RoutedEvent> {

        private static final long serialVersionUID = 1L;

        public static final TypeInfo INSTANCE = new TypeInfo();

        private TypeInfo() {
            super(RoutedEvent.class);
        }

        @Override
        public TypeSerializer<RoutedEvent> createSerializer(SerializerConfig config) {
            return RoutedEventSerializer.INSTANCE;
        }
    }

    /** The factory behind {@code @TypeInfo} on {@link RoutedEvent}. */
    public static final class Factory extends TypeInfoFactory<RoutedEvent> {
        @Override
        public TypeInformation<RoutedEvent> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return TypeInfo.INSTANCE;
        }
    }
}
