package dev.vigil.operators.threat.rules;

import java.io.Serializable;
import java.time.Duration;

/**
 * One step of a rule's pattern.
 *
 * @param name unique within the rule
 * @param contiguity relation to the previous step (ignored for the first)
 * @param negated the step must NOT occur ({@code notNext} / {@code notFollowedBy})
 * @param where the condition an event must meet
 * @param minTimes how many events the step takes at least (1)
 * @param maxTimes at most; null for unbounded
 * @param consecutive repeated events must follow each other without others in between
 * @param optional the step may be skipped
 * @param withinPrevious the step's event must come this soon after the previous event; for a
 *     negated last step, how long the absence must last
 * @param distinctField each further event of the step must differ in this field from the ones
 *     before (distinct-count correlation); null for none
 * @param sameAsField the event's field must equal that of the last event of {@link #sameAsStep}
 * @param sameAsStep see {@link #sameAsField}
 * @param periodicTolerance repeated events must be evenly spaced: every gap within this fraction of
 *     the first gap; null for none
 * @param periodicDispersion repeated events must be evenly spaced on the whole: the coefficient of
 *     variation (standard deviation over mean) of their gaps at most this, judged once the step has
 *     its minimum number of events, so jitter around a period passes and irregular visits do not;
 *     null for none
 */
public record StepDefinition(
        String name,
        Contiguity contiguity,
        boolean negated,
        Condition where,
        int minTimes,
        Integer maxTimes,
        boolean consecutive,
        boolean optional,
        Duration withinPrevious,
        String distinctField,
        String sameAsField,
        String sameAsStep,
        Double periodicTolerance,
        Double periodicDispersion)
        implements Serializable {

    /** True when the step can take more than one event. */
    public boolean loops() {
        return maxTimes == null || maxTimes > 1;
    }
}
