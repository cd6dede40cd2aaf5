package dev.vigil.jobs.rules;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.ThreatAlert;
import java.util.ArrayList;
import java.util.List;

/** Runs a rule's fixtures and says, case by case, whether it raised exactly the expected alerts. */
public final class FixtureCheck {

    /** The verdict on one case; {@code problems} is empty when it passed. */
    public record Result(
            String ruleId,
            RuleFixture.Case fixtureCase,
            List<ThreatAlert> alerts,
            List<DeadLetter> deadLetters,
            List<String> problems) {

        public boolean passed() {
            return problems.isEmpty();
        }

        /** One line for people, then one per problem. */
        public String describe() {
            StringBuilder s =
                    new StringBuilder(
                            String.format(
                                    "  %s  %s %s: %d alert%s",
                                    passed() ? "PASS" : "FAIL",
                                    fixtureCase.positive() ? "positive" : "negative",
                                    fixtureCase.name(),
                                    alerts.size(),
                                    alerts.size() == 1 ? "" : "s"));
            if (!deadLetters.isEmpty()) {
                s.append(", ").append(deadLetters.size()).append(" dead letters");
            }
            for (String p : problems) {
                s.append("\n        ").append(p);
            }
            return s.toString();
        }
    }

    private final RuleRunner runner;

    public FixtureCheck(RuleRunner runner) {
        this.runner = runner;
    }

    /** Runs every case of {@code fixture} against {@code rule} (its JSON) alone. */
    public List<Result> check(String rule, RuleFixture fixture) throws Exception {
        List<Result> results = new ArrayList<>();
        for (RuleFixture.Case c : fixture.cases()) {
            RuleRunner.Output out = runner.run(List.of(rule), c.events(), fixture.context());
            List<ThreatAlert> alerts = out.alerts();
            results.add(
                    new Result(
                            fixture.ruleId(),
                            c,
                            alerts,
                            out.deadLetters(),
                            problems(c.expected(), alerts, out.deadLetters())));
        }
        return results;
    }

    /**
     * Matches alerts to expectations in order of their last event time; every alert must meet its
     * expectation and none may be missing or extra. Dead letters are problems too: a fixture's
     * events are meant to be read.
     */
    static List<String> problems(
            List<RuleFixture.Expected> expected,
            List<ThreatAlert> alerts,
            List<DeadLetter> deadLetters) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), alerts.size()); i++) {
            if (i >= alerts.size()) {
                problems.add("expected alert " + (i + 1) + " was not raised");
            } else if (i >= expected.size()) {
                problems.add("unexpected alert: " + summary(alerts.get(i)));
            } else {
                String mismatch = expected.get(i).mismatch(alerts.get(i));
                if (mismatch != null) {
                    problems.add("alert " + (i + 1) + ": " + mismatch);
                }
            }
        }
        for (DeadLetter d : deadLetters) {
            problems.add("dead letter " + d.getReasonCode() + ": " + d.getReason());
        }
        return problems;
    }

    static String summary(ThreatAlert a) {
        return a.getRuleId()
                + " on "
                + a.getGroupKey()
                + ", "
                + a.getEvidence().size()
                + " events "
                + a.getFirstEventTime()
                + " .. "
                + a.getLastEventTime();
    }
}
