package dev.vigil.jobs.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.jobs.common.JobArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartingRulesTest {

    @TempDir Path dir;

    private static Configuration parse(String... args) {
        return JobArguments.parse(
                args, ThreatDetectionJobOptions.ALL, List.of(CommonJobOptions.BOOTSTRAP_SERVERS));
    }

    @Test
    void theBuiltInCatalogueByDefaultPlusAFileOfRules() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("rules.json"), "[" + ThreatDetectionJobITCase.RULE_V1 + "]");

        assertThat(ThreatDetectionJob.startingRules(parse("--bootstrap.servers", "k:1")))
                .hasSize(25);
        assertThat(
                        ThreatDetectionJob.startingRules(
                                parse(
                                        "--bootstrap.servers",
                                        "k:1",
                                        "--rules.file",
                                        file.toString())))
                .hasSize(26);
        assertThat(
                        ThreatDetectionJob.startingRules(
                                parse(
                                        "--bootstrap.servers",
                                        "k:1",
                                        "--rules.builtin",
                                        "false",
                                        "--rules.file",
                                        file.toString())))
                .singleElement()
                .asString()
                .contains("\"id\":\"failed-logins\"");
        assertThat(
                        ThreatDetectionJob.startingRules(
                                parse("--bootstrap.servers", "k:1", "--rules.builtin", "false")))
                .isEmpty();
    }

    @Test
    void aBadRulesFileStopsTheSubmission() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("rules.json"),
                        "["
                                + ThreatDetectionJobITCase.RULE_V1.replace("\"node\"]", "\"host\"]")
                                + "]");

        assertThatThrownBy(
                        () ->
                                ThreatDetectionJob.startingRules(
                                        parse(
                                                "--bootstrap.servers",
                                                "k:1",
                                                "--rules.file",
                                                file.toString())))
                .hasMessageContaining("groupBy[0]: 'host' is not one of");
    }
}
