package dev.vigil.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.enrich.DerivedFeatures;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.enrich.EnrichedEventSerializer;
import dev.vigil.schema.TelemetryEvent;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract for {@link EnrichedEventSerializer} over random events. */
class EnrichedEventSerializerTest extends SerializerTestBase<EnrichedEvent> {

    @Override
    protected TypeSerializer<EnrichedEvent> createSerializer() {
        return EnrichedEventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EnrichedEvent> getTypeClass() {
        return EnrichedEvent.class;
    }

    @Override
    protected EnrichedEvent[] getTestData() {
        return randomEnriched(120, 7L).toArray(new EnrichedEvent[0]);
    }

    /**
     * Random enriched events: every derived feature set or null at random (all set, all null and no
     * derived features at all included), so a field the serializer forgets fails a round trip.
     */
    static List<EnrichedEvent> randomEnriched(int count, long seed) {
        Random random = new Random(seed);
        List<TelemetryEvent> events = TelemetryEventSerializerTest.randomEvents(count, seed);
        List<EnrichedEvent> enriched = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DerivedFeatures derived = i % 10 == 0 ? null : new DerivedFeatures();
            if (derived != null) {
                for (Field field : DerivedFeatures.class.getFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    boolean present = i % 10 == 1 || (i % 10 != 2 && random.nextBoolean());
                    try {
                        if (!present) {
                            if (!field.getType().isPrimitive()) {
                                field.set(derived, null);
                            }
                        } else if (field.getType() == Long.class) {
                            field.set(derived, random.nextLong());
                        } else if (field.getType() == Double.class) {
                            field.set(derived, random.nextDouble() * 1000);
                        } else if (field.getType() == boolean.class) {
                            field.set(derived, true);
                        } else {
                            throw new AssertionError("unexpected field type " + field);
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            enriched.add(
                    new EnrichedEvent(
                            events.get(i), derived, random.nextInt(64), random.nextLong()));
        }
        return enriched;
    }

    @Test
    void copyIsDeep() {
        EnrichedEvent original = randomEnriched(2, 3L).get(1);
        EnrichedEvent copy = EnrichedEventSerializer.INSTANCE.copy(original);
        assertThat(copy).isEqualTo(original);
        copy.derived.gapMs = -1L;
        copy.event.setSensorId("changed");
        assertThat(original.derived.gapMs).isNotEqualTo(-1L);
        assertThat(original.event.getSensorId()).isNotEqualTo("changed");
    }
}
