package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.local.JobSpec;
import dev.vigil.local.process.LaunchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilJobsTest {

    @TempDir Path dir;

    private List<JobSpec> jobs(String options) throws Exception {
        Path file = Files.writeString(dir.resolve("job-options"), options, StandardCharsets.UTF_8);
        return VigilJobs.withOptions(VigilJobs.all("localhost:9092", dir), file);
    }

    private static List<String> argsOf(List<JobSpec> jobs, String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow().args();
    }

    @Test
    void optionsApplyToEveryJobOrToTheOneNamed() throws Exception {
        List<JobSpec> jobs =
                jobs(
                        "# short idleness\n"
                                + "watermark.idleness=5 s\n"
                                + "\n"
                                + "vigil-threat-detection: risk.anomaly-max-wait=15 s\n");
        assertThat(argsOf(jobs, "vigil-carbon"))
                .containsSubsequence("--watermark.idleness", "5 s")
                .doesNotContain("--risk.anomaly-max-wait");
        assertThat(argsOf(jobs, "vigil-threat-detection"))
                .containsSubsequence("--watermark.idleness", "5 s")
                .containsSubsequence("--risk.anomaly-max-wait", "15 s");
    }

    @Test
    void aValueMayHoldAColon() throws Exception {
        assertThat(argsOf(jobs("bootstrap.servers=host:9093\n"), "vigil-audit"))
                .endsWith("--bootstrap.servers", "host:9093");
    }

    @Test
    void aLineThatIsNoOptionOrNamesNoJobStopsTheStart() {
        assertThatThrownBy(() -> jobs("watermark.idleness 5 s\n"))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("'watermark.idleness 5 s' is not key=value");
        assertThatThrownBy(() -> jobs("threat-detection: risk.anomaly-max-wait=15 s\n"))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("names no job")
                .hasMessageContaining("vigil-threat-detection");
    }
}
