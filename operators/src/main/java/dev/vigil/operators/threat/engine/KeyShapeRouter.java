package dev.vigil.operators.threat.engine;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.EventTypes;
import dev.vigil.operators.threat.rules.GroupAttribute;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.schema.RuleCommand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each event once to every key shape that has an enabled rule able to use it — not once per
 * rule. An event without a value for a shape's attribute (a metric sample has no user) is not
 * routed to that shape.
 */
public final class KeyShapeRouter
        extends BroadcastProcessFunction<EnrichedEvent, RuleCommand, RoutedEvent> {

    private static final long serialVersionUID = 1L;

    private final List<String> catalogue;
    private transient Map<String, RuleDefinition> builtIn;
    private transient RuleSet rules;
    private transient Map<String, List<GroupAttribute>> shapes;
    private transient Counter routed;

    /**
     * @param catalogue the built-in rules as JSON texts
     */
    public KeyShapeRouter(List<String> catalogue) {
        this.catalogue = List.copyOf(catalogue);
    }

    @Override
    public void open(OpenContext openContext) {
        builtIn = RuleBroadcast.parse(catalogue);
        routed = getRuntimeContext().getMetricGroup().counter("routedEvents");
    }

    @Override
    public void processElement(EnrichedEvent event, ReadOnlyContext ctx, Collector<RoutedEvent> out)
            throws Exception {
        if (rules == null) {
            use(RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES)));
        }
        String type = EventTypes.of(event);
        for (Map.Entry<String, List<GroupAttribute>> shape : shapes.entrySet()) {
            if (!anyObserves(rules.rules(shape.getKey(), type), event)) {
                continue;
            }
            String key = key(shape.getKey(), shape.getValue(), event);
            if (key != null) {
                routed.inc();
                out.collect(new RoutedEvent(key, event));
            }
        }
    }

    @Override
    public void processBroadcastElement(
            RuleCommand command, Context ctx, Collector<RoutedEvent> out) throws Exception {
        RuleSet current =
                RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        RuleBroadcast.apply(current, command, ctx.getBroadcastState(RuleBroadcast.OVERRIDES));
        use(RuleBroadcast.ruleSet(builtIn, ctx.getBroadcastState(RuleBroadcast.OVERRIDES)));
    }

    private void use(RuleSet ruleSet) {
        rules = ruleSet;
        shapes = new HashMap<>();
        for (CompiledRule rule : ruleSet.enabled().values()) {
            shapes.put(rule.definition().keyShape(), rule.definition().groupBy());
        }
    }

    private boolean anyObserves(List<CompiledRule> candidates, EnrichedEvent event) {
        ConditionVerdicts verdicts = rules.verdicts(event);
        for (CompiledRule rule : candidates) {
            if (rule.observes(event, verdicts)) {
                return true;
            }
        }
        return false;
    }

    /** {@code shape|v1|v2...}, or null when the event lacks one of the values. */
    static String key(String shape, List<GroupAttribute> attributes, EnrichedEvent event) {
        StringBuilder key = new StringBuilder(shape);
        for (GroupAttribute attribute : attributes) {
            String value = attribute.valueOf(event);
            if (value == null || value.isEmpty()) {
                return null;
            }
            key.append('|').append(value);
        }
        return key.toString();
    }
}
