package dev.vigil.cli;

import dev.vigil.local.JobSpec;
import dev.vigil.local.LocalStack;
import dev.vigil.local.process.LaunchException;
import dev.vigil.local.security.StackPrincipals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The jobs {@code vigil up} runs on the local cluster, and their arguments there. Options for every
 * job can be added in {@code <data>/job-options} (one {@code key=value} per line, e.g. {@code
 * watermark.idleness=5 s}), or for one job as {@code <job name>: key=value} (e.g. {@code
 * vigil-threat-detection: risk.anomaly-max-wait=15 s}); they apply at each submission, also to jobs
 * the supervisor submits again.
 */
final class VigilJobs {

    /** The file of extra job options in the data directory. */
    static final String OPTIONS_FILE = "job-options";

    private VigilJobs() {}

    /** The jobs of {@code stack}, with the options of its {@value #OPTIONS_FILE} file. */
    static List<JobSpec> of(LocalStack stack) {
        return withOptions(
                all(
                        stack.settings().bootstrapServers(),
                        stack.keys().dir(),
                        principal -> stack.security().clientProperties(principal),
                        stack.security().fleetKey(),
                        stack.keys().trustedAuthors()),
                stack.settings().dataDir().resolve(OPTIONS_FILE));
    }

    /** {@code all} with the options of {@code file}, if it exists. */
    static List<JobSpec> withOptions(List<JobSpec> all, Path file) {
        List<String[]> extra = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    extra.add(option(file, l, all));
                }
            } catch (IOException e) {
                throw new LaunchException("cannot read " + file, e);
            }
        }
        List<JobSpec> jobs = new ArrayList<>();
        for (JobSpec job : all) {
            List<String> args = new ArrayList<>(job.args());
            for (String[] o : extra) {
                if (o[0] == null || o[0].equals(job.name())) {
                    args.add("--" + o[1]);
                    args.add(o[2]);
                }
            }
            jobs.add(new JobSpec(job.name(), job.entryClass(), List.copyOf(args)));
        }
        return List.copyOf(jobs);
    }

    /**
     * {@code key=value} for every job, or {@code <job name>: key=value} for one: {job, key, value}.
     */
    private static String[] option(Path file, String line, List<JobSpec> jobs) {
        String job = null;
        String rest = line;
        int colon = line.indexOf(':');
        int eq = line.indexOf('=');
        if (colon > 0 && (eq < 0 || colon < eq)) {
            job = line.substring(0, colon).strip();
            rest = line.substring(colon + 1).strip();
            String name = job;
            if (jobs.stream().noneMatch(j -> j.name().equals(name))) {
                throw new LaunchException(
                        file
                                + ": '"
                                + line
                                + "' names no job (one of "
                                + jobs.stream().map(JobSpec::name).toList()
                                + ")");
            }
            eq = rest.indexOf('=');
        }
        if (eq <= 0) {
            throw new LaunchException(
                    file
                            + ": '"
                            + line
                            + "' is not key=value or <job>: key=value (e.g. watermark.idleness=5"
                            + " s)");
        }
        return new String[] {job, rest.substring(0, eq).strip(), rest.substring(eq + 1).strip()};
    }

    /**
     * @param keyStore the stack's key store directory; its password reaches the audit job through
     *     the TaskManager's environment
     */
    static List<JobSpec> all(String bootstrapServers, Path keyStore) {
        return all(bootstrapServers, keyStore, principal -> null, null, null);
    }

    /**
     * @param kafkaProperties the client properties file of a job's principal ({@code job-<name>}),
     *     or {@code null} for a plaintext broker
     * @param fleetKey the fleet key the telemetry jobs check node MACs with, or {@code null}
     * @param trustedAuthors the trust store the jobs that read rules, models and approvals check
     *     their authors' signatures with, or {@code null}
     */
    static List<JobSpec> all(
            String bootstrapServers,
            Path keyStore,
            Function<String, Path> kafkaProperties,
            Path fleetKey,
            Path trustedAuthors) {
        return all(bootstrapServers, keyStore, kafkaProperties, fleetKey, trustedAuthors, null);
    }

    /**
     * @param passwordFile the key store password as a file the TaskManagers can read (a mounted
     *     secret), or {@code null} when their environment holds it
     */
    static List<JobSpec> all(
            String bootstrapServers,
            Path keyStore,
            Function<String, Path> kafkaProperties,
            Path fleetKey,
            Path trustedAuthors,
            Path passwordFile) {
        String keys = keyStore.toAbsolutePath().toString();
        String[] password =
                passwordFile == null
                        ? new String[0]
                        : new String[] {
                            "--keystore.password-file", passwordFile.toAbsolutePath().toString()
                        };
        String[] authors =
                trustedAuthors == null
                        ? new String[0]
                        : new String[] {
                            "--control.trusted-authors", trustedAuthors.toAbsolutePath().toString()
                        };
        String[] identity =
                fleetKey == null
                        ? new String[0]
                        : new String[] {"--ingest.node-keys", fleetKey.toAbsolutePath().toString()};
        return List.of(
                job(
                        "node-health",
                        "health.NodeHealthJob",
                        bootstrapServers,
                        kafkaProperties,
                        identity),
                job(
                        "threat-detection",
                        "threat.ThreatDetectionJob",
                        bootstrapServers,
                        kafkaProperties,
                        concat(identity, authors)),
                job(
                        "node-inference",
                        "inference.NodeInferenceJob",
                        bootstrapServers,
                        kafkaProperties,
                        concat(identity, authors)),
                job("carbon", "carbon.CarbonJob", bootstrapServers, kafkaProperties, identity),
                job(
                        "remediation",
                        "remediation.RemediationJob",
                        bootstrapServers,
                        kafkaProperties,
                        concat(
                                concat(new String[] {"--remediation.keystore", keys}, password),
                                authors)),
                job(
                        "audit",
                        "audit.AuditJob",
                        bootstrapServers,
                        kafkaProperties,
                        concat(
                                concat(new String[] {"--audit.keystore", keys}, password),
                                authors)));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static JobSpec job(
            String name,
            String entryClass,
            String bootstrapServers,
            Function<String, Path> kafkaProperties,
            String... more) {
        // restarts for a minute: long enough to outlast a TaskManager the supervisor restarts
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--bootstrap.servers",
                                bootstrapServers,
                                "--restart.attempts",
                                "12"));
        Path properties = kafkaProperties.apply(StackPrincipals.job(name));
        if (properties != null) {
            // a file, not --kafka.* options: job arguments are shown by Flink's REST API
            args.addAll(List.of("--kafka.properties", properties.toString()));
        }
        args.addAll(List.of(more));
        return new JobSpec("vigil-" + name, "dev.vigil.jobs." + entryClass, List.copyOf(args));
    }
}
