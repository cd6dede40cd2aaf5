package dev.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code vigil logs} shows of a log: by default the lines at WARN and above (with the stack
 * traces and continuation lines that follow them), all lines with {@code -v}. A log without levels
 * (a process's stdout) is shown whole.
 */
final class LogView {

    /** A line that starts a log entry: a timestamp (Flink's, or Kafka's in brackets), a level. */
    private static final Pattern ENTRY =
            Pattern.compile(
                    "^\\[?\\d{4}-\\d\\d-\\d\\d[ T][\\d:.,]+\\]?"
                            + " +(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\b");

    private final boolean verbose;
    private boolean keeping = true;

    LogView(boolean verbose) {
        this.verbose = verbose;
    }

    /** Whether to show {@code line}, given the lines before it (this view keeps that state). */
    boolean show(String line) {
        if (verbose) {
            return true;
        }
        Matcher m = ENTRY.matcher(line);
        if (m.find()) {
            String level = m.group(1);
            keeping =
                    level.equals("WARN")
                            || level.equals("WARNING")
                            || level.equals("ERROR")
                            || level.equals("FATAL");
        }
        return keeping;
    }

    /** Whether any of {@code lines} starts a log entry with a level. */
    static boolean levelled(List<String> lines) {
        return lines.stream().anyMatch(l -> ENTRY.matcher(l).find());
    }

    /**
     * The last {@code n} lines of {@code lines} to show: WARN and above unless verbose; every line
     * when none of them carries a level.
     */
    static List<String> last(List<String> lines, int n, boolean verbose) {
        LogView view = new LogView(verbose || !levelled(lines));
        List<String> shown = new ArrayList<>();
        for (String line : lines) {
            if (view.show(line)) {
                shown.add(line);
            }
        }
        return shown.subList(Math.max(0, shown.size() - n), shown.size());
    }
}
