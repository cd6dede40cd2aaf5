package dev.vigil.schema.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TelemetryBinaryReaderTest {

    private final AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);

    @Test
    void isWrittenForTheCurrentSchema() {
        assertThat(SchemaFingerprint.of(TelemetryEvent.getClassSchema()))
                .as(
                        "TelemetryEvent's schema changed: update TelemetryBinaryReader to read it,"
                                + " then its SCHEMA_FINGERPRINT")
                .isEqualTo(TelemetryBinaryReader.SCHEMA_FINGERPRINT);
        assertThat(TelemetryBinaryReader.enabled()).isTrue();
    }

    @Test
    void readsWhatTheCodecReads() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            TelemetryEvent event = randomEvent(random);
            byte[] bytes = codec.encode(event);
            assertThat(TelemetryBinaryReader.read(bytes)).isEqualTo(event);
            assertThat(TelemetryBinaryReader.read(bytes)).isEqualTo(codec.decode(bytes));
        }
    }

    /**
     * Corrupted values (bytes flipped, cut short, extended, or random): whatever the fast path
     * accepts, the codec accepts as the same record; what it declines goes to the codec.
     */
    @Test
    void neverAcceptsWhatTheCodecRejects() {
        Random random = new Random(7);
        int accepted = 0;
        int declined = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = codec.encode(randomEvent(random));
            byte[] corrupt =
                    switch (i % 4) {
                        case 0 -> {
                            byte[] c = bytes.clone();
                            for (int k = 0; k <= random.nextInt(3); k++) {
                                c[random.nextInt(c.length)] = (byte) random.nextInt(256);
                            }
                            yield c;
                        }
                        case 1 -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
                        case 2 -> Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(4));
                        default -> {
                            byte[] c = new byte[random.nextInt(200)];
                            random.nextBytes(c);
                            yield c;
                        }
                    };
            TelemetryEvent fast = TelemetryBinaryReader.read(corrupt);
            TelemetryEvent reference;
            try {
                reference = codec.decode(corrupt);
            } catch (AvroDecodeException e) {
                reference = null;
            }
            if (fast != null) {
                accepted++;
                assertThat(reference)
                        .as("codec result for what the fast path read")
                        .isEqualTo(fast);
            } else {
                declined++;
            }
        }
        // both outcomes were exercised: flipped bytes inside strings and doubles stay readable
        assertThat(accepted).isGreaterThan(1_000);
        assertThat(declined).isGreaterThan(10_000);
    }

    @Test
    void declinesOverlongAndOutOfRangeEncodingsThatTheCodecDecides() throws Exception {
        TelemetryEvent event = randomEvent(new Random(1));
        event.setMetric(null);
        event.setSecurity(null);
        event.setPower(null);
        byte[] bytes = codec.encode(event);
        // the last three bytes are the three null branches (0); 0 written in two bytes is still 0
        byte[] overlong = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, overlong, 0, bytes.length - 1);
        overlong[bytes.length - 1] = (byte) 0x80;
        overlong[bytes.length] = 0;
        assertThat(TelemetryBinaryReader.read(overlong)).isNull();
        assertThat(codec.decode(overlong)).isEqualTo(event);
        assertThat(TelemetryBinaryReader.read(null)).isNull();
    }

    private static TelemetryEvent randomEvent(Random r) {
        NodeIdentity node =
                new NodeIdentity(text(r), text(r), text(r), text(r), text(r), text(r), text(r));
        TelemetryEvent e = new TelemetryEvent();
        e.setEventId(text(r));
        e.setNode(node);
        e.setSensorId(text(r));
        e.setEventTime(Instant.ofEpochMilli(r.nextLong() >> r.nextInt(40)));
        e.setSequence(r.nextBoolean() ? r.nextLong() : r.nextInt(1000));
        switch (r.nextInt(4)) {
            case 0 ->
                    e.setMetric(
                            new MetricSample(
                                    d(r),
                                    d(r),
                                    d(r),
                                    l(r),
                                    l(r),
                                    d(r),
                                    d(r),
                                    d(r),
                                    d(r),
                                    d(r),
                                    r.nextLong() >> r.nextInt(60)));
            case 1 ->
                    e.setSecurity(
                            new SecurityEvent(
                                    text(r), s(r), s(r), s(r), s(r), i(r), s(r), i(r), s(r), l(r),
                                    s(r), s(r), s(r)));
            case 2 -> e.setPower(new PowerSample(d(r), d(r), text(r)));
            default -> {}
        }
        return e;
    }

    private static final List<String> SAMPLES =
            new ArrayList<>(
                    List.of("", "sys", "edge-01-n0042", "Zürich", "✓ ok", "日本語", "x".repeat(300)));

    private static String text(Random r) {
        return SAMPLES.get(r.nextInt(SAMPLES.size())) + (r.nextBoolean() ? r.nextInt() : "");
    }

    private static String s(Random r) {
        return r.nextInt(3) == 0 ? null : text(r);
    }

    private static Double d(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> null;
            case 1 -> -r.nextDouble() * 1e9;
            case 2 -> Double.NaN;
            default -> r.nextDouble() * 100;
        };
    }

    private static Long l(Random r) {
        return r.nextInt(3) == 0 ? null : r.nextLong() >> r.nextInt(64);
    }

    private static Integer i(Random r) {
        return r.nextInt(3) == 0 ? null : r.nextInt() >> r.nextInt(32);
    }
}
