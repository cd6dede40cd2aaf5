package dev.vigil.operators.threat.rules;

import java.time.Duration;

/**
 * Upper bounds on what a rule may ask for. A rule arrives on the {@code rules} topic from whoever
 * can write to it, and flink-cep builds one NFA state per repetition: without bounds one command
 * could compile a two-billion-state pattern, keep partial matches for centuries or nest conditions
 * until the stack overflows. {@link RuleParser} rejects anything beyond them, naming the field and
 * the bound; docs/rules/README.md lists them.
 */
public final class RuleLimits {

    /** Largest rule definition, in UTF-8 bytes of its JSON. */
    public static final int MAX_DEFINITION_BYTES = 64 * 1024;

    /** Most steps in a rule. */
    public static final int MAX_STEPS = 16;

    /** Most repetitions of one step ({@code times}, or {@code times.min}/{@code max}). */
    public static final int MAX_REPETITIONS = 100;

    /** Longest {@code within}, step {@code within} or {@code suppressFor}. */
    public static final Duration MAX_DURATION = Duration.ofDays(30);

    /** Deepest nesting of {@code all}/{@code any}/{@code not} conditions. */
    public static final int MAX_CONDITION_DEPTH = 8;

    /** Most conditions in a rule, counting every nested one. */
    public static final int MAX_CONDITIONS = 256;

    /** Most values in one {@code in}/{@code notIn} list. */
    public static final int MAX_LIST_VALUES = 1024;

    /** Longest string operand, title or MITRE id, in characters. */
    public static final int MAX_STRING_CHARS = 1024;

    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION_CHARS = 8192;

    /** Most exceptions in a rule. */
    public static final int MAX_EXCEPTIONS = 64;

    private RuleLimits() {}
}
