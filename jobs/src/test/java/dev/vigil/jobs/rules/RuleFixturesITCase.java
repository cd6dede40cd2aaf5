package dev.vigil.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every built-in rule against its shipped fixtures, through the job's own pipeline in an embedded
 * MiniCluster ({@link RuleRunner}): each positive case raises exactly its expected alerts, each
 * negative case none. The fixtures also catch a rule that is wrong in either direction.
 */
class RuleFixturesITCase {

    private static RuleRunner runner;

    @BeforeAll
    static void start() throws Exception {
        runner = new RuleRunner();
    }

    @AfterAll
    static void stop() throws Exception {
        runner.close();
    }

    @Test
    void everyBuiltInRuleShipsPositiveAndNegativeFixturesAndPassesThem() throws Exception {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (String rule : RuleCatalogue.builtIn()) {
            String id = RuleParser.parse(rule).id();
            String text = RuleCatalogue.fixtures(id);
            assertThat(text).as("fixtures of " + id).isNotNull();
            RuleFixture fixture = RuleFixture.parse(text, id);
            assertThat(fixture.ruleId()).isEqualTo(id);
            assertThat(fixture.cases()).as(id + " positive cases").anyMatch(c -> c.positive());
            assertThat(fixture.cases()).as(id + " negative cases").anyMatch(c -> !c.positive());
            for (FixtureCheck.Result r : new FixtureCheck(runner).check(rule, fixture)) {
                cases++;
                if (!r.passed()) {
                    failures.add(id + ": " + r.describe());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(cases).isGreaterThanOrEqualTo(2 * RuleCatalogue.builtIn().size());
    }

    @Test
    void aRuleTooStrictFailsItsPositiveCaseAndOneTooLooseItsNegativeCase() throws Exception {
        String rule = builtIn("brute-force");
        RuleFixture fixture = RuleFixture.parse(RuleCatalogue.fixtures("brute-force"), "bf");
        FixtureCheck check = new FixtureCheck(runner);

        List<FixtureCheck.Result> strict =
                check.check(rule.replace("\"times\": 10", "\"times\": 20"), fixture);
        assertThat(strict).extracting(FixtureCheck.Result::passed).containsExactly(false, true);
        assertThat(strict.get(0).problems()).containsExactly("expected alert 1 was not raised");

        List<FixtureCheck.Result> loose =
                check.check(
                        rule.replace("\"times\": 10", "\"times\": 3")
                                .replace(
                                        "\"in\": [\"BAD_PASSWORD\", \"UNKNOWN_USER\"]",
                                        "\"exists\": true"),
                        fixture);
        assertThat(loose).extracting(FixtureCheck.Result::passed).containsExactly(false, false);
        // three of twelve make the evidence, and the first three typos are an alert
        assertThat(loose.get(0).problems())
                .containsExactly(
                        "alert 1: evidence of 3 events (expected 10), last_event_time"
                                + " 2026-01-15T10:00:02Z (expected 2026-01-15T10:00:09Z)");
        assertThat(loose.get(1).problems())
                .hasSize(1)
                .first()
                .asString()
                .startsWith(
                        "unexpected alert: brute-force on node-1|operator|10.250.1.20, 3 events");
    }

    @Test
    void theCommandLineTestsARuleFileWithItsFixturesBesideIt(@TempDir Path dir) throws Exception {
        Path example = Path.of("../docs/rules/examples/file-access-burst.json");
        Result ok = tool("test", example.toString());
        assertThat(ok.code).as(ok.out).isZero();
        assertThat(ok.out)
                .contains("rule file-access-burst")
                .contains("PASS  positive")
                .contains("PASS  negative")
                .endsWith("2 cases, 0 failed\n");

        // the same fixtures against a rule that no longer fires
        Path broken = dir.resolve("file-access-burst.json");
        Files.writeString(
                broken,
                Files.readString(example).replace("\"times\": 2", "\"times\": 5"),
                StandardCharsets.UTF_8);
        Result failed =
                tool(
                        "test",
                        broken.toString(),
                        "--fixtures",
                        "../docs/rules/examples/file-access-burst.fixtures.json");
        assertThat(failed.code).isEqualTo(1);
        assertThat(failed.out).contains("FAIL  positive").endsWith("2 cases, 1 failed\n");

        Result builtIn = tool("test", "port-scan");
        assertThat(builtIn.code).as(builtIn.out).isZero();

        Result unknown = tool("test", "no-such-rule");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err)
                .contains("'no-such-rule' is neither a rule file nor a built-in rule id");

        Path badFixture = dir.resolve("bad.json");
        Files.writeString(
                badFixture,
                "{\"rule\": \"file-access-burst\", \"cases\": [{\"events\": [{\"at\": \"1s\","
                        + " \"node\": \"n\", \"security\": {\"kind\": \"FILE_ACCESS\","
                        + " \"colour\": \"red\"}}], \"expect\": []}]}");
        Result bad = tool("test", example.toString(), "--fixtures", badFixture.toString());
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err)
                .contains(badFixture + ": cases[0].events[0].security.colour: no such field");
    }

    private static String builtIn(String id) throws Exception {
        for (String rule : RuleCatalogue.builtIn()) {
            if (RuleParser.parse(rule).id().equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException(id);
    }

    record Result(int code, String out, String err) {}

    static Result tool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                RuleTool.run(
                        List.of(args),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
