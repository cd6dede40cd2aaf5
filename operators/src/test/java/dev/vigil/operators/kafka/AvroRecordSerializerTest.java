package dev.vigil.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroRecordSerializerTest {

    private final GridIntensity record =
            GridIntensity.newBuilder()
                    .setRegion("eu-west-1")
                    .setValidFrom(Instant.parse("2026-11-22T10:00:00Z"))
                    .setAverageGPerKwh(210.5)
                    .setRenewableShare(0.4)
                    .setProvider("test")
                    .build();

    private final AvroRecordSerializer<GridIntensity> serializer =
            new AvroRecordSerializer<>(
                    "grid-intensity",
                    GridIntensity.class,
                    GridIntensity::getRegion,
                    g -> g.getValidFrom().toEpochMilli());

    @Test
    void writesPlainAvroWithKeyTimestampAndSchemaHeaders() throws Exception {
        ProducerRecord<byte[], byte[]> out = serializer.serialize(record, null, 99L);

        AvroCodec<GridIntensity> codec = AvroCodec.of(GridIntensity.class);
        assertThat(out.topic()).isEqualTo("grid-intensity");
        assertThat(out.partition()).isNull();
        assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("eu-west-1");
        assertThat(out.timestamp()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli());
        assertThat(out.value()).isEqualTo(codec.encode(record));
        assertThat(out.headers().lastHeader("vigil.schema.fingerprint").value())
                .isEqualTo(SchemaFingerprint.toBytes(codec.fingerprint()));
        assertThat(
                        new String(
                                out.headers().lastHeader("vigil.schema.name").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("dev.vigil.schema.GridIntensity");
    }

    @Test
    void aNegativeTimestampIsLeftToTheProducer() {
        AvroRecordSerializer<GridIntensity> noTime =
                new AvroRecordSerializer<>(
                        "t", GridIntensity.class, GridIntensity::getRegion, g -> -1L);

        assertThat(noTime.serialize(record, null, null).timestamp()).isNull();
    }

    @Test
    void namesItsTopicForPooledTransactionalIds() {
        assertThat(serializer.getKafkaDatasetFacet().orElseThrow().getTopicIdentifier())
                .isEqualTo(
                        DefaultKafkaDatasetIdentifier.ofTopics(
                                java.util.List.of("grid-intensity")));
    }
}
