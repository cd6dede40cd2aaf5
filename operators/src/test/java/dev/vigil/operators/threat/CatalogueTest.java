package dev.vigil.operators.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.threat.cep.RulePatternCompiler;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    @Test
    void everyBuiltInRuleParsesAndCompilesToCep() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String json : RuleCatalogue.builtIn()) {
            RuleDefinition rule = RuleParser.parse(json);
            RulePatternCompiler.compile(rule);
            assertThat(rule.version()).isPositive();
            assertThat(rule.description()).isNotBlank();
            ids.add(rule.id());
        }
        assertThat(ids)
                .containsExactlyInAnyOrder(
                        "account-spray",
                        "brute-force",
                        "brute-force-slow",
                        "config-change-outside-window",
                        "credential-stuffing",
                        "crypto-mining",
                        "data-exfiltration",
                        "ddos",
                        "disk-filling",
                        "lateral-movement",
                        "malware-beaconing",
                        "malware-beaconing-jittered",
                        "memory-leak",
                        "mfa-fatigue",
                        "network-congestion",
                        "overheating",
                        "password-spray",
                        "port-scan",
                        "privilege-escalation",
                        "sensor-frozen",
                        "sensor-impossible-change",
                        "sensor-impossible-reading",
                        "sensor-replay",
                        "sensor-replay-old",
                        "sensor-sequence-anomaly");
    }

    @Test
    void securityRulesNameTheirMitreTechnique() throws Exception {
        for (String json : RuleCatalogue.builtIn()) {
            RuleDefinition rule = RuleParser.parse(json);
            boolean operational =
                    List.of("overheating", "memory-leak", "disk-filling", "network-congestion")
                            .contains(rule.id());
            assertThat(rule.mitre() == null).as(rule.id()).isEqualTo(operational);
        }
    }

    @Test
    void theJsonSchemaKnowsExactlyTheFieldsTheParserKnows() throws Exception {
        com.fasterxml.jackson.databind.JsonNode schema;
        try (java.io.InputStream in =
                CatalogueTest.class.getResourceAsStream("/dev/vigil/rules/rule.schema.json")) {
            schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        List<String> fields = new ArrayList<>();
        schema.at("/$defs/condition/oneOf/0/properties/field/enum")
                .forEach(f -> fields.add(f.asText()));
        assertThat(fields)
                .containsExactlyElementsOf(dev.vigil.operators.threat.rules.FieldPath.names());
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(r -> required.add(r.asText()));
        assertThat(required)
                .containsExactly(
                        "id",
                        "version",
                        "title",
                        "description",
                        "severity",
                        "groupBy",
                        "scope",
                        "steps");
    }
}
