package dev.vigil.operators.ingest;

/**
 * Reason codes of dead letters written by the ingest path; {@link DeadLetterFactory} stores the
 * name in {@code DeadLetter.reason_code}. Decode failures reuse the codes of {@code
 * dev.vigil.schema.avro.DecodeFailure}.
 */
public enum RejectReason {
    /** The Kafka record has no value (a tombstone) or an empty one. */
    EMPTY_VALUE,
    /** The value is larger than the input's maximum record size. */
    RECORD_TOO_LARGE,
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
    /**
     * The event time lies further ahead of the record's reference time (its Kafka timestamp, capped
     * by the reader's clock) than allowed.
     */
    TIMESTAMP_IN_FUTURE,
    /** The event arrived after its window's allowed lateness had passed. */
    LATE_EVENT,
    /** Another event with the same id and event time but different content was read first. */
    CONFLICTING_DUPLICATE,
    /** A model update that must not serve: bad hash, metadata, file or canary output. */
    MODEL_REJECTED,
    /** An approval or agent report for a command this job never planned. */
    UNKNOWN_COMMAND,
    /** Node identity is required and the record carries no node MAC header. */
    UNAUTHENTICATED,
    /** The record's node MAC is not the MAC of the node it claims to come from. */
    NODE_IDENTITY_MISMATCH,
    /** A control record (rule command, model update, approval) without an author signature. */
    UNSIGNED,
    /** A control record signed with a key that is not in the trust store of authors. */
    UNKNOWN_SIGNER,
    /** A control record signed with a revoked author key. */
    REVOKED_SIGNER,
    /** A control record whose signature does not verify over the bytes received. */
    BAD_SIGNATURE,
    /** A control record signed by an author who may not sign its kind (an operator's approval). */
    SIGNER_NOT_AUTHORIZED,
    /** A control record whose time lies outside its author key's validity. */
    SIGNER_OUTSIDE_VALIDITY
}
