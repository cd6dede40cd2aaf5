package dev.vigil.operators.ingest;

import static dev.vigil.operators.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.TestEvents;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import dev.vigil.schema.identity.NodeIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TelemetryDecoderTest {

    private static final long DETECTED_AT = 1_800_000_000_000L;

    private final AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
    private final TelemetryDecoder decoder =
            new TelemetryDecoder(
                    TelemetryValidator.withDefaults(),
                    new DeadLetterFactory("node-health", () -> DETECTED_AT));

    @Test
    void decodesAValidEventWithItsSourceCoordinates() {
        TelemetryEvent event = TestEvents.metric("node-7", T0, 3, 12.5, 30.0);

        IngestedTelemetry result = decoder.decode(record(7, codec.encode(event), true));

        assertThat(result.isValid()).isTrue();
        assertThat(result.event).isEqualTo(event);
        assertThat(result.partition).isEqualTo(2);
        assertThat(result.offset).isEqualTo(7L);
    }

    @Test
    void anOversizedRecordIsADeadLetterThatKeepsOnlyABoundedPrefixItsSizeAndHash()
            throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        new java.util.Random(7).nextBytes(huge);

        DeadLetter letter = rejected(record(10, huge, true));

        assertThat(letter.getReasonCode()).isEqualTo("RECORD_TOO_LARGE");
        assertThat(letter.getReason())
                .isEqualTo(
                        "the value has 2097152 bytes, more than the 65536 a telemetry record may"
                                + " have");
        assertThat(bytes(letter.getValue()))
                .isEqualTo(java.util.Arrays.copyOf(huge, DeadLetterFactory.MAX_VALUE_BYTES));
        assertThat(letter.getValueSize()).isEqualTo(2_097_152L);
        assertThat(bytes(letter.getValueSha256()))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(huge));
        assertThat(letter.getTruncated()).isTrue();
        assertThat(AvroCodec.of(DeadLetter.class).encode(letter).length).isLessThan(20_000);
    }

    @Test
    void aProducerCannotVouchForItsOwnFutureDatedEvent() {
        long fiftyMinutes = 50 * 60_000L;
        TelemetryEvent ahead = TestEvents.metric("node-7", T0 + fiftyMinutes, 3, 12.5, 30.0);
        TelemetryDecoder atT0 =
                new TelemetryDecoder(
                        TelemetryValidator.withDefaults(),
                        new DeadLetterFactory("node-health", () -> DETECTED_AT),
                        TelemetryDecoder.DEFAULT_MAX_RECORD_BYTES,
                        () -> T0);
        // the record's CreateTime matches the event: only the reader's clock gives it away
        ConsumerRecord<byte[], byte[]> forged =
                new ConsumerRecord<>(
                        "telemetry",
                        2,
                        11,
                        T0 + fiftyMinutes,
                        TimestampType.CREATE_TIME,
                        0,
                        0,
                        null,
                        codec.encode(ahead),
                        new RecordHeaders(),
                        Optional.empty());

        IngestedTelemetry result = atT0.decode(forged);

        assertThat(result.deadLetter.getReasonCode()).isEqualTo("TIMESTAMP_IN_FUTURE");
        assertThat(result.deadLetter.getReason())
                .isEqualTo(
                        "event_time 2026-11-22T10:50:00Z is PT50M ahead of its reference time"
                                + " 2026-11-22T10:00:00Z (the Kafka record timestamp, capped by"
                                + " the reader's clock; at most PT5M allowed)");
    }

    @Test
    void acceptsRecordsWithoutAFingerprintHeaderAsCurrentSchema() {
        TelemetryEvent event = TestEvents.metric("node-7", T0, 3, 12.5, 30.0);

        assertThat(decoder.decode(record(8, codec.encode(event), false)).event).isEqualTo(event);
    }

    @Test
    void aTombstoneIsADeadLetter() {
        DeadLetter letter = rejected(record(9, null, false));

        assertThat(letter.getReasonCode()).isEqualTo("EMPTY_VALUE");
        assertThat(letter.getReason()).isEqualTo("the record has no value (tombstone)");
        assertThat(letter.getValue()).isNull();
    }

    @Test
    void randomBytesAreKeptWholeWithSourceCoordinatesAndReason() {
        byte[] noise = {(byte) 0x9d, 0x13, (byte) 0xff, 0x02, 0x77};

        DeadLetter letter = rejected(record(10, noise, false));

        // 0x9d 0x13 is the varint 2461, zig-zag -1231: a negative length for event_id
        assertThat(letter.getReasonCode()).isEqualTo("NOT_AVRO");
        assertThat(letter.getReason())
                .isEqualTo("field 'TelemetryEvent.event_id' at byte 0: negative length -1231");
        assertThat(letter.getSourceTopic()).isEqualTo("telemetry");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(10L);
        assertThat(letter.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(bytes(letter.getValue())).isEqualTo(noise);
        assertThat(bytes(letter.getKey())).isEqualTo("node-7".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.getJob()).isEqualTo("node-health");
        assertThat(letter.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(DETECTED_AT));
    }

    @Test
    void truncatedAvroIsRejectedAsTruncated() {
        byte[] valid = codec.encode(TestEvents.metric("node-7", T0, 3, 12.5, 30.0));

        DeadLetter letter = rejected(record(11, Arrays.copyOf(valid, valid.length / 2), true));

        assertThat(letter.getReasonCode()).isEqualTo("TRUNCATED");
        assertThat(letter.getReason()).startsWith("value ends at byte " + valid.length / 2);
    }

    @Test
    void aRecordOfAnotherSchemaWithItsOwnFingerprintIsAnUnknownSchema() {
        AvroCodec<GridIntensity> grid = AvroCodec.of(GridIntensity.class);
        byte[] value = grid.encode(gridIntensity());
        ConsumerRecord<byte[], byte[]> record = record(12, value, false);
        record.headers()
                .add(
                        new RecordHeader(
                                VigilHeaders.SCHEMA_FINGERPRINT,
                                SchemaFingerprint.toBytes(grid.fingerprint())));

        DeadLetter letter = rejected(record);

        assertThat(letter.getReasonCode()).isEqualTo("UNKNOWN_SCHEMA");
        assertThat(letter.getReason())
                .isEqualTo(
                        "writer schema fingerprint "
                                + SchemaFingerprint.toHex(grid.fingerprint())
                                + " is not a known version of dev.vigil.schema.TelemetryEvent");
        assertThat(letter.getHeaders()).containsKey(VigilHeaders.SCHEMA_FINGERPRINT);
    }

    @Test
    void aRecordOfAnotherSchemaWithoutHeaderFailsToDecode() {
        AvroCodec<GridIntensity> grid = AvroCodec.of(GridIntensity.class);
        byte[] value = grid.encode(gridIntensity());

        DeadLetter letter = rejected(record(13, value, false));
        // read as a TelemetryEvent, the GridIntensity bytes run out inside node.hub
        assertThat(letter.getReasonCode()).isEqualTo("TRUNCATED");
        assertThat(letter.getReason())
                .isEqualTo(
                        "value ends at byte 38 inside field 'TelemetryEvent.node.hub' (started at"
                                + " byte 16)");
    }

    @Test
    void aMalformedFingerprintHeaderIsAnUnknownSchema() {
        ConsumerRecord<byte[], byte[]> record =
                record(14, codec.encode(TestEvents.metric("n", T0, 0, 1, 1)), false);
        record.headers().add(VigilHeaders.SCHEMA_FINGERPRINT, new byte[] {1, 2});

        DeadLetter letter = rejected(record);

        assertThat(letter.getReasonCode()).isEqualTo("UNKNOWN_SCHEMA");
        assertThat(letter.getReason())
                .isEqualTo("header vigil.schema.fingerprint must hold 8 bytes, found 2");
    }

    @Test
    void validationFailuresBecomeDeadLettersWithTheirReason() {
        TelemetryEvent noNode = TestEvents.metric("", T0, 0, 1, 1);

        DeadLetter letter = rejected(record(15, codec.encode(noNode), true));

        assertThat(letter.getReasonCode()).isEqualTo("MISSING_FIELD");
        assertThat(letter.getReason()).isEqualTo("node.node_id is empty");
    }

    private static GridIntensity gridIntensity() {
        return GridIntensity.newBuilder()
                .setRegion("eu-west-1")
                .setValidFrom(Instant.ofEpochMilli(T0))
                .setAverageGPerKwh(200.0)
                .setRenewableShare(0.3)
                .setProvider("test")
                .build();
    }

    @Test
    void withNodeIdentityOnlyTheNamedNodesOwnMacIsAccepted() {
        byte[] fleetKey = new byte[NodeIdentity.KEY_BYTES];
        Arrays.fill(fleetKey, (byte) 7);
        NodeIdentity fleet = NodeIdentity.ofFleetKey(fleetKey);
        TelemetryDecoder checking =
                new TelemetryDecoder(
                        TelemetryValidator.withDefaults(),
                        new DeadLetterFactory("node-health", () -> DETECTED_AT),
                        TelemetryDecoder.DEFAULT_MAX_RECORD_BYTES,
                        () -> DETECTED_AT,
                        fleet);
        byte[] asNode7 = codec.encode(TestEvents.metric("node-7", T0, 3, 12.5, 30.0));
        byte[] asNode8 = codec.encode(TestEvents.metric("node-8", T0, 3, 12.5, 30.0));
        // what node-7 is given, and only node-7: its own key
        byte[] node7Key = fleet.nodeKey("node-7");

        ConsumerRecord<byte[], byte[]> own = record(1, asNode7, true);
        own.headers().add(NodeIdentity.HEADER, NodeIdentity.sign(node7Key, asNode7));
        assertThat(checking.decode(own).isValid()).isTrue();

        ConsumerRecord<byte[], byte[]> impersonating = record(2, asNode8, true);
        impersonating.headers().add(NodeIdentity.HEADER, NodeIdentity.sign(node7Key, asNode8));
        DeadLetter d = checking.decode(impersonating).deadLetter;
        assertThat(d.getReasonCode()).isEqualTo("NODE_IDENTITY_MISMATCH");
        assertThat(d.getReason())
                .isEqualTo("the vigil.node.mac header is not node-8's MAC over this value");

        // a MAC copied from another record does not fit this one
        ConsumerRecord<byte[], byte[]> replayedMac = record(3, asNode8, true);
        replayedMac.headers().add(NodeIdentity.HEADER, NodeIdentity.sign(node7Key, asNode7));
        assertThat(checking.decode(replayedMac).deadLetter.getReasonCode())
                .isEqualTo("NODE_IDENTITY_MISMATCH");

        DeadLetter anonymous = checking.decode(record(4, asNode7, true)).deadLetter;
        assertThat(anonymous.getReasonCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.getReason())
                .isEqualTo("no vigil.node.mac header: the node is not known");

        // without node identity the same records are taken as they are
        assertThat(decoder.decode(record(5, asNode8, true)).isValid()).isTrue();
    }

    private DeadLetter rejected(ConsumerRecord<byte[], byte[]> record) {
        IngestedTelemetry result = decoder.decode(record);
        assertThat(result.isValid()).isFalse();
        assertThat(result.partition).isEqualTo(record.partition());
        assertThat(result.offset).isEqualTo(record.offset());
        return result.deadLetter;
    }

    private ConsumerRecord<byte[], byte[]> record(long offset, byte[] value, boolean header) {
        RecordHeaders headers = new RecordHeaders();
        if (header) {
            headers.add(
                    VigilHeaders.SCHEMA_FINGERPRINT,
                    SchemaFingerprint.toBytes(codec.fingerprint()));
        }
        return new ConsumerRecord<>(
                "telemetry",
                2,
                offset,
                T0,
                TimestampType.CREATE_TIME,
                0,
                value == null ? 0 : value.length,
                "node-7".getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
