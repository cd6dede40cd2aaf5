package dev.vigil.operators.ingest;

import java.io.Serializable;

/**
 * Checks a decoded record of a control or side input against bounds its schema cannot express; a
 * violation becomes a dead letter with the returned reason.
 */
@FunctionalInterface
public interface RecordValidator<T> extends Serializable {

    /**
     * @param referenceTime the record's reference time ({@code EventTimes.referenceTime})
     * @return why the record is rejected, or null when it is fine
     */
    Rejection check(T record, long referenceTime);

    /** Accepts every readable record. */
    static <T> RecordValidator<T> none() {
        return (record, referenceTime) -> null;
    }
}
