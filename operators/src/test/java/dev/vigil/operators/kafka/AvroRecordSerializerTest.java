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
    void aSignedSerializerSignsTheValueBytesItWritesForItsTopic() throws Exception {
        dev.vigil.audit.HybridSigner signer =
                dev.vigil.audit.HybridSigner.generate(
                        "key-0003", java.security.SecureRandom.getInstance("SHA1PRNG"));
        AvroRecordSerializer<GridIntensity> signed = serializer.signedWith(() -> signer);
        signed.open(null, null);
        ProducerRecord<byte[], byte[]> out = signed.serialize(record, null, 99L);

        assertThat(out.value()).isEqualTo(AvroCodec.of(GridIntensity.class).encode(record));
        assertThat(
                        dev.vigil.audit.RecordSignatures.verify(
                                "grid-intensity",
                                out.value(),
                                HeaderValues.of(out.headers()),
                                java.util.Map.of("key-0003", signer.publicKeys()),
                                dev.vigil.audit.KeyRevocations.none()))
                .isEqualTo(dev.vigil.audit.RecordSignatures.Outcome.VALID);
        // the unsigned serializer adds no signature
        assertThat(serializer.serialize(record, null, 99L).headers().lastHeader("vigil.sig.key"))
                .isNull();
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
