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
            assertThat(rule.version()).isEqualTo(1);
            assertThat(rule.description()).isNotBlank();
            ids.add(rule.id());
        }
        assertThat(ids)
                .containsExactlyInAnyOrder(
                        "brute-force",
                        "config-change-outside-window",
                        "credential-stuffing",
                        "crypto-mining",
                        "data-exfiltration",
                        "ddos",
                        "disk-filling",
                        "lateral-movement",
                        "malware-beaconing",
                        "memory-leak",
                        "mfa-fatigue",
                        "network-congestion",
                        "overheating",
                        "port-scan",
                        "privilege-escalation",
                        "sensor-impossible-reading",
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
}
