package dev.vigil.operators.threat.enrich;

import dev.vigil.schema.TelemetryEvent;
import java.io.Serializable;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What operations declare about their own work, so that routine work does not look like an attack:
 * the daily change windows (UTC) and the automation accounts (configuration management, patch
 * rollouts, fleet agents). The enricher marks each event with it ({@code context.change_window},
 * {@code context.automation_account}); rules use the marks as conditions, e.g. "a privilege change
 * by an automation account inside a change window is routine, the same outside is not".
 *
 * @param changeWindows daily windows as minute-of-day pairs {@code [from, to)} (UTC); a window that
 *     wraps midnight has {@code from > to}
 * @param automationAccounts account names; a trailing or leading {@code *} matches any rest
 */
public record OperationsContext(List<int[]> changeWindows, List<String> automationAccounts)
        implements Serializable {

    /** The change window the simulated fleet and the built-in rules assume: 02:00-04:00 UTC. */
    public static final String DEFAULT_CHANGE_WINDOWS = "02:00-04:00";

    /** No automation accounts declared, the default change window. */
    public static final OperationsContext DEFAULT = parse(DEFAULT_CHANGE_WINDOWS, "");

    /**
     * Parses {@code "02:00-04:00,22:30-23:00"} and {@code "svc-automation,ansible-*"}; empty text
     * declares none.
     */
    public static OperationsContext parse(String changeWindows, String automationAccounts) {
        List<int[]> windows = new ArrayList<>();
        for (String w : changeWindows.split(",")) {
            if (w.isBlank()) {
                continue;
            }
            String[] ends = w.trim().split("-");
            if (ends.length != 2) {
                throw new IllegalArgumentException(
                        "a change window looks like 02:00-04:00, was '" + w.trim() + "'");
            }
            try {
                int from = LocalTime.parse(ends[0].trim()).toSecondOfDay() / 60;
                int to =
                        ends[1].trim().equals("24:00")
                                ? 1440
                                : LocalTime.parse(ends[1].trim()).toSecondOfDay() / 60;
                if (from == to) {
                    throw new IllegalArgumentException("change window '" + w.trim() + "' is empty");
                }
                windows.add(new int[] {from, to});
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "a change window looks like 02:00-04:00 (UTC), was '" + w.trim() + "'");
            }
        }
        List<String> accounts = new ArrayList<>();
        for (String a : automationAccounts.split(",")) {
            if (!a.isBlank()) {
                accounts.add(a.trim());
            }
        }
        return new OperationsContext(List.copyOf(windows), List.copyOf(accounts));
    }

    /** True when {@code epochMillis} lies in a change window. */
    public boolean inChangeWindow(long epochMillis) {
        int minute =
                java.time.Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).getHour() * 60
                        + java.time.Instant.ofEpochMilli(epochMillis)
                                .atZone(ZoneOffset.UTC)
                                .getMinute();
        for (int[] w : changeWindows) {
            boolean inside =
                    w[0] < w[1] ? minute >= w[0] && minute < w[1] : minute >= w[0] || minute < w[1];
            if (inside) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code user} is a declared automation account. */
    public boolean automationAccount(String user) {
        if (user == null) {
            return false;
        }
        for (String a : automationAccounts) {
            if (a.equals(user)
                    || (a.endsWith("*") && user.startsWith(a.substring(0, a.length() - 1)))
                    || (a.startsWith("*") && user.endsWith(a.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    /** The marks of {@code event}: bit 1 change window, bit 2 automation account. */
    long flags(TelemetryEvent event) {
        long flags = 0;
        if (inChangeWindow(event.getEventTime().toEpochMilli())) {
            flags |= CHANGE_WINDOW;
        }
        if (event.getSecurity() != null && automationAccount(event.getSecurity().getUser())) {
            flags |= AUTOMATION_ACCOUNT;
        }
        return flags;
    }

    public static final long CHANGE_WINDOW = 1;
    public static final long AUTOMATION_ACCOUNT = 2;
}
