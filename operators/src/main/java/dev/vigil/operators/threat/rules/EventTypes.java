package dev.vigil.operators.threat.rules;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.schema.TelemetryEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The coarse type of an event used to index rules: {@code metric}, {@code power} or {@code
 * security:<KIND>}. A rule is only offered events of the types its scope can match.
 */
public final class EventTypes {

    public static final List<String> SECURITY_KINDS =
            List.of(
                    "AUTH_SUCCESS",
                    "AUTH_FAILURE",
                    "CONNECTION",
                    "PORT_PROBE",
                    "PROCESS_START",
                    "PRIVILEGE_CHANGE",
                    "ACCOUNT_CREATION",
                    "FILE_ACCESS",
                    "CONFIG_CHANGE");

    public static final String METRIC = "metric";
    public static final String POWER = "power";

    /** Every type. */
    public static final Set<String> ALL;

    static {
        Set<String> all = new LinkedHashSet<>();
        all.add(METRIC);
        all.add(POWER);
        for (String kind : SECURITY_KINDS) {
            all.add(security(kind));
        }
        ALL = Set.copyOf(all);
    }

    /** Every security type. */
    public static final Set<String> ALL_SECURITY =
            Set.copyOf(SECURITY_KINDS.stream().map(EventTypes::security).toList());

    private EventTypes() {}

    public static String security(String kind) {
        return "security:" + kind;
    }

    /** The type of {@code event}. */
    public static String of(EnrichedEvent event) {
        return of(event.event);
    }

    /** The type of {@code event}. */
    public static String of(TelemetryEvent event) {
        if (event.getMetric() != null) {
            return METRIC;
        }
        if (event.getPower() != null) {
            return POWER;
        }
        return security(event.getSecurity().getKind());
    }
}
