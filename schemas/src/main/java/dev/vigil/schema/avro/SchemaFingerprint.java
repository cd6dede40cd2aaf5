package dev.vigil.schema.avro;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The 64-bit CRC-64-AVRO fingerprint of a schema's Parsing Canonical Form, as the Avro
 * specification defines it. Two schemas with the same fingerprint encode data identically, so the
 * fingerprint in a record header tells a reader which writer schema produced the bytes.
 */
public final class SchemaFingerprint {

    private SchemaFingerprint() {}

    /** Fingerprint of {@code schema}. */
    public static long of(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Big-endian 8-byte form used in the {@link VigilHeaders#SCHEMA_FINGERPRINT} header. */
    public static byte[] toBytes(long fingerprint) {
        return ByteBuffer.allocate(Long.BYTES).putLong(fingerprint).array();
    }

    /** Reads a header value written by {@link #toBytes(long)}; empty when it is not 8 bytes. */
    public static OptionalLong fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != Long.BYTES) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(bytes).getLong());
    }

    /** Hex form for messages and logs. */
    public static String toHex(long fingerprint) {
        return String.format("%016x", fingerprint);
    }
}
