package dev.vigil.schema.avro;

import dev.vigil.schema.MetricSample;
import dev.vigil.schema.NodeIdentity;
import dev.vigil.schema.PowerSample;
import dev.vigil.schema.SecurityEvent;
import dev.vigil.schema.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A hand-written reader of {@link TelemetryEvent}s written with the current schema: one pass over
 * the bytes, no schema walk, no reflection. It is the fast path of telemetry decoding, the hottest
 * code of every job that reads telemetry (docs/BENCHMARKS.md); {@link AvroCodec} remains the
 * reference.
 *
 * <p>It only ever accepts what {@link AvroCodec#decode} accepts, and returns the same record: any
 * byte sequence it is not sure of — a truncated value, trailing bytes, a union branch that does not
 * exist, an over-long or out-of-range varint, a negative length — makes it return null, and the
 * caller decodes with the codec, which names the problem. If the schema of {@code TelemetryEvent}
 * changes, the reader turns itself off ({@link #enabled()}) until it is updated: a test fails
 * first.
 *
 * <p>Stateless and thread-safe.
 */
public final class TelemetryBinaryReader {

    /** Fingerprint of the schema this reader was written for. */
    static final long SCHEMA_FINGERPRINT = 0x75945bf759bf494dL;

    private static final boolean ENABLED =
            SchemaFingerprint.of(TelemetryEvent.getClassSchema()) == SCHEMA_FINGERPRINT;

    /** Thrown inside the reader when the bytes need the codec; never escapes. */
    private static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private int pos;

    private TelemetryBinaryReader(byte[] bytes) {
        this.b = bytes;
    }

    /** Whether the reader matches the current schema; when not, {@link #read} always declines. */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * The event in {@code bytes}, written with the current schema; null when the bytes need {@link
     * AvroCodec#decode} (which then accepts them or says why not).
     */
    public static TelemetryEvent read(byte[] bytes) {
        if (!ENABLED || bytes == null) {
            return null;
        }
        TelemetryBinaryReader r = new TelemetryBinaryReader(bytes);
        try {
            TelemetryEvent e = r.event();
            return r.pos == bytes.length ? e : null;
        } catch (Fallback f) {
            return null;
        }
    }

    private TelemetryEvent event() throws Fallback {
        String eventId = string();
        NodeIdentity node =
                new NodeIdentity(
                        string(), string(), string(), string(), string(), string(), string());
        String sensorId = string();
        Instant eventTime = Instant.ofEpochMilli(varLong());
        long sequence = varLong();
        MetricSample metric = branch() ? metric() : null;
        SecurityEvent security = branch() ? security() : null;
        PowerSample power = branch() ? power() : null;
        return new TelemetryEvent(
                eventId, node, sensorId, eventTime, sequence, metric, security, power);
    }

    private MetricSample metric() throws Fallback {
        return new MetricSample(
                optionalDouble(),
                optionalDouble(),
                optionalDouble(),
                optionalLong(),
                optionalLong(),
                optionalDouble(),
                optionalDouble(),
                optionalDouble(),
                optionalDouble(),
                optionalDouble(),
                varLong());
    }

    private SecurityEvent security() throws Fallback {
        return new SecurityEvent(
                string(),
                optionalString(),
                optionalString(),
                optionalString(),
                optionalString(),
                optionalInt(),
                optionalString(),
                optionalInt(),
                optionalString(),
                optionalLong(),
                optionalString(),
                optionalString(),
                optionalString());
    }

    private PowerSample power() throws Fallback {
        return new PowerSample(optionalDouble(), optionalDouble(), string());
    }

    /** A ["null", T] union: false for null, true for T. */
    private boolean branch() throws Fallback {
        if (pos >= b.length) {
            throw Fallback.INSTANCE;
        }
        int index = b[pos++];
        if (index == 0) {
            return false;
        }
        if (index == 2) { // zig-zag 1
            return true;
        }
        throw Fallback.INSTANCE;
    }

    private Double optionalDouble() throws Fallback {
        return branch() ? doubleValue() : null;
    }

    private Long optionalLong() throws Fallback {
        return branch() ? varLong() : null;
    }

    private Integer optionalInt() throws Fallback {
        return branch() ? varInt() : null;
    }

    private String optionalString() throws Fallback {
        return branch() ? string() : null;
    }

    private double doubleValue() throws Fallback {
        if (b.length - pos < 8) {
            throw Fallback.INSTANCE;
        }
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (b[pos + i] & 0xffL);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    private String string() throws Fallback {
        long length = varLong();
        if (length < 0 || length > b.length - pos) {
            throw Fallback.INSTANCE;
        }
        int n = (int) length;
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A zig-zag varint of at most 10 bytes that fits a long without overflow. */
    private long varLong() throws Fallback {
        long raw = 0;
        for (int i = 0; i < 10; i++) {
            if (pos >= b.length) {
                throw Fallback.INSTANCE;
            }
            int x = b[pos++] & 0xff;
            if (i == 9 && x > 1) {
                throw Fallback.INSTANCE;
            }
            raw |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw Fallback.INSTANCE;
    }

    /** A zig-zag varint of at most 5 bytes that fits an int without overflow. */
    private int varInt() throws Fallback {
        long raw = 0;
        for (int i = 0; i < 5; i++) {
            if (pos >= b.length) {
                throw Fallback.INSTANCE;
            }
            int x = b[pos++] & 0xff;
            if (i == 4 && x > 0x0f) {
                throw Fallback.INSTANCE;
            }
            raw |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                return (int) ((raw >>> 1) ^ -(raw & 1));
            }
        }
        throw Fallback.INSTANCE;
    }
}
