package dev.vigil.schema.avro;

/** Bytes that could not be decoded, with a machine-readable {@link DecodeFailure} and a reason. */
public final class AvroDecodeException extends Exception {

    private final DecodeFailure failure;

    public AvroDecodeException(DecodeFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public AvroDecodeException(DecodeFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** The reason code. */
    public DecodeFailure failure() {
        return failure;
    }
}
