package dev.vigil.cli;

import dev.vigil.local.JobSpec;
import java.nio.file.Path;
import java.util.List;

/** The jobs {@code vigil up} runs on the local cluster, and their arguments there. */
final class VigilJobs {

    private VigilJobs() {}

    /**
     * @param keyStore the stack's key store directory; its password reaches the audit job through
     *     the TaskManager's environment
     */
    static List<JobSpec> all(String bootstrapServers, Path keyStore) {
        return List.of(
                new JobSpec(
                        "vigil-node-health",
                        "dev.vigil.jobs.health.NodeHealthJob",
                        List.of("--bootstrap.servers", bootstrapServers)),
                new JobSpec(
                        "vigil-threat-detection",
                        "dev.vigil.jobs.threat.ThreatDetectionJob",
                        List.of("--bootstrap.servers", bootstrapServers)),
                new JobSpec(
                        "vigil-node-inference",
                        "dev.vigil.jobs.inference.NodeInferenceJob",
                        List.of("--bootstrap.servers", bootstrapServers)),
                new JobSpec(
                        "vigil-carbon",
                        "dev.vigil.jobs.carbon.CarbonJob",
                        List.of("--bootstrap.servers", bootstrapServers)),
                new JobSpec(
                        "vigil-remediation",
                        "dev.vigil.jobs.remediation.RemediationJob",
                        List.of(
                                "--bootstrap.servers",
                                bootstrapServers,
                                "--remediation.keystore",
                                keyStore.toAbsolutePath().toString())),
                new JobSpec(
                        "vigil-audit",
                        "dev.vigil.jobs.audit.AuditJob",
                        List.of(
                                "--bootstrap.servers",
                                bootstrapServers,
                                "--audit.keystore",
                                keyStore.toAbsolutePath().toString())));
    }
}
