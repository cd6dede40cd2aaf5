package dev.vigil.jobs.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule's regression cases, as Sigma keeps them: events with the alerts they must raise (a
 * positive case) or an empty {@code expect} (a negative case: look-alikes that must raise none).
 *
 * <pre>
 * {"rule": "brute-force",
 *  "start": "2026-01-15T10:00:00Z",
 *  "context": {"change_windows": "02:00-04:00", "automation_accounts": "svc-automation"},
 *  "cases": [
 *    {"name": "...", "events": [ ... ], "expect": [{"group_key": "node-1|root|203.0.113.5",
 *                                                   "evidence": 10, "last_event_at": "9s"}]},
 *    {"name": "...", "events": [ ... ], "expect": []}]}
 * </pre>
 *
 * An expected alert may name {@code group_key}, {@code node_id}, {@code severity}, {@code evidence}
 * (how many events), {@code first_event_at} / {@code last_event_at} (offsets from {@code start})
 * and {@code max_latency} (event time from its last triggering event to detection, default 1s); a
 * case passes when the rule raises exactly the expected alerts, each matching one expectation.
 * Events are described in {@link FixtureEvents}; they are sent in event-time order (ties as
 * written) unless the case says {@code "sorted": false}, which sends them as written (to test late
 * or out-of-order arrivals).
 */
public record RuleFixture(
        String source, String ruleId, Instant start, OperationsContext context, List<Case> cases) {

    /** Default {@code start}: a weekday morning, inside the working hours rules may test for. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-15T10:00:00Z");

    /** One case: its events in sending order and the alerts it must raise. */
    public record Case(String name, List<TelemetryEvent> events, List<Expected> expected) {
        public boolean positive() {
            return !expected.isEmpty();
        }
    }

    /** What one alert must look like; null fields are not checked. */
    public record Expected(
            String groupKey,
            String nodeId,
            String severity,
            Integer evidence,
            Instant firstEventTime,
            Instant lastEventTime,
            Duration maxLatency) {

        /** Why {@code alert} does not match, or null when it does. */
        public String mismatch(ThreatAlert alert) {
            List<String> wrong = new ArrayList<>();
            if (groupKey != null && !groupKey.equals(alert.getGroupKey())) {
                wrong.add("group_key " + alert.getGroupKey() + " (expected " + groupKey + ")");
            }
            if (nodeId != null && !nodeId.equals(alert.getNodeId())) {
                wrong.add("node_id " + alert.getNodeId() + " (expected " + nodeId + ")");
            }
            if (severity != null && !severity.equals(alert.getSeverity())) {
                wrong.add("severity " + alert.getSeverity() + " (expected " + severity + ")");
            }
            if (evidence != null && evidence != alert.getEvidence().size()) {
                wrong.add(
                        "evidence of "
                                + alert.getEvidence().size()
                                + " events (expected "
                                + evidence
                                + ")");
            }
            if (firstEventTime != null && !firstEventTime.equals(alert.getFirstEventTime())) {
                wrong.add(
                        "first_event_time "
                                + alert.getFirstEventTime()
                                + " (expected "
                                + firstEventTime
                                + ")");
            }
            if (lastEventTime != null && !lastEventTime.equals(alert.getLastEventTime())) {
                wrong.add(
                        "last_event_time "
                                + alert.getLastEventTime()
                                + " (expected "
                                + lastEventTime
                                + ")");
            }
            if (alert.getDetectionLatencyMs() > maxLatency.toMillis()) {
                wrong.add(
                        "detected "
                                + alert.getDetectionLatencyMs()
                                + " ms after its last event (at most "
                                + maxLatency.toMillis()
                                + " ms)");
            }
            return wrong.isEmpty() ? null : String.join(", ", wrong);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a fixture file's text; {@code source} names it in errors. */
    public static RuleFixture parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new FixtureException(source + ": not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new FixtureException(source + ": must be a JSON object with rule and cases");
        }
        JsonNode rule = root.get("rule");
        if (rule == null || !rule.isTextual()) {
            throw new FixtureException(source + ": rule: the id of the rule under test");
        }
        OperationsContext context = OperationsContext.DEFAULT;
        JsonNode ctx = root.get("context");
        if (ctx != null) {
            try {
                context =
                        OperationsContext.parse(
                                ctx.has("change_windows")
                                        ? ctx.get("change_windows").asText()
                                        : OperationsContext.DEFAULT_CHANGE_WINDOWS,
                                ctx.has("automation_accounts")
                                        ? ctx.get("automation_accounts").asText()
                                        : "");
            } catch (IllegalArgumentException e) {
                throw new FixtureException(source + ": context: " + e.getMessage());
            }
        }
        Instant start =
                root.has("start")
                        ? FixtureEvents.instant(root.get("start"), source + ": start")
                        : DEFAULT_START;
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray() || cases.isEmpty()) {
            throw new FixtureException(source + ": cases: a non-empty array");
        }
        List<Case> parsed = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String path = source + ": cases[" + i + "]";
            JsonNode c = cases.get(i);
            String name = c.has("name") ? c.get("name").asText() : "case " + (i + 1);
            List<TelemetryEvent> events =
                    new FixtureEvents(start).read(c.get("events"), path + ".events");
            JsonNode sorted = c.get("sorted");
            if (sorted != null && !sorted.isBoolean()) {
                throw new FixtureException(path + ".sorted: true or false");
            }
            if (sorted == null || sorted.asBoolean()) {
                // in event-time order, as a sensor sends them; ties keep the written order
                events = new ArrayList<>(events);
                events.sort(java.util.Comparator.comparing(TelemetryEvent::getEventTime));
            }
            JsonNode expect = c.get("expect");
            if (expect == null || !expect.isArray()) {
                throw new FixtureException(
                        path + ".expect: an array of expected alerts ([] for none)");
            }
            List<Expected> expected = new ArrayList<>();
            for (int j = 0; j < expect.size(); j++) {
                expected.add(expected(expect.get(j), start, path + ".expect[" + j + "]"));
            }
            parsed.add(new Case(name, events, expected));
        }
        return new RuleFixture(source, rule.asText(), start, context, parsed);
    }

    private static Expected expected(JsonNode e, Instant start, String path) {
        if (!e.isObject()) {
            throw new FixtureException(path + ": must be an object");
        }
        e.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!List.of(
                                            "group_key",
                                            "node_id",
                                            "severity",
                                            "evidence",
                                            "first_event_at",
                                            "last_event_at",
                                            "max_latency")
                                    .contains(f)) {
                                throw new FixtureException(path + "." + f + ": unknown property");
                            }
                        });
        return new Expected(
                text(e, "group_key"),
                text(e, "node_id"),
                text(e, "severity"),
                e.has("evidence") ? FixtureEvents.positive(e.get("evidence"), path) : null,
                e.has("first_event_at")
                        ? start.plus(
                                FixtureEvents.duration(
                                        e.get("first_event_at"), path + ".first_event_at"))
                        : null,
                e.has("last_event_at")
                        ? start.plus(
                                FixtureEvents.duration(
                                        e.get("last_event_at"), path + ".last_event_at"))
                        : null,
                e.has("max_latency")
                        ? FixtureEvents.duration(e.get("max_latency"), path + ".max_latency")
                        : Duration.ofSeconds(1));
    }

    private static String text(JsonNode e, String field) {
        return e.has(field) ? e.get(field).asText() : null;
    }
}
