package dev.vigil.local;

import dev.vigil.local.flink.FlinkRestClient;
import dev.vigil.local.flink.JobControl;
import dev.vigil.local.flink.JobSubmission;
import dev.vigil.local.flink.SqlGatewayClient;
import dev.vigil.local.process.LaunchException;
import dev.vigil.schema.Topic;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.schema.sql.FlinkSqlTables;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Vigil on a Kafka cluster and a Flink session cluster that {@code vigil up} did not start: the
 * topics checked or created, the keys, the {@code vigil} SQL catalog on the user's SQL Gateway and
 * the jobs. Its directory keeps what a later {@code undeploy} or {@code deploy} needs: {@value
 * #TARGET_FILE} (where the clusters are), the keys, and the savepoints each stop recorded.
 */
public final class Deployment {

    /** The file in the deployment directory that names the clusters. */
    public static final String TARGET_FILE = "deployment.properties";

    /** The name of the SQL catalog deploy registers. */
    public static final String CATALOG = "vigil";

    /**
     * Where Vigil runs.
     *
     * @param flinkRest the JobManager's REST API, e.g. {@code http://jobmanager:8081}
     * @param bootstrapServers the Kafka cluster
     * @param kafkaProperties the platform's client properties file (security settings), or null
     * @param sqlGateway the SQL Gateway's REST endpoint, or null
     * @param replication the replication factor of topics deploy creates
     */
    public record Target(
            URI flinkRest,
            String bootstrapServers,
            Path kafkaProperties,
            URI sqlGateway,
            short replication) {

        /** The Kafka client settings of the deploying user (and of the jobs). */
        public KafkaClientSettings kafka() {
            return KafkaClientSettings.of(
                    bootstrapServers,
                    kafkaProperties == null ? null : kafkaProperties.toAbsolutePath(),
                    Map.of());
        }
    }

    private final Path dir;
    private final Target target;
    private final Consumer<String> progress;
    private final Duration timeout;

    public Deployment(Path dir, Target target, Duration timeout, Consumer<String> progress) {
        this.dir = dir.toAbsolutePath();
        this.target = target;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** The deployment recorded in {@code dir} by an earlier {@link #save()}. */
    public static Deployment load(Path dir, Duration timeout, Consumer<String> progress) {
        Path file = dir.resolve(TARGET_FILE);
        if (!Files.isRegularFile(file)) {
            throw new LaunchException(
                    "no deployment in " + dir.toAbsolutePath() + ": run ./vigil deploy first");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file, e);
        }
        String properties = p.getProperty("kafka.properties");
        String gateway = p.getProperty("sql.gateway");
        return new Deployment(
                dir,
                new Target(
                        URI.create(p.getProperty("flink.rest")),
                        p.getProperty("bootstrap.servers"),
                        properties == null ? null : Path.of(properties),
                        gateway == null ? null : URI.create(gateway),
                        Short.parseShort(p.getProperty("replication", "1"))),
                timeout,
                progress);
    }

    public Path dir() {
        return dir;
    }

    public Target target() {
        return target;
    }

    /** Records the target in {@value #TARGET_FILE}. */
    public void save() {
        Properties p = new Properties();
        p.setProperty("flink.rest", target.flinkRest().toString());
        p.setProperty("bootstrap.servers", target.bootstrapServers());
        if (target.kafkaProperties() != null) {
            p.setProperty("kafka.properties", target.kafkaProperties().toAbsolutePath().toString());
        }
        if (target.sqlGateway() != null) {
            p.setProperty("sql.gateway", target.sqlGateway().toString());
        }
        p.setProperty("replication", Short.toString(target.replication()));
        try {
            Files.createDirectories(dir);
            try (Writer out =
                    Files.newBufferedWriter(dir.resolve(TARGET_FILE), StandardCharsets.UTF_8)) {
                p.store(out, "vigil deploy: the clusters this deployment runs on");
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + dir.resolve(TARGET_FILE), e);
        }
    }

    /** The keys: the signing key store, the authors' stores and the trust store, under dir. */
    public StackKeys keys() {
        return new StackKeys(dir);
    }

    /**
     * Checks each of Vigil's topics against what Vigil needs (partitions, cleanup policy, timestamp
     * type, other settings it sets) and creates the missing ones with {@link Target#replication()}
     * replicas. Changes no existing topic: returns one line per difference.
     */
    public List<String> topics() {
        List<String> differences = new ArrayList<>();
        try (Admin admin = Admin.create(target.kafka().toProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<Topic> present = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                if (existing.contains(topic.topicName())) {
                    present.add(topic);
                } else {
                    missing.add(
                            new NewTopic(
                                            topic.topicName(),
                                            topic.defaultPartitions(),
                                            target.replication())
                                    .configs(topic.config()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                progress.accept("created topics " + missing.stream().map(NewTopic::name).toList());
            }
            differences.addAll(compare(admin, present));
            progress.accept(
                    present.size()
                            + " topics present"
                            + (differences.isEmpty()
                                    ? ", as Vigil needs them"
                                    : ", " + differences.size() + " differences"));
        } catch (ExecutionException e) {
            throw new LaunchException(
                    "cannot check or create topics on "
                            + target.bootstrapServers()
                            + ": "
                            + e.getCause().getMessage(),
                    e);
        } catch (Exception e) {
            throw new LaunchException(
                    "cannot reach Kafka at " + target.bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
        return differences;
    }

    private static List<String> compare(Admin admin, Collection<Topic> topics) throws Exception {
        List<String> differences = new ArrayList<>();
        if (topics.isEmpty()) {
            return differences;
        }
        Map<String, TopicDescription> described =
                admin.describeTopics(topics.stream().map(Topic::topicName).toList())
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
        List<ConfigResource> resources =
                topics.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.topicName()))
                        .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        for (Topic topic : topics) {
            int partitions = described.get(topic.topicName()).partitions().size();
            if (partitions != topic.defaultPartitions()) {
                differences.add(
                        topic.topicName()
                                + ": "
                                + partitions
                                + " partitions, Vigil creates "
                                + topic.defaultPartitions());
            }
            Config config =
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()));
            for (Map.Entry<String, String> wanted : expectedConfig(topic).entrySet()) {
                var entry = config.get(wanted.getKey());
                String actual = entry == null ? null : entry.value();
                if (!wanted.getValue().equals(actual)) {
                    differences.add(
                            topic.topicName()
                                    + ": "
                                    + wanted.getKey()
                                    + " is "
                                    + actual
                                    + ", Vigil needs "
                                    + wanted.getValue());
                }
            }
        }
        return differences;
    }

    /** The settings a topic must have: its own, and the defaults it relies on. */
    static Map<String, String> expectedConfig(Topic topic) {
        Map<String, String> expected = new java.util.TreeMap<>();
        expected.put("cleanup.policy", "delete");
        expected.put("message.timestamp.type", "CreateTime");
        expected.putAll(topic.config());
        return expected;
    }

    /**
     * Registers the {@value #CATALOG} catalog on the deployment's SQL Gateway; see {@link
     * #registerCatalog(URI, KafkaClientSettings, Duration)}.
     */
    public int registerCatalog() {
        if (target.sqlGateway() == null) {
            throw new IllegalStateException("no SQL Gateway given");
        }
        return registerCatalog(target.sqlGateway(), target.kafka(), timeout);
    }

    /**
     * Registers the {@value #CATALOG} catalog (one table per topic, read with {@code kafka}) on the
     * SQL Gateway at {@code gateway}, replacing an earlier one, and checks from a new session that
     * it persisted; returns the number of tables. Fails with what to configure when the gateway
     * keeps catalogs per session only.
     */
    public static int registerCatalog(URI gateway, KafkaClientSettings kafka, Duration timeout) {
        try (SqlGatewayClient session = SqlGatewayClient.open(gateway, Map.of())) {
            session.execute("DROP CATALOG IF EXISTS `" + CATALOG + "`", timeout);
            session.execute(FlinkSqlTables.createCatalog(CATALOG, kafka), timeout);
        }
        try (SqlGatewayClient session = SqlGatewayClient.open(gateway, Map.of())) {
            List<List<String>> catalogs = session.execute("SHOW CATALOGS", timeout);
            if (catalogs.stream().noneMatch(r -> CATALOG.equals(r.get(0)))) {
                throw new LaunchException(
                        "the SQL Gateway at "
                                + gateway
                                + " forgot the catalog when its session ended: configure a"
                                + " catalog store on it (table.catalog-store.kind: file and"
                                + " table.catalog-store.file.path: <a directory>)");
            }
            return session.execute(
                            "SHOW TABLES FROM `"
                                    + CATALOG
                                    + "`.`"
                                    + FlinkSqlTables.CATALOG_DATABASE
                                    + "`",
                            timeout)
                    .size();
        }
    }

    /** The Flink client configuration (REST address, logging) of this deployment's clients. */
    public Path clientConfDir() {
        return submission().confDir();
    }

    private JobSubmission submission() {
        return JobSubmission.remote(dir.resolve("client"), target.flinkRest(), Map.of());
    }

    /** The deployment's jobs on the user's session cluster. */
    public JobControl jobs() {
        return new JobControl(
                new FlinkRestClient(target.flinkRest()),
                submission(),
                dir.resolve("resume"),
                jobId -> Optional.empty(),
                timeout,
                progress);
    }
}
