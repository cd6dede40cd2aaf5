package dev.vigil.operators.threat.rules;

/**
 * How a step relates to the one before it, over the events in the rule's scope: {@code next} (the
 * very next event), {@code followedBy} (a later one, skipping non-matching events) or {@code
 * followedByAny} (any later one, all combinations).
 */
public enum Contiguity {
    NEXT("next"),
    FOLLOWED_BY("followedBy"),
    FOLLOWED_BY_ANY("followedByAny");

    private final String json;

    Contiguity(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    public static Contiguity parse(String json) {
        for (Contiguity c : values()) {
            if (c.json.equals(json)) {
                return c;
            }
        }
        return null;
    }
}
