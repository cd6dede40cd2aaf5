package dev.vigil.cli;

import dev.vigil.local.Deployment;
import dev.vigil.local.JobSpec;
import dev.vigil.local.StackKeys;
import dev.vigil.local.process.LaunchException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code vigil deploy} and {@code vigil undeploy}: Vigil on a Kafka cluster and a Flink session
 * cluster of the user's (local-cluster/README.md, "Your own cluster").
 */
final class DeployCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./vigil deploy --flink-rest <url> --bootstrap-servers <host:port>"
                            + " [options]",
                    "       ./vigil undeploy [--dir <dir>] [--savepoint-dir <uri>]",
                    "",
                    "deploy options:",
                    "  --flink-rest <url>           the JobManager's REST API, e.g."
                            + " http://jobmanager:8081",
                    "  --bootstrap-servers <list>   the Kafka cluster",
                    "  --kafka-properties <file>    the platform's Kafka client properties"
                            + " (security.protocol, SASL, trust store); the jobs use them too",
                    "  --sql-gateway <url>          register the vigil SQL catalog on this"
                            + " gateway, e.g. http://sql-gateway:8083",
                    "  --dir <dir>                  the deployment's keys and records (default"
                            + " ./vigil-deployment); TaskManagers must read its keys/ and"
                            + " keystore.password at the same path",
                    "  --replication <n>            replicas of the topics deploy creates"
                            + " (default 3)",
                    "  --node-keys <file>           fleet key: telemetry must carry node MACs"
                            + " (default: node identity not checked)",
                    "  --job-options <file>         extra job options, key=value or <job>:"
                            + " key=value per line",
                    "  --accept-topic-differences   deploy although existing topics differ from"
                            + " what Vigil needs",
                    "",
                    "undeploy stops every vigil-* job with a savepoint (into --savepoint-dir, else"
                            + " the cluster's state.savepoints.dir); the next deploy resumes"
                            + " from it.");

    private final Path jobJar;
    private final PrintStream out;
    private final Duration timeout;

    DeployCommand(Path jobJar, PrintStream out, Duration timeout) {
        this.jobJar = jobJar;
        this.out = out;
        this.timeout = timeout;
    }

    int deploy(List<String> args) {
        if (args.contains("--help")) {
            out.println(USAGE);
            return 0;
        }
        boolean accept = args.remove("--accept-topic-differences");
        String rest = VigilCli.take(args, "--flink-rest", null);
        String bootstrap = VigilCli.take(args, "--bootstrap-servers", null);
        String properties = VigilCli.take(args, "--kafka-properties", null);
        String gateway = VigilCli.take(args, "--sql-gateway", null);
        Path dir = Path.of(VigilCli.take(args, "--dir", "vigil-deployment"));
        short replication = Short.parseShort(VigilCli.take(args, "--replication", "3"));
        String nodeKeys = VigilCli.take(args, "--node-keys", null);
        String jobOptions = VigilCli.take(args, "--job-options", null);
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + args + "\n" + USAGE);
        }
        if (rest == null || bootstrap == null) {
            throw new IllegalArgumentException(
                    "deploy needs --flink-rest and --bootstrap-servers\n" + USAGE);
        }
        Deployment deployment =
                new Deployment(
                        dir,
                        new Deployment.Target(
                                url(rest, "--flink-rest"),
                                bootstrap,
                                properties == null ? null : Path.of(properties).toAbsolutePath(),
                                gateway == null ? null : url(gateway, "--sql-gateway"),
                                replication),
                        timeout,
                        out::println);
        deployment.save();

        List<String> differences = deployment.topics();
        if (!differences.isEmpty()) {
            differences.forEach(d -> out.println("  topic " + d));
            if (!accept) {
                out.println(
                        "deploy stopped: existing topics differ from what Vigil needs (nothing"
                                + " was changed); fix them, or pass --accept-topic-differences");
                return 1;
            }
        }

        StackKeys keys = deployment.keys();
        Path password;
        Path trusted;
        try {
            out.println(
                    "signing key "
                            + keys.open().signer().keyId()
                            + " (public keys in "
                            + keys.publicKeys()
                            + ")");
            trusted = keys.openAuthors(Instant.now());
            password = keys.passwordFile().orElse(null);
        } catch (IOException e) {
            throw new LaunchException("cannot open the key store: " + e.getMessage(), e);
        }
        out.println("authors' keys trusted for rules, models and approvals in " + trusted);
        out.println(
                password == null
                        ? "key store password: VIGIL_KEYSTORE_PASSWORD, which the TaskManagers'"
                                + " environment must hold too"
                        : "key store password in " + password + " (mount it on the TaskManagers)");

        if (gateway != null) {
            int tables = deployment.registerCatalog();
            out.println(
                    "SQL catalog "
                            + Deployment.CATALOG
                            + " on "
                            + gateway
                            + " with "
                            + tables
                            + " tables (JDBC: jdbc:flink://"
                            + URI.create(gateway).getAuthority()
                            + "/"
                            + Deployment.CATALOG
                            + "/topics)");
        }

        Path kafkaProperties = deployment.target().kafkaProperties();
        List<JobSpec> jobs =
                VigilJobs.withOptions(
                        VigilJobs.all(
                                bootstrap,
                                keys.dir(),
                                principal -> kafkaProperties,
                                nodeKeys == null ? null : Path.of(nodeKeys),
                                trusted,
                                password),
                        jobOptions == null
                                ? deployment.dir().resolve(VigilJobs.OPTIONS_FILE)
                                : Path.of(jobOptions));
        Map<String, String> ids = deployment.jobs().submit(jobJar, jobs);
        ids.forEach((name, id) -> out.println("  " + name + " " + id + " RUNNING"));
        out.println(
                "Vigil is deployed: "
                        + ids.size()
                        + " jobs on "
                        + rest
                        + "; ./vigil undeploy --dir "
                        + dir
                        + " stops them with savepoints");
        return 0;
    }

    int undeploy(List<String> args) {
        if (args.contains("--help")) {
            out.println(USAGE);
            return 0;
        }
        Path dir = Path.of(VigilCli.take(args, "--dir", "vigil-deployment"));
        String savepoints = VigilCli.take(args, "--savepoint-dir", null);
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + args + "\n" + USAGE);
        }
        Deployment deployment = Deployment.load(dir, timeout, out::println);
        List<String> stopped = deployment.jobs().stopJobs(savepoints, false);
        out.println(
                stopped.isEmpty()
                        ? "no Vigil job was running on " + deployment.target().flinkRest()
                        : "stopped "
                                + stopped.size()
                                + " jobs; ./vigil deploy with the same --dir resumes them");
        return 0;
    }

    private static URI url(String value, String option) {
        URI uri = URI.create(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    option + " needs a URL such as http://host:port, got '" + value + "'");
        }
        return uri;
    }
}
