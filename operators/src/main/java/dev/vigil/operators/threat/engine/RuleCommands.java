package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.cep.RulePatternCompiler;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.schema.RuleCommand;

/**
 * Decides what a {@link RuleCommand} does to the rule set: the new override, or why the command is
 * rejected. Deterministic, so every parallel instance that sees the command decides alike.
 */
public final class RuleCommands {

    private RuleCommands() {}

    /**
     * The outcome of one command.
     *
     * @param override the rule's new override; null when rejected
     * @param reason why the command was rejected; null when applied
     * @param changed whether the rule's behaviour changed, so that its state must be dropped
     */
    public record Outcome(RuleOverride override, String reason, boolean changed) {
        public boolean applied() {
            return reason == null;
        }

        static Outcome reject(String reason) {
            return new Outcome(null, reason, false);
        }
    }

    /** Longest reason an acknowledgement carries. */
    public static final int MAX_REASON_CHARS = 2048;

    /** {@code reason} cut to {@link #MAX_REASON_CHARS}. */
    public static String bounded(String reason) {
        return reason.length() <= MAX_REASON_CHARS
                ? reason
                : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** Longest rule id accepted in a command. */
    public static final int MAX_RULE_ID_CHARS = 64;

    /** Applies {@code command} to {@code rules}. */
    public static Outcome apply(RuleSet rules, RuleCommand command) {
        String id = command.getRuleId();
        String action = command.getAction();
        if (id == null || id.isEmpty() || id.length() > MAX_RULE_ID_CHARS) {
            return Outcome.reject("rule_id: must be 1-" + MAX_RULE_ID_CHARS + " characters long");
        }
        int current = rules.version(id);
        RuleDefinition effective = rules.effective(id);
        RuleOverride existing = rules.overrides().get(id);
        switch (action) {
            case "UPSERT":
                {
                    if (command.getDefinition() == null) {
                        return Outcome.reject("definition: is required for UPSERT");
                    }
                    RuleDefinition rule;
                    try {
                        rule = RuleParser.parse(command.getDefinition());
                        RulePatternCompiler.compile(rule);
                    } catch (RuleValidationException e) {
                        return Outcome.reject(
                                e.field().isEmpty()
                                        ? "definition: " + e.getMessage()
                                        : "definition." + e.getMessage());
                    } catch (RuntimeException | StackOverflowError e) {
                        // whatever a hostile definition provokes, it is a rejection, never an
                        // exception out of the operator (which would be replayed at each restore)
                        return Outcome.reject(
                                "definition: cannot be compiled ("
                                        + e.getClass().getSimpleName()
                                        + ")");
                    }
                    if (!rule.id().equals(id)) {
                        return Outcome.reject(
                                "definition.id: '"
                                        + rule.id()
                                        + "' does not match the command's rule_id '"
                                        + id
                                        + "'");
                    }
                    if (rule.version() != command.getVersion()) {
                        return Outcome.reject(
                                "definition.version: "
                                        + rule.version()
                                        + " does not match the command's version "
                                        + command.getVersion());
                    }
                    if (rule.version() <= current) {
                        return Outcome.reject(
                                "version: "
                                        + rule.version()
                                        + " is not newer than the version in force ("
                                        + current
                                        + ")");
                    }
                    return new Outcome(
                            new RuleOverride(
                                    rule.version(), rule.enabled(), false, command.getDefinition()),
                            null,
                            true);
                }
            case "ENABLE":
            case "DISABLE":
                {
                    if (effective == null) {
                        return Outcome.reject("rule_id: rule '" + id + "' does not exist");
                    }
                    if (command.getVersion() > 0 && command.getVersion() != current) {
                        return Outcome.reject(
                                "version: "
                                        + command.getVersion()
                                        + " is not the version in force ("
                                        + current
                                        + ")");
                    }
                    boolean enable = action.equals("ENABLE");
                    String definition = existing == null ? null : existing.definition;
                    return new Outcome(
                            new RuleOverride(current, enable, false, definition),
                            null,
                            effective.enabled() != enable);
                }
            case "DELETE":
                {
                    if (effective == null) {
                        return Outcome.reject("rule_id: rule '" + id + "' does not exist");
                    }
                    if (command.getVersion() > 0 && command.getVersion() != current) {
                        return Outcome.reject(
                                "version: "
                                        + command.getVersion()
                                        + " is not the version in force ("
                                        + current
                                        + ")");
                    }
                    return new Outcome(new RuleOverride(current, false, true, null), null, true);
                }
            default:
                return Outcome.reject(
                        "action: '" + action + "' is not one of UPSERT, ENABLE, DISABLE, DELETE");
        }
    }
}
