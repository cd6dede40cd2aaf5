package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules in force: the built-in catalogue with the {@code rules} topic's overrides applied,
 * indexed by key shape and event type so an event only meets the rules that can use it. Pure Java;
 * rebuilt whenever an override changes.
 */
public final class RuleSet {

    private final Map<String, RuleDefinition> builtIn;
    private final Map<String, RuleOverride> overrides;
    private final Map<String, CompiledRule> enabled = new TreeMap<>();
    private final Map<String, Map<String, List<CompiledRule>>> byShapeAndType = new TreeMap<>();
    private final ConditionVerdicts verdicts;

    /** Parses {@code catalogue}; a built-in rule that does not parse is a programming error. */
    public static Map<String, RuleDefinition> parseCatalogue(Collection<String> catalogue) {
        Map<String, RuleDefinition> rules = new LinkedHashMap<>();
        for (String json : catalogue) {
            try {
                RuleDefinition rule = RuleParser.parse(json);
                if (rules.put(rule.id(), rule) != null) {
                    throw new IllegalArgumentException(
                            "built-in rule " + rule.id() + " is defined twice");
                }
            } catch (RuleValidationException e) {
                throw new IllegalArgumentException(
                        "built-in rule does not validate: " + e.getMessage(), e);
            }
        }
        return rules;
    }

    public RuleSet(Map<String, RuleDefinition> builtIn, Map<String, RuleOverride> overrides) {
        this.builtIn = builtIn;
        this.overrides = new TreeMap<>(overrides);
        ConditionVerdicts.Slots slots = new ConditionVerdicts.Slots();
        for (String id : ids()) {
            RuleDefinition rule = effective(id);
            if (rule != null && rule.enabled()) {
                CompiledRule compiled = new CompiledRule(rule, slots);
                enabled.put(id, compiled);
                Map<String, List<CompiledRule>> byType =
                        byShapeAndType.computeIfAbsent(rule.keyShape(), k -> new TreeMap<>());
                for (String type : compiled.types()) {
                    byType.computeIfAbsent(type, k -> new ArrayList<>()).add(compiled);
                }
            }
        }
        verdicts = slots.verdicts();
    }

    /**
     * The shared condition verdicts of this rule set, cleared for {@code event}: pass them to
     * {@link CompiledRule#observes(EnrichedEvent, ConditionVerdicts)} and {@link
     * CompiledRule#canStart(ConditionVerdicts)} of this set's rules. One per rule set; valid until
     * it is asked for another event.
     */
    ConditionVerdicts verdicts(EnrichedEvent event) {
        return verdicts.of(event);
    }

    /** Distinct scope, exception and start conditions among the enabled rules. */
    public int distinctConditions() {
        return verdicts.size();
    }

    /** Every rule id known (built-in or added), deleted ones included. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(builtIn.keySet()));
        for (String id : overrides.keySet()) {
            if (!builtIn.containsKey(id)) {
                ids.add(id);
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * The definition in force for {@code id} (with its enabled flag), or null when deleted or
     * unknown.
     */
    public RuleDefinition effective(String id) {
        RuleOverride override = overrides.get(id);
        RuleDefinition base = builtIn.get(id);
        if (override == null) {
            return base;
        }
        if (override.deleted) {
            return null;
        }
        RuleDefinition rule = base;
        if (override.definition != null) {
            try {
                rule = RuleParser.parse(override.definition);
            } catch (RuleValidationException | RuntimeException e) {
                // only validated definitions are ever stored; one that a stricter version no
                // longer accepts (from an old savepoint) is switched off rather than failing
                // every restore
                return null;
            }
        }
        return rule == null ? null : rule.withEnabled(override.enabled);
    }

    /** The version in force for {@code id}, or 0. */
    public int version(String id) {
        RuleOverride override = overrides.get(id);
        if (override != null) {
            return override.version;
        }
        RuleDefinition base = builtIn.get(id);
        return base == null ? 0 : base.version();
    }

    public Map<String, RuleOverride> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    /** Enabled rules by id. */
    public Map<String, CompiledRule> enabled() {
        return Collections.unmodifiableMap(enabled);
    }

    /** Key shapes that have at least one enabled rule. */
    public Collection<String> shapes() {
        return byShapeAndType.keySet();
    }

    /** Enabled rules of {@code shape} whose scope admits events of {@code type}. */
    public List<CompiledRule> rules(String shape, String type) {
        Map<String, List<CompiledRule>> byType = byShapeAndType.get(shape);
        if (byType == null) {
            return List.of();
        }
        return byType.getOrDefault(type, List.of());
    }
}
