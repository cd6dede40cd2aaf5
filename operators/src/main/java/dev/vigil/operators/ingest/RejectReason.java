package dev.vigil.operators.ingest;

/**
 * Reason codes of dead letters written by the ingest path; {@link DeadLetterFactory} stores the
 * name in {@code DeadLetter.reason_code}. Decode failures reuse the codes of {@code
 * dev.vigil.schema.avro.DecodeFailure}.
 */
public enum RejectReason {
    /** The Kafka record has no value (a tombstone) or an empty one. */
    EMPTY_VALUE,
    /** See {@code DecodeFailure.NOT_AVRO}. */
    NOT_AVRO,
    /** See {@code DecodeFailure.TRUNCATED}. */
    TRUNCATED,
    /** See {@code DecodeFailure.TRAILING_BYTES}. */
    TRAILING_BYTES,
    /** See {@code DecodeFailure.UNKNOWN_SCHEMA}. */
    UNKNOWN_SCHEMA,
    /** A required id or name is empty. */
    MISSING_FIELD,
    /** A value is outside its documented domain (unknown kind, NaN, negative counter...). */
    INVALID_VALUE,
    /** None of metric, security and power is set. */
    NO_PAYLOAD,
    /** More than one of metric, security and power is set. */
    MULTIPLE_PAYLOADS,
    /** The event time lies before 2000-01-01T00:00:00Z. */
    TIMESTAMP_TOO_OLD,
    /** The event time lies further ahead of the Kafka record timestamp than allowed. */
    TIMESTAMP_IN_FUTURE,
    /** The event arrived after its window's allowed lateness had passed. */
    LATE_EVENT,
    /** A model update that must not serve: bad hash, metadata, file or canary output. */
    MODEL_REJECTED
}
