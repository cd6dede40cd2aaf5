package dev.vigil.schema.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.SampleRecords;
import dev.vigil.schema.TelemetryEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    private final AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);

    @Test
    void roundTripsARecordExactly() throws Exception {
        TelemetryEvent event = SampleRecords.metricEvent();

        TelemetryEvent decoded = codec.decode(codec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.getEventTime()).isEqualTo(Instant.parse("2026-11-22T10:15:30.250Z"));
        assertThat(decoded.getMetric().getCpuPercent()).isEqualTo(37.5);
        assertThat(decoded.getMetric().getDiskPercent()).isNull();
        assertThat(decoded.getNode().getNodeClass()).isEqualTo("edge-standard");
    }

    @Test
    void encodingIsPlainAvroBinaryWithoutFraming() {
        byte[] bytes = codec.encode(SampleRecords.metricEvent());

        // The first field is event_id "node-0001-42": zig-zag length 12 -> 0x18, then the UTF-8.
        assertThat(bytes[0]).isEqualTo((byte) 0x18);
        assertThat(new String(Arrays.copyOfRange(bytes, 1, 13))).isEqualTo("node-0001-42");
    }

    @Test
    void truncatedBytesAreRejectedWithTheFieldWhereTheyEnd() {
        byte[] bytes = codec.encode(SampleRecords.metricEvent());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("TelemetryEvent.metric")
                .extracting(e -> ((AvroDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TRUNCATED);
    }

    @Test
    void trailingBytesRevealAnotherSchema() {
        byte[] bytes = codec.encode(SampleRecords.metricEvent());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("ends at byte " + bytes.length)
                .extracting(e -> ((AvroDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TRAILING_BYTES);
    }

    @Test
    void aRecordOfAnotherTypeIsNotReadAsTelemetry() {
        AvroCodec<GridIntensity> gridCodec = AvroCodec.of(GridIntensity.class);
        byte[] grid =
                gridCodec.encode(
                        GridIntensity.newBuilder()
                                .setRegion("eu-west-1")
                                .setValidFrom(Instant.parse("2026-11-22T10:00:00Z"))
                                .setAverageGPerKwh(231.0)
                                .setRenewableShare(0.42)
                                .setProvider("simulator")
                                .build());

        assertThatThrownBy(() -> codec.decode(grid)).isInstanceOf(AvroDecodeException.class);
    }

    @Test
    void aHugeDeclaredLengthIsRejectedBeforeAnythingIsAllocated() {
        // event_id declares 2^31 bytes, followed by only 3 bytes of data.
        byte[] hostile = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10, 'a', 'b', 'c'};

        assertThatThrownBy(() -> codec.decode(hostile))
                .isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("TelemetryEvent.event_id")
                .extracting(e -> ((AvroDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TRUNCATED);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButADecodeException() {
        Random random = new Random(7);
        int rejected = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            try {
                codec.decode(noise);
            } catch (AvroDecodeException e) {
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(10_000);
    }

    @Test
    void anUnknownWriterFingerprintIsRejected() {
        byte[] bytes = codec.encode(SampleRecords.metricEvent());

        assertThatThrownBy(() -> codec.decode(bytes, OptionalLong.of(0x1234L)))
                .isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("0000000000001234")
                .extracting(e -> ((AvroDecodeException) e).failure())
                .isEqualTo(DecodeFailure.UNKNOWN_SCHEMA);
    }

    @Test
    void theReleasedFingerprintIsAccepted() throws Exception {
        long released =
                SchemaFingerprint.of(SchemaCatalog.released("v1", "TelemetryEvent").orElseThrow());
        TelemetryEvent event = SampleRecords.metricEvent();

        assertThat(codec.decode(codec.encode(event), OptionalLong.of(released))).isEqualTo(event);
    }

    @Test
    void fingerprintHeaderBytesRoundTrip() {
        long fingerprint = codec.fingerprint();

        assertThat(SchemaFingerprint.fromBytes(SchemaFingerprint.toBytes(fingerprint)))
                .hasValue(fingerprint);
        assertThat(SchemaFingerprint.fromBytes(new byte[] {1, 2, 3})).isEmpty();
    }
}
