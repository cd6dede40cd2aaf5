package dev.vigil.operators.threat.engine;

import java.util.Objects;

/**
 * What the {@code rules} topic changed about one rule, kept in checkpointed broadcast state: a
 * replacement definition, an enabled flag, or deletion. A Flink POJO.
 */
public class RuleOverride {

    /** Version in force. */
    public int version;

    /** Whether the rule runs. */
    public boolean enabled;

    /** The rule was deleted (a later UPSERT may bring it back with a higher version). */
    public boolean deleted;

    /** Definition JSON from an UPSERT; null to keep the built-in definition. */
    public String definition;

    public RuleOverride() {}

    public RuleOverride(int version, boolean enabled, boolean deleted, String definition) {
        this.version = version;
        this.enabled = enabled;
        this.deleted = deleted;
        this.definition = definition;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleOverride)) {
            return false;
        }
        RuleOverride r = (RuleOverride) o;
        return version == r.version
                && enabled == r.enabled
                && deleted == r.deleted
                && Objects.equals(definition, r.definition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, enabled, deleted, definition);
    }
}
