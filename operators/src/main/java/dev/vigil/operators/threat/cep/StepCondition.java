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
        if (step.periodicDispersion() != null) {
            List<Long> times = new ArrayList<>();
            ctx.getEventsForPattern(step.name()).forEach(e -> times.add(e.timestamp()));
            times.add(value.timestamp());
            if (times.size() >= step.minTimes() && dispersion(times) > step.periodicDispersion()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The coefficient of variation of the gaps between consecutive times: 0 for a perfect period,
     * about 1 for random (Poisson) arrivals; infinite when the events share one instant.
     */
    static double dispersion(List<Long> times) {
        int n = times.size() - 1;
        if (n < 1) {
            return 0;
        }
        double mean = (times.get(n) - times.get(0)) / (double) n;
        if (mean <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double squares = 0;
        for (int i = 1; i <= n; i++) {
            double d = times.get(i) - times.get(i - 1) - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / n) / mean;
    }

    private static EnrichedEvent last(Iterable<EnrichedEvent> events) {
        EnrichedEvent last = null;
        for (EnrichedEvent e : events) {
            last = e;
        }
        return last;
    }
}
