package dev.vigil.operators.threat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.ThreatAlert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented example rule works as documented. */
class ExampleRuleTest {

    static final long T = Instant.parse("2026-01-15T10:00:00Z").toEpochMilli();

    @Test
    void fileAccessBurstFiresOnTwoAccessesWithinTwoMinutes() throws Exception {
        String rule = Files.readString(Path.of("../docs/rules/examples/file-access-burst.json"));
        try (RuleBench bench = new RuleBench(List.of(rule))) {
            bench.send(
                    Ev.sec("node-1", T, "FILE_ACCESS")
                            .user("svc-node-1")
                            .target("/var/lib/edge/data-3.db")
                            .build());
            bench.send(
                    Ev.sec("node-2", T + 10_000, "FILE_ACCESS")
                            .user("svc-node-2")
                            .target("/var/lib/edge/data-4.db")
                            .build());
            bench.send(
                    Ev.sec("node-1", T + 30_000, "FILE_ACCESS")
                            .user("svc-node-1")
                            .target("/var/lib/edge/data-9.db")
                            .build());
            bench.finish();
            assertThat(bench.alerts()).extracting(ThreatAlert::getNodeId).containsExactly("node-1");
        }
    }
}
