package dev.vigil.cli;

import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.Topic;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.AvroDecodeException;
import dev.vigil.schema.kafka.KafkaClientSettings;
import dev.vigil.simulator.SimulatorOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code vigil alerts} and {@code vigil tail}: a topic's records as they arrive (or since a time),
 * decoded, one line each; committed records only, as the jobs' exactly-once output becomes visible.
 */
final class LiveViewCommand {

    static final String ALERTS_USAGE =
            "usage: ./vigil alerts [--follow] [--since <10m|2h|ISO time>]"
                    + " [--severity CRITICAL,MALICIOUS,...] [--limit N]\n"
                    + "  without --follow: the alerts of the last hour (or since --since), then"
                    + " exit;\n"
                    + "  with --follow: new alerts from now (or since --since) until Ctrl-C (or"
                    + " --limit alerts)";

    static final String TAIL_USAGE =
            "usage: ./vigil tail <topic> [--follow] [--since <10m|2h|ISO time>] [--limit N]\n"
                    + "  each record as JSON, after its partition, offset and timestamp; topics: "
                    + String.join(
                            ", ", Arrays.stream(Topic.values()).map(Topic::topicName).toList());

    private static final Set<String> SEVERITIES =
            Set.of("BENIGN", "SUSPICIOUS", "MALICIOUS", "CRITICAL");

    private final KafkaClientSettings kafka;
    private final PrintStream out;
    private final Clock clock;

    LiveViewCommand(KafkaClientSettings kafka, PrintStream out, Clock clock) {
        this.kafka = kafka;
        this.out = out;
        this.clock = clock;
    }

    /** {@code vigil alerts}. */
    int alerts(List<String> args) {
        if (args.contains("--help")) {
            out.println(ALERTS_USAGE);
            return 0;
        }
        Options o = Options.parse(args, Duration.ofHours(1), clock);
        String severity = VigilCli.take(args, "--severity", null);
        requireNoMore(args, ALERTS_USAGE);
        Set<String> severities = new TreeSet<>();
        if (severity != null) {
            for (String s : severity.split(",")) {
                String level = s.trim().toUpperCase(Locale.ROOT);
                if (!SEVERITIES.contains(level)) {
                    throw new IllegalArgumentException(
                            "--severity: '"
                                    + s.trim()
                                    + "' is none of "
                                    + new TreeSet<>(SEVERITIES));
                }
                severities.add(level);
            }
        }
        AvroCodec<ThreatAlert> codec = AvroCodec.of(ThreatAlert.class);
        int[] shown = {0};
        read(
                Topic.ALERTS.topicName(),
                o,
                record -> {
                    ThreatAlert alert;
                    try {
                        alert = codec.decode(record.value());
                    } catch (AvroDecodeException | RuntimeException e) {
                        out.println(position(record) + " undecodable alert: " + e.getMessage());
                        return true;
                    }
                    if (!severities.isEmpty() && !severities.contains(alert.getSeverity())) {
                        return true;
                    }
                    out.println(line(alert));
                    return ++shown[0] < o.limit;
                });
        return 0;
    }

    /** One readable line of {@code alert}. */
    static String line(ThreatAlert alert) {
        String where =
                alert.getNodeId() != null
                        ? "node " + alert.getNodeId()
                        : alert.getGroupBy() + " " + alert.getGroupKey();
        return String.format(
                Locale.ROOT,
                "%s %-10s %s v%d  %s  risk %.2f %s  %s  (alert %s, %d events %s .. %s)",
                alert.getDetectedAt(),
                alert.getSeverity(),
                alert.getRuleId(),
                alert.getRuleVersion(),
                where,
                alert.getRiskScore(),
                alert.getRiskLevel(),
                alert.getTitle(),
                alert.getAlertId(),
                alert.getEvidence().size(),
                alert.getFirstEventTime(),
                alert.getLastEventTime());
    }

    /** {@code vigil tail <topic>}. */
    int tail(List<String> args) {
        if (args.contains("--help") || args.isEmpty()) {
            out.println(TAIL_USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String name = args.remove(0);
        Topic topic =
                Arrays.stream(Topic.values())
                        .filter(t -> t.topicName().equals(name) || t.sqlTableName().equals(name))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no topic '" + name + "'\n" + TAIL_USAGE));
        Options o = Options.parse(args, Duration.ofMinutes(10), clock);
        requireNoMore(args, TAIL_USAGE);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(topic.valueSchema());
        int[] shown = {0};
        read(
                topic.topicName(),
                o,
                record -> {
                    String value;
                    try {
                        value =
                                reader.read(
                                                null,
                                                DecoderFactory.get()
                                                        .binaryDecoder(record.value(), null))
                                        .toString();
                    } catch (Exception | StackOverflowError e) {
                        value = "undecodable (" + e.getClass().getSimpleName() + ")";
                    }
                    out.println(
                            position(record)
                                    + " "
                                    + Instant.ofEpochMilli(record.timestamp())
                                    + " "
                                    + value);
                    return ++shown[0] < o.limit;
                });
        return 0;
    }

    private static String position(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    private static void requireNoMore(List<String> args, String usage) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + args + "\n" + usage);
        }
    }

    /** Where to start, whether to follow, when to stop. */
    record Options(Instant since, boolean follow, long limit) {

        static Options parse(List<String> args, Duration lookBack, Clock clock) {
            boolean follow = args.remove("--follow") | args.remove("-f");
            String since = VigilCli.take(args, "--since", null);
            String limit = VigilCli.take(args, "--limit", null);
            Instant start;
            if (since == null) {
                start = follow ? null : clock.instant().minus(lookBack);
            } else if (since.contains("T")) {
                start = Instant.parse(since);
            } else {
                start = clock.instant().minus(SimulatorOptions.parseDuration(since));
            }
            long max = limit == null ? Long.MAX_VALUE : Long.parseLong(limit);
            if (max < 1) {
                throw new IllegalArgumentException("--limit must be at least 1");
            }
            return new Options(start, follow, max);
        }
    }

    /**
     * Hands each committed record of {@code topic} from {@code o.since} (by record timestamp; the
     * end of each partition when null) to {@code each} until it returns false; without {@code
     * follow}, also stops at the partitions' ends as they were at the start.
     */
    private void read(String topic, Options o, Predicate<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = kafka.toProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-live-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends =
                    consumer.endOffsets(partitions, Duration.ofSeconds(30));
            if (o.since() == null) {
                ends.forEach(consumer::seek);
            } else {
                Map<TopicPartition, Long> at = new HashMap<>();
                partitions.forEach(tp -> at.put(tp, o.since().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found =
                        consumer.offsetsForTimes(at, Duration.ofSeconds(30));
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp offset = found.get(tp);
                    consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset());
                }
            }
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (!o.follow()
                            && record.offset()
                                    >= ends.get(
                                            new TopicPartition(
                                                    record.topic(), record.partition()))) {
                        continue;
                    }
                    if (!each.test(record)) {
                        return;
                    }
                }
                if (!o.follow()
                        && partitions.stream()
                                .allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
                    return;
                }
            }
        }
    }
}
