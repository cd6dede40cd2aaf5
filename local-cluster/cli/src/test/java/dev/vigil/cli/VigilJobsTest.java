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

    /**
     * jobs/README's manual {@code flink run} lines submit what {@code vigil deploy} submits (which
     * DeployITCase runs on a bare cluster): the same main classes with the same options.
     */
    @Test
    void theManualFlinkRunLinesOfJobsReadmeMatchWhatDeploySubmits() throws Exception {
        java.util.Map<String, java.util.Set<String>> readmeOptions = new java.util.TreeMap<>();
        for (List<String> words : JobsReadme.flinkRunLines(java.util.Map.of())) {
            assertThat(words).startsWith("flink", "run", "-d", "-c");
            java.util.Set<String> options = new java.util.TreeSet<>();
            words.stream().filter(w -> w.startsWith("--")).forEach(options::add);
            readmeOptions.put(words.get(4), options);
        }
        java.util.Map<String, java.util.Set<String>> deployed = new java.util.TreeMap<>();
        for (JobSpec job :
                VigilJobs.all(
                        "broker:9092",
                        dir.resolve("keys"),
                        principal -> dir.resolve("client.properties"),
                        null,
                        dir.resolve("keys/trusted-authors"),
                        dir.resolve("keystore.password"))) {
            java.util.Set<String> options = new java.util.TreeSet<>();
            job.args().stream().filter(a -> a.startsWith("--")).forEach(options::add);
            options.remove("--restart.attempts");
            deployed.put(job.entryClass(), options);
            assertThat(
                            VigilJobsTest.class
                                    .getClassLoader()
                                    .getResource(job.entryClass().replace('.', '/') + ".class"))
                    .as(job.entryClass())
                    .isNotNull();
        }
        assertThat(readmeOptions).isEqualTo(deployed);
    }
}
