package dev.vigil.operators.threat.engine;

import dev.vigil.schema.RuleCommand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The rule overrides kept in broadcast state by every operator that needs the rule set (router and
 * engine), and the one way they are updated, so that all instances agree.
 */
public final class RuleBroadcast {

    /** Rule id → override; checkpointed, so rules survive failover. */
    public static final MapStateDescriptor<String, RuleOverride> OVERRIDES =
            new MapStateDescriptor<>(
                    "rule-overrides", Types.STRING, TypeInformation.of(RuleOverride.class));

    private RuleBroadcast() {}

    /** The rule set of {@code catalogue} plus the overrides in {@code state}. */
    public static RuleSet ruleSet(
            Map<String, dev.vigil.operators.threat.rules.RuleDefinition> catalogue,
            ReadOnlyBroadcastState<String, RuleOverride> state)
            throws Exception {
        Map<String, RuleOverride> overrides = new HashMap<>();
        for (Map.Entry<String, RuleOverride> e : state.immutableEntries()) {
            overrides.put(e.getKey(), e.getValue());
        }
        return new RuleSet(catalogue, overrides);
    }

    /** Applies {@code command}, stores the new override when applied, and returns the outcome. */
    public static RuleCommands.Outcome apply(
            RuleSet current, RuleCommand command, BroadcastState<String, RuleOverride> state)
            throws Exception {
        RuleCommands.Outcome outcome = RuleCommands.apply(current, command);
        if (outcome.applied()) {
            state.put(command.getRuleId(), outcome.override());
        }
        return outcome;
    }

    /** The built-in catalogue as JSON texts, parsed once per operator instance. */
    public static Map<String, dev.vigil.operators.threat.rules.RuleDefinition> parse(
            List<String> catalogue) {
        return RuleSet.parseCatalogue(catalogue);
    }
}
