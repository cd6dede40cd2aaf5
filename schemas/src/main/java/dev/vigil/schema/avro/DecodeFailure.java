package dev.vigil.schema.avro;

/** Why bytes could not be read as a record; each code is also a dead-letter reason code. */
public enum DecodeFailure {
    /** The bytes are not a valid Avro encoding of the expected schema (bad union index etc.). */
    NOT_AVRO,
    /** The bytes end before the record does. */
    TRUNCATED,
    /** A complete record was read but bytes remain: usually a record of another schema. */
    TRAILING_BYTES,
    /** The fingerprint header names a writer schema this reader does not know. */
    UNKNOWN_SCHEMA
}
