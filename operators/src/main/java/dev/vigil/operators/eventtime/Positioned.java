package dev.vigil.operators.eventtime;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

/**
 * A record read from Kafka together with where it was read (partition, offset) and its reference
 * time ({@link EventTimes#referenceTime}), which its {@link EventTimeClock} needs. A Flink tuple,
 * so it travels without Kryo.
 */
public final class Positioned<T> extends Tuple4<T, Integer, Long, Long> {

    private static final long serialVersionUID = 1L;

    public Positioned() {}

    public Positioned(T value, int partition, long offset, long referenceTime) {
        super(value, partition, offset, referenceTime);
    }

    public T value() {
        return f0;
    }

    public int partition() {
        return f1;
    }

    public long offset() {
        return f2;
    }

    public long referenceTime() {
        return f3;
    }

    /** Type information of {@code Positioned<T>}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> TypeInformation<Positioned<T>> typeInfo(TypeInformation<T> value) {
        return (TypeInformation)
                new TupleTypeInfo<>(Positioned.class, value, Types.INT, Types.LONG, Types.LONG);
    }
}
