package dev.vigil.operators.threat.rules;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A predicate over one event, compiled from a rule's JSON ({@code {"field": ..., "<op>": ...}},
 * {@code all}, {@code any}, {@code not}). A missing value fails every test except {@code exists:
 * false}.
 */
public interface Condition extends Serializable {

    boolean test(EnrichedEvent event);

    /** Event types that can satisfy the condition (an over-approximation, used for indexing). */
    Set<String> eventTypes();

    /** True when the condition tests {@code field} anywhere in it. */
    default boolean mentions(String field) {
        return false;
    }

    /** Always true. */
    Condition TRUE =
            new Condition() {
                private static final long serialVersionUID = 1L;

                @Override
                public boolean test(EnrichedEvent event) {
                    return true;
                }

                @Override
                public Set<String> eventTypes() {
                    return EventTypes.ALL;
                }
            };

    /** All of {@code parts}. */
    record All(List<Condition> parts) implements Condition {
        @Override
        public boolean mentions(String field) {
            return parts.stream().anyMatch(p -> p.mentions(field));
        }

        @Override
        public boolean test(EnrichedEvent event) {
            for (Condition part : parts) {
                if (!part.test(event)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Set<String> eventTypes() {
            Set<String> types = new HashSet<>(EventTypes.ALL);
            for (Condition part : parts) {
                types.retainAll(part.eventTypes());
            }
            return types;
        }
    }

    /** Any of {@code parts}. */
    record Any(List<Condition> parts) implements Condition {
        @Override
        public boolean mentions(String field) {
            return parts.stream().anyMatch(p -> p.mentions(field));
        }

        @Override
        public boolean test(EnrichedEvent event) {
            for (Condition part : parts) {
                if (part.test(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> eventTypes() {
            Set<String> types = new LinkedHashSet<>();
            for (Condition part : parts) {
                types.addAll(part.eventTypes());
            }
            return types;
        }
    }

    /** Not {@code part}. */
    record Not(Condition part) implements Condition {
        @Override
        public boolean mentions(String field) {
            return part.mentions(field);
        }

        @Override
        public boolean test(EnrichedEvent event) {
            return !part.test(event);
        }

        @Override
        public Set<String> eventTypes() {
            return EventTypes.ALL;
        }
    }

    /** A test of one field. */
    record Field(FieldPath field, Operator op, Object operand) implements Condition {
        @Override
        public boolean mentions(String name) {
            return field.name().equals(name);
        }

        @Override
        public boolean test(EnrichedEvent event) {
            return op.test(field.get(event), operand);
        }

        @Override
        public Set<String> eventTypes() {
            if (op == Operator.EXISTS && Boolean.FALSE.equals(operand)) {
                return EventTypes.ALL;
            }
            if (field.name().equals("security.kind") && (op == Operator.EQ || op == Operator.IN)) {
                Set<String> types = new LinkedHashSet<>();
                for (Object kind : op == Operator.EQ ? List.of(operand) : (Set<?>) operand) {
                    types.add(EventTypes.security(kind.toString()));
                }
                return types;
            }
            if (field.name().equals("payload") && op == Operator.EQ) {
                return switch (operand.toString()) {
                    case "metric" -> Set.of(EventTypes.METRIC);
                    case "power" -> Set.of(EventTypes.POWER);
                    default -> EventTypes.ALL_SECURITY;
                };
            }
            return field.eventTypes();
        }
    }
}
