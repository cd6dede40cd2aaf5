package dev.vigil.operators.threat.rules;

/** A rule that does not validate; the message starts with the path of the offending field. */
public final class RuleValidationException extends Exception {

    private final String field;

    public RuleValidationException(String field, String message) {
        super(field.isEmpty() ? message : field + ": " + message);
        this.field = field;
    }

    /** JSON path of the offending field, e.g. {@code steps[1].where.field}. */
    public String field() {
        return field;
    }
}
