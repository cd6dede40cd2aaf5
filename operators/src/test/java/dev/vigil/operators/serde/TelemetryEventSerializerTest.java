package dev.vigil.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.threat.engine.RoutedEvent;
import dev.vigil.operators.threat.engine.RoutedEventSerializer;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.enrich.EnrichedEventSerializer;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.RandomData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer contract (copy, serialize, snapshot, duplicate) over hand-built events and
 * random events drawn from the schema itself, so that a field added to {@code TelemetryEvent.avsc}
 * and forgotten here fails the round trip.
 */
class TelemetryEventSerializerTest extends SerializerTestBase<TelemetryEvent> {

    @Override
    protected TypeSerializer<TelemetryEvent> createSerializer() {
        return TelemetryEventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TelemetryEvent> getTypeClass() {
        return TelemetryEvent.class;
    }

    @Override
    protected TelemetryEvent[] getTestData() {
        List<TelemetryEvent> events = new ArrayList<>();
        events.add(TestEvents.metric("node-00001", TestEvents.T0, 7, 93.5, 41.0));
        events.add(TestEvents.security("node-00002", TestEvents.T0 + 1, 8, "AUTH_FAILURE"));
        events.add(TestEvents.power("node-00003", TestEvents.T0 + 2, 9, 412.5));
        events.addAll(randomEvents(200, 42L));
        return events.toArray(new TelemetryEvent[0]);
    }

    /** Random values for every field and union branch of the schema, as the specific class. */
    static List<TelemetryEvent> randomEvents(int count, long seed) {
        List<TelemetryEvent> events = new ArrayList<>();
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(TelemetryEvent.SCHEMA$);
        SpecificDatumReader<TelemetryEvent> reader =
                new SpecificDatumReader<>(TelemetryEvent.class);
        for (Object record : new RandomData(TelemetryEvent.SCHEMA$, count, seed)) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                writer.write(record, encoder);
                encoder.flush();
                events.add(
                        reader.read(
                                null,
                                DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

    @Test
    void randomEventsCoverEveryOptionalBranch() {
        List<TelemetryEvent> events = randomEvents(200, 42L);
        assertThat(events).anyMatch(e -> e.getMetric() != null && e.getSecurity() == null);
        assertThat(events).anyMatch(e -> e.getSecurity() != null && e.getPower() != null);
        assertThat(events)
                .anyMatch(e -> e.getSecurity() != null && e.getSecurity().getSrcPort() != null);
        assertThat(events)
                .anyMatch(e -> e.getSecurity() != null && e.getSecurity().getDetail() == null);
        assertThat(events)
                .anyMatch(e -> e.getMetric() != null && e.getMetric().getCpuPercent() == null);
    }

    @Test
    void copyIsDeep() {
        TelemetryEvent original = TestEvents.security("node-00002", TestEvents.T0, 8, "LOGIN");
        TelemetryEvent copy = TelemetryEventSerializer.INSTANCE.copy(original);
        copy.getSecurity().setUser("mallory");
        copy.getNode().setNodeId("node-99999");
        assertThat(original.getSecurity().getUser()).isEqualTo("alice");
        assertThat(original.getNode().getNodeId()).isEqualTo("node-00002");
    }

    /**
     * The binary layout is part of checkpoint compatibility: a change to it must bump {@link
     * TelemetryEventSerializer.Snapshot#LAYOUT} (and this expectation) deliberately.
     */
    @Test
    void layoutOneIsPinned() throws IOException {
        TelemetryEvent event =
                TelemetryEvent.newBuilder(TestEvents.security("n1", 1_000L, 5, "PORT_PROBE"))
                        .setSensorId("s")
                        .setEventId("e")
                        .setNode(
                                NodeIdentity.newBuilder()
                                        .setNodeId("n1")
                                        .setHub("h")
                                        .setRegion("r")
                                        .setCluster("c")
                                        .setSiteId("i")
                                        .setSiteType("t")
                                        .setNodeClass("k")
                                        .build())
                        .setSecurity(SecurityEvent.newBuilder().setKind("P").setDstPort(22).build())
                        .build();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TelemetryEventSerializer.INSTANCE.serialize(event, out);
        // parts (security) | id, hub, region, cluster, node, site, site type, class, sensor as
        // Flink string values (length + 1, chars) | time ms | sequence | security: mask (dst port),
        // kind, user..src ip null, dst ip null, port 22, protocol null, process..detail null
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer()))
                .isEqualTo(
                        "02"
                                + "0265"
                                + "0268027202630"
                                + "36e31"
                                + "02690274026b"
                                + "0273"
                                + "00000000000003e8"
                                + "0000000000000005"
                                + "02"
                                + "0250"
                                + "00000000"
                                + "00"
                                + "00000016"
                                + "00"
                                + "000000");
        assertThat(TelemetryEventSerializer.Snapshot.LAYOUT).isEqualTo(1);
    }

    @Test
    void typeExtractionPicksTheHandWrittenSerializers() {
        PojoTypeInfo<?> ingested = (PojoTypeInfo<?>) TypeInformation.of(IngestedTelemetry.class);
        assertThat(ingested.getTypeAt(ingested.getFieldIndex("event")))
                .isEqualTo(TelemetryEventTypeInfo.INSTANCE);
        assertThat(
                        TypeInformation.of(EnrichedEvent.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(EnrichedEventSerializer.INSTANCE);
        assertThat(
                        TypeInformation.of(RoutedEvent.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(RoutedEventSerializer.INSTANCE);
    }
}
