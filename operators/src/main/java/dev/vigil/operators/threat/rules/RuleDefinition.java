package dev.vigil.operators.threat.rules;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A validated rule: what it detects, how to correlate events, and alert hygiene. Produced only by
 * {@link RuleParser}; compiled to a Flink CEP pattern by the engine.
 *
 * @param id stable id (state is kept under it across versions)
 * @param version positive; an update must raise it
 * @param title one line for people
 * @param description what and why
 * @param severity weight in the risk score
 * @param mitre MITRE ATT&CK technique id, or null for operational rules
 * @param enabled false keeps the rule loaded but not running
 * @param groupBy the key shape the rule correlates on
 * @param scope which events the rule observes (contiguity is counted over these)
 * @param steps the pattern
 * @param within the whole match must fit in this time
 * @param suppressFor after an alert, further matches of the same group key are counted, not
 *     alerted, for this long
 * @param exceptions events matching any of these never reach the rule (allow-list)
 * @param source the JSON the rule was parsed from
 */
public record RuleDefinition(
        String id,
        int version,
        String title,
        String description,
        Severity severity,
        String mitre,
        boolean enabled,
        List<GroupAttribute> groupBy,
        Condition scope,
        List<StepDefinition> steps,
        Duration within,
        Duration suppressFor,
        List<Condition> exceptions,
        String source)
        implements Serializable {

    /** Key shape name, e.g. {@code node+src_ip}. */
    public String keyShape() {
        return keyShape(groupBy);
    }

    public static String keyShape(List<GroupAttribute> attributes) {
        return attributes.stream().map(GroupAttribute::json).collect(Collectors.joining("+"));
    }

    /** A copy with {@code enabled} changed. */
    public RuleDefinition withEnabled(boolean enabled) {
        return new RuleDefinition(
                id,
                version,
                title,
                description,
                severity,
                mitre,
                enabled,
                groupBy,
                scope,
                steps,
                within,
                suppressFor,
                exceptions,
                source);
    }
}
