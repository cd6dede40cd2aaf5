package dev.vigil.operators;

import java.io.Serializable;
import java.util.function.LongSupplier;

/**
 * Source of processing time (epoch ms) for fields such as {@code detected_at}; replaceable in
 * tests. Event-time logic never uses it.
 */
@FunctionalInterface
public interface ProcessingClock extends LongSupplier, Serializable {

    /** The system clock. */
    ProcessingClock SYSTEM = System::currentTimeMillis;
}
