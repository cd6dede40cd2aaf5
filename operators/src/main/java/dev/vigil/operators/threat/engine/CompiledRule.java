package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.StepDefinition;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule prepared for routing and evaluation: the event types its scope admits, the condition that
 * can start a match, and the deadlines at which its partial matches change.
 */
public final class CompiledRule {

    private final RuleDefinition definition;
    private final Set<String> types;
    private final long[] horizons;
    private final boolean seesResent;
    private final int scopeSlot;
    private final int startSlot;
    private final int[] exceptionSlots;

    /**
     * @param slots where the rule set collects its distinct conditions
     */
    CompiledRule(RuleDefinition definition, ConditionVerdicts.Slots slots) {
        this.definition = definition;
        this.seesResent = mentions(definition, RESENT_FIELD);
        this.types = Set.copyOf(definition.scope().eventTypes());
        Set<Long> spans = new TreeSet<>();
        if (definition.within() != null) {
            spans.add(definition.within().toMillis());
        }
        for (StepDefinition step : definition.steps()) {
            if (step.withinPrevious() != null) {
                spans.add(step.withinPrevious().toMillis());
            }
        }
        this.horizons = spans.stream().mapToLong(Long::longValue).toArray();
        this.scopeSlot = slots.slot(definition.scope());
        this.startSlot = slots.slot(definition.steps().get(0).where());
        this.exceptionSlots = definition.exceptions().stream().mapToInt(slots::slot).toArray();
    }

    /** The field that marks resent copies. */
    public static final String RESENT_FIELD = "derived.resent";

    private static boolean mentions(RuleDefinition rule, String field) {
        if (rule.scope().mentions(field)) {
            return true;
        }
        for (StepDefinition step : rule.steps()) {
            if (step.where().mentions(field)) {
                return true;
            }
        }
        return rule.exceptions().stream().anyMatch(c -> c.mentions(field));
    }

    public RuleDefinition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    /** Event types the rule observes. */
    public Set<String> types() {
        return types;
    }

    /**
     * True when the rule observes {@code event} (scope, minus exceptions). A resent copy of an
     * event (dropped from every job's counts by deduplication) reaches only rules that test {@value
     * #RESENT_FIELD}: a rule counting failures must not count one twice, a rule looking for replays
     * wants to see it.
     *
     * <p>{@code verdicts}: the rule set's shared condition verdicts, for {@code event}.
     */
    boolean observes(EnrichedEvent event, ConditionVerdicts verdicts) {
        if (event.derived != null && event.derived.copy != null && !seesResent) {
            return false;
        }
        if (!verdicts.test(scopeSlot)) {
            return false;
        }
        for (int exception : exceptionSlots) {
            if (verdicts.test(exception)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the current event of {@code verdicts} can begin a match (the first step's condition
     * holds).
     */
    boolean canStart(ConditionVerdicts verdicts) {
        return verdicts.test(startSlot);
    }

    /** Time spans after an event at which the rule's partial matches may expire or complete, ms. */
    public long[] horizons() {
        return horizons;
    }

    /**
     * When a match completed: the last event for a sequence; for a rule that ends with an absence,
     * the instant the absence was confirmed.
     */
    public long completionTime(long firstEventTime, long lastEventTime) {
        StepDefinition last = definition.steps().get(definition.steps().size() - 1);
        if (!last.negated()) {
            return lastEventTime;
        }
        Duration wait = last.withinPrevious();
        return wait != null
                ? lastEventTime + wait.toMillis()
                : firstEventTime + definition.within().toMillis();
    }
}
