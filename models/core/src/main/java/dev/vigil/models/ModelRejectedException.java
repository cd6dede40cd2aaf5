package dev.vigil.models;

/** A model that must not serve; the message says why, naming the offending part. */
public final class ModelRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelRejectedException(String reason) {
        super(reason);
    }

    public ModelRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
