package dev.vigil.schema.avro;

/** Names of the Kafka record headers that Vigil producers write and readers understand. */
public final class VigilHeaders {

    /**
     * Writer-schema fingerprint of the record value: 8 bytes, big-endian CRC-64-AVRO of the
     * schema's Parsing Canonical Form (see {@link SchemaFingerprint}).
     */
    public static final String SCHEMA_FINGERPRINT = "vigil.schema.fingerprint";

    /** Full name of the record value's Avro schema, e.g. {@code dev.vigil.schema.ThreatAlert}. */
    public static final String SCHEMA_NAME = "vigil.schema.name";

    private VigilHeaders() {}
}
