package dev.vigil.schema.avro;

import java.util.List;
import org.apache.avro.Schema;

/**
 * Walks Avro binary data against a schema without materialising it, so that hostile or random bytes
 * are rejected with a precise reason before a decoder allocates anything.
 *
 * <p>Avro's decoders trust length prefixes: random bytes that happen to start with a large varint
 * make {@code BinaryDecoder} allocate a buffer of that size before noticing the data is missing.
 * One job-wide out-of-memory error from one bad record would violate "bad input never fails a job",
 * so every length, union branch and collection count is checked against the bytes that are actually
 * there.
 */
final class AvroBinaryGuard {

    /** Upper bound on items of a collection whose items may encode to zero bytes. */
    private static final long MAX_ZERO_SIZE_ITEMS = 1_000_000L;

    private final byte[] bytes;
    private int pos;

    private AvroBinaryGuard(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Verifies that {@code bytes} hold exactly one datum of {@code schema}.
     *
     * @throws AvroDecodeException naming the field and byte offset of the first problem
     */
    static void check(Schema schema, byte[] bytes) throws AvroDecodeException {
        AvroBinaryGuard guard = new AvroBinaryGuard(bytes);
        guard.walk(schema, schema.getName());
        if (guard.pos != bytes.length) {
            throw new AvroDecodeException(
                    DecodeFailure.TRAILING_BYTES,
                    String.format(
                            "a complete %s ends at byte %d but the value has %d bytes: not a %s"
                                    + " (another schema?)",
                            schema.getName(), guard.pos, bytes.length, schema.getName()));
        }
    }

    private void walk(Schema schema, String path) throws AvroDecodeException {
        switch (schema.getType()) {
            case NULL:
                return;
            case BOOLEAN:
                int b = take(1, path);
                if (bytes[b] != 0 && bytes[b] != 1) {
                    throw notAvro(path, b, "boolean byte " + (bytes[b] & 0xff) + " is not 0 or 1");
                }
                return;
            case INT:
                readVarLong(path, 5);
                return;
            case LONG:
                readVarLong(path, 10);
                return;
            case FLOAT:
                take(4, path);
                return;
            case DOUBLE:
                take(8, path);
                return;
            case STRING:
            case BYTES:
                int at = pos;
                long length = readVarLong(path, 10);
                if (length < 0) {
                    throw notAvro(path, at, "negative length " + length);
                }
                take(length, path);
                return;
            case FIXED:
                take(schema.getFixedSize(), path);
                return;
            case ENUM:
                int enumAt = pos;
                long symbol = readVarLong(path, 5);
                if (symbol < 0 || symbol >= schema.getEnumSymbols().size()) {
                    throw notAvro(path, enumAt, "enum index " + symbol + " out of range");
                }
                return;
            case UNION:
                int unionAt = pos;
                long branch = readVarLong(path, 5);
                List<Schema> types = schema.getTypes();
                if (branch < 0 || branch >= types.size()) {
                    throw notAvro(
                            path,
                            unionAt,
                            "union branch " + branch + " does not exist (" + types.size() + ")");
                }
                walk(types.get((int) branch), path);
                return;
            case RECORD:
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), path + "." + field.name());
                }
                return;
            case ARRAY:
                walkBlocks(schema.getElementType(), false, path + "[]");
                return;
            case MAP:
                walkBlocks(schema.getValueType(), true, path + "{}");
                return;
            default:
                throw new IllegalStateException("unhandled Avro type " + schema.getType());
        }
    }

    private void walkBlocks(Schema item, boolean map, String path) throws AvroDecodeException {
        long minItemBytes = (map ? 1 : 0) + minEncodedSize(item);
        while (true) {
            int at = pos;
            long count = readVarLong(path, 10);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                long blockBytes = readVarLong(path, 10);
                if (blockBytes < 0) {
                    throw notAvro(path, at, "negative block size " + blockBytes);
                }
            }
            long remaining = bytes.length - pos;
            if (minItemBytes == 0
                    ? count > MAX_ZERO_SIZE_ITEMS
                    : count > remaining / minItemBytes) {
                throw new AvroDecodeException(
                        DecodeFailure.TRUNCATED,
                        String.format(
                                "field '%s' at byte %d declares %d items but only %d bytes remain",
                                path, at, count, remaining));
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    walk(Schema.create(Schema.Type.STRING), path + ".key");
                }
                walk(item, path);
            }
        }
    }

    /** Smallest number of bytes any datum of the schema can encode to. */
    private static long minEncodedSize(Schema schema) {
        switch (schema.getType()) {
            case NULL:
                return 0;
            case FLOAT:
                return 4;
            case DOUBLE:
                return 8;
            case FIXED:
                return schema.getFixedSize();
            case RECORD:
                long sum = 0;
                for (Schema.Field field : schema.getFields()) {
                    sum += minEncodedSize(field.schema());
                }
                return sum;
            default:
                // every other type starts with at least one byte (a varint, a length or a branch)
                return 1;
        }
    }

    private long readVarLong(String path, int maxBytes) throws AvroDecodeException {
        int start = pos;
        long raw = 0;
        int shift = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= bytes.length) {
                throw truncated(path, start);
            }
            int b = bytes[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1); // zig-zag
            }
            shift += 7;
        }
        throw notAvro(path, start, "varint longer than " + maxBytes + " bytes");
    }

    private int take(long n, String path) throws AvroDecodeException {
        if (n > bytes.length - pos) {
            throw truncated(path, pos);
        }
        int at = pos;
        pos += (int) n;
        return at;
    }

    private AvroDecodeException truncated(String path, int at) {
        return new AvroDecodeException(
                DecodeFailure.TRUNCATED,
                String.format(
                        "value ends at byte %d inside field '%s' (started at byte %d)",
                        bytes.length, path, at));
    }

    private static AvroDecodeException notAvro(String path, int at, String what) {
        return new AvroDecodeException(
                DecodeFailure.NOT_AVRO, String.format("field '%s' at byte %d: %s", path, at, what));
    }
}
