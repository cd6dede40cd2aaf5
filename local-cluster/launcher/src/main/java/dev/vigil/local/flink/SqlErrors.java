package dev.vigil.local.flink;

import java.util.regex.Pattern;

/**
 * Cuts a Flink SQL error (an exception chain with stack traces, or a parser's list of every token
 * it would have accepted) to what a user acts on: the most specific message, with its position.
 */
public final class SqlErrors {

    private static final Pattern EXCEPTION_PREFIX =
            Pattern.compile("^(?:Caused by: )?(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?::\\s*|$)");

    private SqlErrors() {}

    /**
     * The message of the deepest cause in {@code error} (else its first line) without the
     * exception's class name, and without the parser's "Was expecting one of" list.
     */
    public static String summary(String error) {
        String message = null;
        String first = null;
        for (String raw : error.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("Caused by: ")) {
                message = line;
            } else if (first == null
                    && !line.isEmpty()
                    && !line.startsWith("at ")
                    && !line.equals("Internal server error.")
                    && !line.startsWith("<Exception on server side:")) {
                first = line;
            }
        }
        String chosen = message != null ? message : first == null ? error.strip() : first;
        String text = EXCEPTION_PREFIX.matcher(chosen).replaceFirst("").strip();
        int expecting = text.indexOf("Was expecting");
        if (expecting >= 0) {
            text = text.substring(0, expecting).strip();
        }
        return text.isEmpty() ? chosen : text;
    }
}
