package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.Condition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct conditions of a rule set (scopes, exceptions, first steps), each tested at most once
 * per event however many rules share it: rules written from one template, or a catalogue's copies,
 * share their scope and start conditions, and an event pays for each distinct one once. Conditions
 * are equal when they are structurally equal (they are records over canonical field paths).
 *
 * <p>Not thread-safe: one instance per rule set, used by one operator thread, {@link #of} per
 * event.
 */
final class ConditionVerdicts {

    private static final byte UNKNOWN = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;

    /** Collects the distinct conditions while a rule set is built. */
    static final class Slots {
        private final Map<Condition, Integer> slots = new HashMap<>();
        private final List<Condition> conditions = new ArrayList<>();

        /** The slot of {@code c}, shared with every equal condition. */
        int slot(Condition c) {
            return slots.computeIfAbsent(
                    c,
                    k -> {
                        conditions.add(k);
                        return conditions.size() - 1;
                    });
        }

        ConditionVerdicts verdicts() {
            return new ConditionVerdicts(conditions.toArray(new Condition[0]));
        }
    }

    private final Condition[] conditions;
    private final byte[] verdicts;
    private EnrichedEvent event;

    private ConditionVerdicts(Condition[] conditions) {
        this.conditions = conditions;
        this.verdicts = new byte[conditions.length];
    }

    /** This instance, cleared for {@code e} (always: a reused record object is a new event). */
    ConditionVerdicts of(EnrichedEvent e) {
        Arrays.fill(verdicts, UNKNOWN);
        event = e;
        return this;
    }

    /** Whether the condition in {@code slot} holds for the current event. */
    boolean test(int slot) {
        byte v = verdicts[slot];
        if (v == UNKNOWN) {
            v = conditions[slot].test(event) ? TRUE : FALSE;
            verdicts[slot] = v;
        }
        return v == TRUE;
    }

    /** Distinct conditions. */
    int size() {
        return conditions.length;
    }
}
