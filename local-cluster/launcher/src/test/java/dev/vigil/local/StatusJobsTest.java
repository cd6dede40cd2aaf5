package dev.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.local.flink.FlinkRestClient.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusJobsTest {

    @Test
    void statusListsActiveJobsAndTheNewestRunOfEachStoppedVigilJobOnly() {
        List<Job> jobs =
                List.of(
                        new Job("a1", "vigil-audit", "FINISHED", 100),
                        new Job("a2", "vigil-audit", "RUNNING", 200),
                        new Job("c1", "vigil-carbon", "FINISHED", 100),
                        new Job("c2", "vigil-carbon", "FAILED", 300),
                        new Job("q1", "collect: SELECT *\n FROM alerts", "FINISHED", 150),
                        new Job("q2", "collect: SELECT COUNT(*) FROM node_health", "FINISHED", 160),
                        new Job("q3", "collect: SELECT * FROM telemetry", "RUNNING", 400));

        assertThat(LocalStack.shownJobs(jobs).stream().map(Job::id))
                .containsExactlyInAnyOrder("a2", "c2", "q3");
    }
}
