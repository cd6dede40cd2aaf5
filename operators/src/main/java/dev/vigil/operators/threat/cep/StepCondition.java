package dev.vigil.operators.threat.cep;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.FieldPath;
import dev.vigil.operators.threat.rules.StepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;

/**
 * The CEP condition of one rule step: its {@code where} plus the checks that look back into the
 * partial match — distinct values, equality with an earlier step, even spacing. The look-backs only
 * run when {@code where} already holds, and only for steps that ask for them.
 */
final class StepCondition extends IterativeCondition<EnrichedEvent> {

    private static final long serialVersionUID = 1L;

    private final StepDefinition step;
    private final FieldPath distinct;
    private final FieldPath sameAs;

    StepCondition(StepDefinition step) {
        this.step = step;
        this.distinct =
                step.distinctField() == null ? null : FieldPath.lookup(step.distinctField());
        this.sameAs = step.sameAsField() == null ? null : FieldPath.lookup(step.sameAsField());
    }

    @Override
    public boolean filter(EnrichedEvent value, Context<EnrichedEvent> ctx) throws Exception {
        if (!step.where().test(value)) {
            return false;
        }
        if (sameAs != null) {
            Object mine = sameAs.get(value);
            EnrichedEvent earlier = last(ctx.getEventsForPattern(step.sameAsStep()));
            if (mine == null || earlier == null || !mine.equals(sameAs.get(earlier))) {
                return false;
            }
        }
        if (distinct != null) {
            Object mine = distinct.get(value);
            if (mine == null) {
                return false;
            }
            for (EnrichedEvent earlier : ctx.getEventsForPattern(step.name())) {
                if (Objects.equals(mine, distinct.get(earlier))) {
                    return false;
                }
            }
        }
        if (step.periodicTolerance() != null) {
            List<EnrichedEvent> earlier = new ArrayList<>();
            ctx.getEventsForPattern(step.name()).forEach(earlier::add);
            if (earlier.size() >= 2) {
                long period = earlier.get(1).timestamp() - earlier.get(0).timestamp();
                long gap = value.timestamp() - earlier.get(earlier.size() - 1).timestamp();
                if (period <= 0 || Math.abs(gap - period) > step.periodicTolerance() * period) {
                    return false;
                }
            }
        }
        return true;
    }

    private static EnrichedEvent last(Iterable<EnrichedEvent> events) {
        EnrichedEvent last = null;
        for (EnrichedEvent e : events) {
            last = e;
        }
        return last;
    }
}
