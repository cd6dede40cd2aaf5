package dev.vigil.operators.threat.rules;

import java.util.List;
import java.util.Set;

/** The tests a field condition can make. */
public enum Operator {
    EQ("eq"),
    NE("ne"),
    IN("in"),
    NOT_IN("notIn"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    EXISTS("exists"),
    STARTS_WITH("startsWith"),
    PRIVATE("private"),
    IN_NETWORK("inNetwork");

    private final String json;

    Operator(String json) {
        this.json = json;
    }

    /** Name in the rule format. */
    public String json() {
        return json;
    }

    /** The operator spelled {@code json}, or null. */
    public static Operator parse(String json) {
        for (Operator op : values()) {
            if (op.json.equals(json)) {
                return op;
            }
        }
        return null;
    }

    /** Applies the test; {@code operand} was typed by the parser to match the field. */
    boolean test(Object value, Object operand) {
        if (this == EXISTS) {
            return (value != null) == (Boolean) operand;
        }
        if (value == null) {
            return false;
        }
        return switch (this) {
            case EQ -> equal(value, operand);
            case NE -> !equal(value, operand);
            case IN -> ((Set<?>) operand).contains(value);
            case NOT_IN -> !((Set<?>) operand).contains(value);
            case GT -> (Double) value > (Double) operand;
            case GTE -> (Double) value >= (Double) operand;
            case LT -> (Double) value < (Double) operand;
            case LTE -> (Double) value <= (Double) operand;
            case STARTS_WITH -> value.toString().startsWith((String) operand);
            case PRIVATE -> isPrivateAddress(value.toString()) == (Boolean) operand;
            case IN_NETWORK -> Network.anyContains((List<?>) operand, value.toString());
            case EXISTS -> throw new IllegalStateException();
        };
    }

    private static boolean equal(Object value, Object operand) {
        if (value instanceof Double d && operand instanceof Double o) {
            return d.doubleValue() == o.doubleValue();
        }
        return value.equals(operand);
    }

    /** RFC 1918, loopback, link-local and IPv6 unique-local/loopback addresses. */
    static boolean isPrivateAddress(String ip) {
        if (ip.contains(":")) {
            String lower = ip.toLowerCase();
            return lower.equals("::1")
                    || lower.startsWith("fc")
                    || lower.startsWith("fd")
                    || lower.startsWith("fe80");
        }
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            return false;
        }
        try {
            int a = Integer.parseInt(parts[0]);
            int b = Integer.parseInt(parts[1]);
            return a == 10
                    || a == 127
                    || (a == 172 && b >= 16 && b <= 31)
                    || (a == 192 && b == 168)
                    || (a == 169 && b == 254);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
