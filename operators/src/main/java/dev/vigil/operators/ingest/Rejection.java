package dev.vigil.operators.ingest;

import java.util.Objects;

/** Why a record is rejected: a reason code and a message that names the offending field. */
public final class Rejection {

    private final RejectReason reason;
    private final String message;

    public Rejection(RejectReason reason, String message) {
        this.reason = Objects.requireNonNull(reason);
        this.message = Objects.requireNonNull(message);
    }

    public RejectReason reason() {
        return reason;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return reason + ": " + message;
    }
}
