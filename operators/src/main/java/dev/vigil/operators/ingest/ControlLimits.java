package dev.vigil.operators.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The bounds every control and side input shares, for the {@link RecordValidator}s of each schema:
 * names and ids, free text, vocabularies and timestamps (not before 2000, not further ahead of the
 * record's reference time than {@link #MAX_FUTURE_SKEW}).
 */
public final class ControlLimits {

    /** Longest id or name (command ids, node ids, model names, approvers). */
    public static final int MAX_NAME_CHARS = 256;

    /** Longest free text (reasons, details). */
    public static final int MAX_TEXT_CHARS = 4096;

    /** Furthest an event time may lie ahead of its record's reference time. */
    public static final Duration MAX_FUTURE_SKEW = TelemetryValidator.DEFAULT_MAX_FUTURE_SKEW;

    private ControlLimits() {}

    /** A required id or name of 1 to {@link #MAX_NAME_CHARS} characters. */
    public static Rejection name(String field, CharSequence value) {
        if (value == null || value.toString().isBlank()) {
            return new Rejection(RejectReason.MISSING_FIELD, field + " is empty");
        }
        if (value.length() > MAX_NAME_CHARS) {
            return invalid(
                    field,
                    value.length() + " characters, more than the " + MAX_NAME_CHARS + " allowed");
        }
        return null;
    }

    /** Optional text of at most {@code max} characters. */
    public static Rejection text(String field, CharSequence value, int max) {
        if (value != null && value.length() > max) {
            return invalid(
                    field, value.length() + " characters, more than the " + max + " allowed");
        }
        return null;
    }

    /** One of {@code allowed}. */
    public static Rejection oneOf(String field, CharSequence value, String... allowed) {
        String v = value == null ? null : value.toString();
        for (String a : allowed) {
            if (a.equals(v)) {
                return null;
            }
        }
        return invalid(
                field,
                "'"
                        + (v == null ? "null" : abbreviate(v))
                        + "' is not one of "
                        + Arrays.toString(allowed));
    }

    /** A whole number in {@code [min, max]}. */
    public static Rejection range(String field, long value, long min, long max) {
        return value < min || value > max
                ? invalid(field, value + " is outside [" + min + ", " + max + "]")
                : null;
    }

    /** An event time after 2000 and at most {@link #MAX_FUTURE_SKEW} ahead of the reference. */
    public static Rejection time(String field, Instant value, long referenceTime) {
        if (value.isBefore(TelemetryValidator.MIN_EVENT_TIME)) {
            return new Rejection(
                    RejectReason.TIMESTAMP_TOO_OLD,
                    field + " " + value + " is before " + TelemetryValidator.MIN_EVENT_TIME);
        }
        long ahead = value.toEpochMilli() - referenceTime;
        if (ahead > MAX_FUTURE_SKEW.toMillis()) {
            return new Rejection(
                    RejectReason.TIMESTAMP_IN_FUTURE,
                    field
                            + " "
                            + value
                            + " is "
                            + Duration.ofMillis(ahead)
                            + " ahead of its reference time "
                            + Instant.ofEpochMilli(referenceTime)
                            + " (at most "
                            + MAX_FUTURE_SKEW
                            + " allowed)");
        }
        return null;
    }

    private static Rejection invalid(String field, String what) {
        return new Rejection(RejectReason.INVALID_VALUE, field + ": " + what);
    }

    /** {@code v} cut to 64 characters (marked by an ellipsis), for messages and logs. */
    public static String abbreviate(String v) {
        return v.length() <= 64 ? v : v.substring(0, 64) + "…";
    }
}
