package dev.vigil.operators.threat.cep;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.operators.threat.rules.StepDefinition;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.MalformedPatternException;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;

/**
 * Compiles a {@link RuleDefinition} into a Flink CEP {@link Pattern}. Matches are emitted as soon
 * as they complete (no skip strategy, see {@code CepRuleRunner}); the engine then resets the rule
 * for the key, so one burst of activity is one match.
 */
public final class RulePatternCompiler {

    private RulePatternCompiler() {}

    /** The CEP pattern of {@code rule}; fails when CEP rejects the combination of steps. */
    public static Pattern<EnrichedEvent, EnrichedEvent> compile(RuleDefinition rule)
            throws RuleValidationException {
        Pattern<EnrichedEvent, EnrichedEvent> pattern = null;
        for (int i = 0; i < rule.steps().size(); i++) {
            StepDefinition step = rule.steps().get(i);
            if (i == 0) {
                pattern = Pattern.begin(step.name(), AfterMatchSkipStrategy.noSkip());
            } else if (step.negated()) {
                pattern =
                        step.contiguity() == dev.vigil.operators.threat.rules.Contiguity.NEXT
                                ? pattern.notNext(step.name())
                                : pattern.notFollowedBy(step.name());
            } else {
                pattern =
                        switch (step.contiguity()) {
                            case NEXT -> pattern.next(step.name());
                            case FOLLOWED_BY -> pattern.followedBy(step.name());
                            case FOLLOWED_BY_ANY -> pattern.followedByAny(step.name());
                        };
            }
            pattern = pattern.where(new StepCondition(step));
            if (step.maxTimes() == null) {
                pattern =
                        step.minTimes() == 1
                                ? pattern.oneOrMore()
                                : pattern.timesOrMore(step.minTimes());
            } else if (step.maxTimes() > 1 || step.minTimes() > 1) {
                pattern =
                        step.minTimes() == step.maxTimes()
                                ? pattern.times(step.minTimes())
                                : pattern.times(step.minTimes(), step.maxTimes());
            }
            if (step.consecutive()) {
                pattern = pattern.consecutive();
            }
            if (step.optional()) {
                pattern = pattern.optional();
            }
            if (step.withinPrevious() != null) {
                pattern = pattern.within(step.withinPrevious(), WithinType.PREVIOUS_AND_CURRENT);
            }
        }
        if (rule.within() != null) {
            pattern = pattern.within(rule.within());
        }
        try {
            // let CEP's own compiler judge the combination now, not when the first event arrives
            NFACompiler.compileFactory(pattern, false);
        } catch (MalformedPatternException e) {
            throw new RuleValidationException(
                    "steps", "Flink CEP rejects the pattern: " + e.getMessage());
        }
        return pattern;
    }
}
