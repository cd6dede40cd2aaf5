package dev.vigil.operators.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.threat.rules.GroupAttribute;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RuleParserTest {

    static final String VALID =
            """
            {"id": "many-failures", "version": 2, "title": "t", "description": "d", "severity": "SUSPICIOUS",
             "mitre": "T1110", "groupBy": ["src_ip", "node"],
             "scope": {"field": "security.kind", "eq": "AUTH_FAILURE"},
             "steps": [{"name": "failure", "where": {"field": "security.user", "exists": true}, "times": {"min": 3, "max": 5}}],
             "within": "90s", "suppressFor": "5m",
             "exceptions": [{"field": "security.src_ip", "private": true}]}
            """;

    @Test
    void parsesAValidRule() throws Exception {
        RuleDefinition rule = RuleParser.parse(VALID);

        assertThat(rule.id()).isEqualTo("many-failures");
        assertThat(rule.version()).isEqualTo(2);
        assertThat(rule.groupBy()).containsExactly(GroupAttribute.NODE, GroupAttribute.SRC_IP);
        assertThat(rule.keyShape()).isEqualTo("node+src_ip");
        assertThat(rule.steps().get(0).minTimes()).isEqualTo(3);
        assertThat(rule.steps().get(0).maxTimes()).isEqualTo(5);
        assertThat(rule.within()).isEqualTo(Duration.ofSeconds(90));
        assertThat(rule.suppressFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(rule.exceptions()).hasSize(1);
        assertThat(rule.enabled()).isTrue();
    }

    @Test
    void everyRejectionNamesTheField() {
        assertRejected(
                VALID.replace("\"T1110\"", "\"brute\""),
                "mitre: 'brute' is not a MITRE ATT&CK technique id such as T1110 or T1110.001");
        assertRejected(
                VALID.replace("\"SUSPICIOUS\"", "\"LOUD\""),
                "severity: 'LOUD' is not one of BENIGN, SUSPICIOUS, MALICIOUS, CRITICAL");
        assertRejected(
                VALID.replace("\"src_ip\", \"node\"", "\"node\", \"mac\""),
                "groupBy[1]: 'mac' is not one of node, cluster, site, sensor, user, src_ip,"
                        + " dst_ip");
        assertRejected(
                VALID.replace("\"security.user\"", "\"security.usr\""),
                "steps[0].where.field: unknown field 'security.usr'");
        assertRejected(
                VALID.replace("\"exists\": true", "\"like\": true"),
                "steps[0].where.like: unknown operator");
        assertRejected(
                VALID.replace("\"max\": 5", "\"max\": 2"),
                "steps[0].times.max: must not be less than min (3)");
        assertRejected(
                VALID.replace("\"90s\"", "\"soon\""),
                "within: 'soon' is not a duration such as 500ms, 30s, 10m, 2h or 1d");
        assertRejected(
                VALID.replace("\"within\": \"90s\",", ""),
                "within: is required when a step repeats (times), so partial matches expire");
        assertRejected(
                VALID.replace("\"eq\": \"AUTH_FAILURE\"", "\"gt\": \"AUTH_FAILURE\""),
                "scope.gt: compares numbers, but security.kind is a string");
        assertRejected(
                VALID.replace("\"private\": true", "\"private\": \"yes\""),
                "exceptions[0].private: must be true or false");
        assertRejected(
                VALID.replace("\"suppressFor\"", "\"supressFor\""), "supressFor: unknown property");
        assertRejected(
                VALID.replace("\"version\": 2", "\"version\": 0"),
                "version: must be a whole number >= 1");
        assertRejected("{\"id\": \"x\"", "not valid JSON");
    }

    @Test
    void stepRulesAreChecked() {
        String twoSteps =
                """
                {"id": "seq", "version": 1, "title": "t", "description": "d", "severity": "BENIGN", "groupBy": ["node"],
                 "scope": {"field": "payload", "eq": "security"},
                 "steps": [{"name": "a", "where": {"field": "security.kind", "eq": "AUTH_SUCCESS"}},
                           {"name": "b", "negated": true, "where": {"field": "security.kind", "eq": "AUTH_FAILURE"}}]}
                """;
        assertRejected(
                twoSteps,
                "steps[1].negated: a rule cannot end with a negated step unless it has a 'within'"
                        + " time");
        assertRejected(
                twoSteps.replace("\"name\": \"b\"", "\"name\": \"a\""),
                "steps[1].name: 'a' is used by another step");
        assertRejected(
                twoSteps.replace(
                        "\"negated\": true,",
                        "\"sameAs\": {\"field\": \"security.user\", \"step\": \"c\"},"),
                "steps[1].sameAs.step: 'c' is not an earlier, non-negated step");
        assertRejected(
                twoSteps.replace("\"negated\": true,", "\"distinct\": \"security.user\","),
                "steps[1].distinct: only applies to a step that repeats (times)");
    }

    @Test
    void boundsKeepAHostileRuleFromCompilingIntoSomethingAbsurd() {
        assertRejected(
                VALID.replace("\"90s\"", "\"99999999999999999999s\""),
                "within: '99999999999999999999s' is longer than the 30 days a rule may span");
        assertRejected(
                VALID.replace("\"90s\"", "\"31d\""),
                "within: '31d' is longer than the 30 days a rule may span");
        assertRejected(
                VALID.replace("{\"min\": 3, \"max\": 5}", "2000000000"),
                "steps[0].times: at most 100 repetitions are allowed");
        assertRejected(
                VALID.replace("\"max\": 5", "\"max\": 101"),
                "steps[0].times: at most 100 repetitions are allowed");
        String deep = "{\"field\": \"security.kind\", \"eq\": \"AUTH_FAILURE\"}";
        for (int i = 0; i < 9; i++) {
            deep = "{\"not\": " + deep + "}";
        }
        assertRejected(
                VALID.replace("{\"field\": \"security.kind\", \"eq\": \"AUTH_FAILURE\"}", deep),
                "scope.not.not.not.not.not.not.not.not.not: conditions nest deeper than 8");
        String many =
                "{\"field\": \"security.user\", \"in\": [" + "\"u\",".repeat(1024) + "\"v\"]}";
        assertRejected(
                VALID.replace("{\"field\": \"security.user\", \"exists\": true}", many),
                "steps[0].where.in: at most 1024 values are allowed");
        assertRejected(
                VALID.replace("\"d\"", "\"" + "x".repeat(70_000) + "\""),
                "the definition is larger than 65536 bytes");
        assertRejected(
                VALID.replace(
                        "{\"field\": \"security.user\", \"exists\": true}",
                        "{\"field\": \"security.bytes\", \"gt\": 1e400}"),
                "steps[0].where.gt: must be a finite number");
    }

    @Test
    void networksAndDispersionAreValidatedAndApplied() throws Exception {
        String networks =
                VALID.replace(
                        "{\"field\": \"security.src_ip\", \"private\": true}",
                        "{\"field\": \"security.src_ip\", \"inNetwork\": [\"100.64.0.0/10\","
                                + " \"192.0.2.7\"]}");
        RuleDefinition rule = RuleParser.parse(networks);
        var exception = rule.exceptions().get(0);
        assertThat(exception.test(event("100.127.255.1"))).isTrue();
        assertThat(exception.test(event("192.0.2.7"))).isTrue();
        assertThat(exception.test(event("100.128.0.1"))).isFalse();
        assertThat(exception.test(event("192.0.2.8"))).isFalse();
        assertThat(exception.test(event("not-an-ip"))).isFalse();
        assertRejected(
                networks.replace("\"192.0.2.7\"", "\"192.0.2.7/33\""),
                "exceptions[0].inNetwork[1]: '192.0.2.7/33' is not an IPv4 network such as"
                        + " 10.250.0.0/16");
        assertRejected(
                VALID.replace(
                        "{\"field\": \"security.src_ip\", \"private\": true}",
                        "{\"field\": \"security.bytes\", \"inNetwork\": [\"10.0.0.0/8\"]}"),
                "exceptions[0].inNetwork: applies to IP address fields only");

        String periodic =
                VALID.replace(
                        "\"times\": {\"min\": 3, \"max\": 5}}",
                        "\"times\": 8, \"periodic\": {\"dispersion\": 0.3}}");
        assertThat(RuleParser.parse(periodic).steps().get(0).periodicDispersion()).isEqualTo(0.3);
        assertRejected(
                periodic.replace(
                        "{\"dispersion\": 0.3}", "{\"dispersion\": 0.3, \"tolerance\": 0.1}"),
                "steps[0].periodic: needs one of tolerance");
        assertRejected(
                periodic.replace("0.3}", "1.5}"),
                "steps[0].periodic.dispersion: must be a number between 0 and 1");
    }

    private static dev.vigil.operators.threat.enrich.EnrichedEvent event(String srcIp) {
        dev.vigil.schema.TelemetryEvent e =
                dev.vigil.operators.TestEvents.security("node-1", 0, 0, "AUTH_FAILURE");
        e.getSecurity().setSrcIp(srcIp);
        return new dev.vigil.operators.threat.enrich.EnrichedEvent(e, null, 0, 0);
    }

    private static void assertRejected(String json, String messageStart) {
        assertThatThrownBy(() -> RuleParser.parse(json))
                .isInstanceOf(RuleValidationException.class)
                .hasMessageStartingWith(messageStart);
    }
}
