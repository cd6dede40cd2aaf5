package dev.vigil.operators.kafka;

import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record's headers as the lookup that signature checks take ({@code
 * dev.vigil.audit.RecordSignatures#verify}): a header's last value by name, or null.
 */
public final class HeaderValues {

    private HeaderValues() {}

    /** The last value of each header of {@code headers}, by name; null when absent. */
    public static Function<String, byte[]> of(Headers headers) {
        return name -> {
            Header h = headers.lastHeader(name);
            return h == null ? null : h.value();
        };
    }
}
