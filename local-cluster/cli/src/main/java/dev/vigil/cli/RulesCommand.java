package dev.vigil.cli;

import dev.vigil.local.process.LaunchException;
import dev.vigil.local.process.RuntimeClasspath;
import dev.vigil.operators.threat.engine.RuleOverride;
import dev.vigil.operators.threat.engine.RuleSet;
import dev.vigil.operators.threat.rules.RuleCatalogue;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleParser;
import dev.vigil.operators.threat.rules.RuleValidationException;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code vigil rules list | apply <file> | enable <id> | disable <id> | delete <id>}: publishes
 * rule commands to the {@code rules} topic and waits for the running job's acknowledgement.
 */
final class RulesCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./vigil rules list                 rules in force: the built-in"
                            + " catalogue with every applied command",
                    "       ./vigil rules apply <file.json>    add a rule or a new version of one"
                            + " (validated here first)",
                    "       ./vigil rules enable|disable|delete <rule-id>",
                    "       ./vigil rules test <rule.json | rule-id | --built-in> [--fixtures"
                            + " FILE|DIR]   run the rule's fixtures (no cluster needed)",
                    "       ./vigil rules backtest <rule.json | rule-id> --from <instant> --to"
                            + " <instant>   the alerts it would have raised on stored telemetry");

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    /** The rule tool's main in the job jar. */
    static final String RULE_TOOL = "dev.vigil.jobs.rules.RuleTool";

    private final ControlPublisher publisher;
    private final KafkaClientSettings kafka;
    private final Path kafkaProperties;
    private final Path jobJar;

    /**
     * @param kafkaProperties the same settings as a client properties file, for the backtest's own
     *     JVM (so that no secret is on its command line); {@code null} for a plaintext broker
     */
    RulesCommand(ControlPublisher publisher, Path kafkaProperties, Path jobJar) {
        this.publisher = publisher;
        this.kafka = publisher.kafka();
        this.kafkaProperties = kafkaProperties;
        this.jobJar = jobJar;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            System.out.println(USAGE);
            return 2;
        }
        String verb = args.get(0);
        switch (verb) {
            case "list":
                return list();
            case "apply":
                return args.size() == 2 ? apply(Path.of(args.get(1))) : usage();
            case "test":
                return tool(args);
            case "backtest":
                List<String> withBroker = new ArrayList<>(args);
                if (!withBroker.contains("--bootstrap-servers")) {
                    withBroker.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
                }
                if (kafkaProperties != null && !withBroker.contains("--kafka.properties")) {
                    withBroker.addAll(List.of("--kafka.properties", kafkaProperties.toString()));
                }
                return tool(withBroker);
            case "enable":
            case "disable":
            case "delete":
                return args.size() == 2
                        ? publish(args.get(1), verb.toUpperCase(), 0, null)
                        : usage();
            default:
                return usage();
        }
    }

    /**
     * Runs the rule tool ({@code test} / {@code backtest}) of the job jar in a JVM of its own with
     * Flink's classpath: it starts an embedded MiniCluster, which the CLI's own classpath does not
     * hold. The child is stopped by its pid if this process is.
     */
    private int tool(List<String> args) {
        if (!Files.isRegularFile(jobJar)) {
            throw new LaunchException(
                    "the job jar " + jobJar + " is missing: build with mvn -DskipTests package");
        }
        List<String> command = new ArrayList<>();
        command.add(
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElse(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString()));
        command.addAll(
                List.of(
                        "-Xmx1g",
                        "-cp",
                        RuntimeClasspath.FLINK_CLUSTER.load() + java.io.File.pathSeparator + jobJar,
                        RULE_TOOL));
        command.addAll(args);
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            Thread stop = new Thread(() -> child.destroy(), "stop-rule-tool");
            Runtime.getRuntime().addShutdownHook(stop);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } catch (IOException e) {
            throw new LaunchException("cannot start the rule tool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usage() {
        System.err.println(USAGE);
        return 2;
    }

    private int apply(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        RuleDefinition rule;
        try {
            rule = RuleParser.parse(json);
        } catch (RuleValidationException e) {
            System.err.println("vigil rules: " + file + " does not validate: " + e.getMessage());
            return 1;
        }
        return publish(rule.id(), "UPSERT", rule.version(), json);
    }

    private int publish(String ruleId, String action, int version, String definition) {
        RuleCommand command =
                RuleCommand.newBuilder()
                        .setCommandId(UUID.randomUUID().toString())
                        .setRuleId(ruleId)
                        .setAction(action)
                        .setVersion(version)
                        .setDefinition(definition)
                        .setIssuedBy(System.getProperty("user.name", "vigil-cli"))
                        .setIssuedAt(Instant.now())
                        .build();
        long sentAt = System.nanoTime();
        publisher.send(Topic.RULES, ruleId, command, RuleCommand.class);
        System.out.printf(
                "published %s %s (command %s); waiting for the job's acknowledgement ...%n",
                action, ruleId, command.getCommandId());
        RuleAck ack = awaitAck(command.getCommandId());
        if (ack == null) {
            System.err.println(
                    "vigil rules: no acknowledgement within "
                            + ACK_TIMEOUT.toSeconds()
                            + " s; is the threat-detection job running? (./vigil status)");
            return 1;
        }
        System.out.printf(
                "%s after %.1f s%s%n",
                ack.getStatus(),
                (System.nanoTime() - sentAt) / 1e9,
                ack.getReason() == null ? "" : ": " + ack.getReason());
        return ack.getStatus().equals("APPLIED") ? 0 : 1;
    }

    private RuleAck awaitAck(String commandId) {
        AvroCodec<RuleAck> codec = AvroCodec.of(RuleAck.class);
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, Topic.RULE_ACKS.topicName());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    RuleAck ack = decode(codec, record);
                    if (ack != null && ack.getCommandId().equals(commandId)) {
                        return ack;
                    }
                }
            }
        }
        return null;
    }

    /** The built-in catalogue folded with every command the job applied. */
    private int list() {
        Map<String, RuleCommand> commands = new HashMap<>();
        List<RuleAck> applied = new ArrayList<>();
        AvroCodec<RuleCommand> commandCodec = AvroCodec.of(RuleCommand.class);
        AvroCodec<RuleAck> ackCodec = AvroCodec.of(RuleAck.class);
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topic.RULES.topicName())) {
            RuleCommand command = decode(commandCodec, record);
            if (command != null) {
                commands.put(command.getCommandId(), command);
            }
        }
        for (ConsumerRecord<byte[], byte[]> record : readAll(Topic.RULE_ACKS.topicName())) {
            RuleAck ack = decode(ackCodec, record);
            if (ack != null && ack.getStatus().equals("APPLIED")) {
                applied.add(ack);
            }
        }
        Map<String, RuleDefinition> builtIn = RuleSet.parseCatalogue(RuleCatalogue.builtIn());
        Map<String, RuleOverride> overrides = new HashMap<>();
        for (RuleAck ack : applied) {
            RuleCommand command = commands.get(ack.getCommandId());
            if (command != null) {
                RuleSet current = new RuleSet(builtIn, overrides);
                overrides.put(command.getRuleId(), fold(current, command));
            }
        }
        RuleSet rules = new RuleSet(builtIn, overrides);
        System.out.printf(
                "%-30s %7s %-8s %-10s %-18s %-9s %s%n",
                "rule", "version", "state", "severity", "group by", "source", "title");
        for (String id : rules.ids()) {
            RuleDefinition rule = rules.effective(id);
            String source =
                    overrides.containsKey(id) && overrides.get(id).definition != null
                            ? "topic"
                            : builtIn.containsKey(id) ? "built-in" : "topic";
            if (rule == null) {
                System.out.printf("%-30s %7d %-8s%n", id, rules.version(id), "deleted");
            } else {
                System.out.printf(
                        "%-30s %7d %-8s %-10s %-18s %-9s %s%n",
                        id,
                        rule.version(),
                        rule.enabled() ? "enabled" : "disabled",
                        rule.severity(),
                        rule.keyShape(),
                        source,
                        rule.title());
            }
        }
        return 0;
    }

    /** The override an applied command leaves (the job validated it; here it is only replayed). */
    private static RuleOverride fold(RuleSet current, RuleCommand command) {
        RuleOverride existing = current.overrides().get(command.getRuleId());
        int version = current.version(command.getRuleId());
        switch (command.getAction()) {
            case "UPSERT":
                try {
                    RuleDefinition rule = RuleParser.parse(command.getDefinition());
                    return new RuleOverride(
                            rule.version(), rule.enabled(), false, command.getDefinition());
                } catch (RuleValidationException e) {
                    throw new IllegalStateException(
                            "an applied rule no longer parses: " + e.getMessage(), e);
                }
            case "ENABLE":
            case "DISABLE":
                return new RuleOverride(
                        version,
                        command.getAction().equals("ENABLE"),
                        false,
                        existing == null ? null : existing.definition);
            default:
                return new RuleOverride(version, false, true, null);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = kafka.toProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return new KafkaConsumer<>(
                properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(
            KafkaConsumer<byte[], byte[]> consumer, String topic) {
        try {
            return consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        } catch (RuntimeException e) {
            throw new LaunchException(
                    "cannot reach topic " + topic + " (is ./vigil up running?): " + e.getMessage(),
                    e);
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T decode(
            AvroCodec<T> codec, ConsumerRecord<byte[], byte[]> record) {
        try {
            return record.value() == null ? null : codec.decode(record.value());
        } catch (AvroDecodeException e) {
            return null;
        }
    }
}
