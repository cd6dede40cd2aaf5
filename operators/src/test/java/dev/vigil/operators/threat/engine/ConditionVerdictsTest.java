package dev.vigil.operators.threat.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.Condition;
import dev.vigil.operators.threat.rules.EventTypes;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionVerdictsTest {

    /** Counts its tests; equal to another only when it is the same instance. */
    static final class Counting implements Condition {
        int tests;

        @Override
        public boolean test(EnrichedEvent event) {
            tests++;
            return true;
        }

        @Override
        public Set<String> eventTypes() {
            return EventTypes.ALL;
        }
    }

    @Test
    void equalConditionsShareOneSlotAndAreTestedOncePerEvent() {
        Counting leaf = new Counting();
        ConditionVerdicts.Slots slots = new ConditionVerdicts.Slots();
        int a = slots.slot(new Condition.Not(leaf));
        int b = slots.slot(new Condition.Not(leaf));
        int c = slots.slot(leaf);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        ConditionVerdicts verdicts = slots.verdicts();
        assertThat(verdicts.size()).isEqualTo(2);

        EnrichedEvent first = new EnrichedEvent();
        verdicts.of(first);
        for (int i = 0; i < 100; i++) {
            assertThat(verdicts.test(a)).isFalse();
            assertThat(verdicts.test(c)).isTrue();
        }
        assertThat(leaf.tests).isEqualTo(2); // once through Not, once alone
        // the next event is tested afresh
        verdicts.of(new EnrichedEvent());
        assertThat(verdicts.test(c)).isTrue();
        assertThat(leaf.tests).isEqualTo(3);
    }

    @Test
    void copiesOfTheCatalogueAddNoConditionsToTest() {
        Map<String, RuleDefinition> catalogue = RuleSet.parseCatalogue(RuleCatalogue.builtIn());
        int distinct = new RuleSet(catalogue, Map.of()).distinctConditions();
        List<String> copies = new ArrayList<>(RuleCatalogue.builtIn());
        for (String json : RuleCatalogue.builtIn()) {
            copies.add(json.replaceFirst("\"id\"\\s*:\\s*\"", "\"id\": \"copy-"));
        }
        RuleSet doubled = new RuleSet(RuleSet.parseCatalogue(copies), Map.of());
        assertThat(doubled.enabled()).hasSize(2 * catalogue.size());
        assertThat(doubled.distinctConditions()).isEqualTo(distinct);
    }
}
