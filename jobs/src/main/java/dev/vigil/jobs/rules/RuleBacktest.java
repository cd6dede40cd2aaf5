package dev.vigil.jobs.rules;

import dev.vigil.jobs.threat.ThreatDetectionPipeline;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryDeserializationSchema;
import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.operators.kafka.KafkaConnections;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.schema.EvidenceRef;
import dev.vigil.schema.GroundTruthLabel;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.kafka.KafkaClientSettings;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Replays stored telemetry through one rule before it is enabled: the telemetry topic's committed
 * records, read from the beginning up to the offsets that are the latest when the run starts,
 * keeping the events whose event time lies in {@code [from, to)}, through the threat-detection
 * job's own pipeline in an embedded MiniCluster ({@link RuleRunner}). The alerts it would have
 * raised are set against the ground-truth labels of that time where the topic has any (the
 * simulator writes them): an alert counts for a label when one of its nodes is the label's and its
 * last event lies between the label's start and a minute after its end.
 */
public final class RuleBacktest {

    /** An alert may complete this long after its label's last event and still count for it. */
    static final Duration SLACK = Duration.ofMinutes(1);

    /** One scenario type's labels in the time range, and how many the rule alerted on. */
    public record LabelRow(String scenario, boolean nearMiss, int labels, int alerted) {}

    /** What the rule would have raised. */
    public record Report(
            String ruleId,
            Instant from,
            Instant to,
            List<ThreatAlert> alerts,
            int deadLetters,
            List<LabelRow> labels,
            int unlabelledAlerts) {

        public String describe() {
            StringBuilder s = new StringBuilder();
            s.append(
                    String.format(
                            "rule %s over telemetry from %s to %s: %d alert%s, %d dead letters%n",
                            ruleId,
                            from,
                            to,
                            alerts.size(),
                            alerts.size() == 1 ? "" : "s",
                            deadLetters));
            int shown = 0;
            for (ThreatAlert a : alerts) {
                if (shown++ == 20) {
                    s.append("  ... ").append(alerts.size() - 20).append(" more\n");
                    break;
                }
                s.append("  ").append(FixtureCheck.summary(a)).append('\n');
            }
            if (labels.isEmpty()) {
                s.append("no ground-truth labels in that time: nothing to score against\n");
                return s.toString();
            }
            s.append(
                    "ground truth (an alert on one of the label's nodes, its start to end + 1"
                            + " min)\n");
            s.append(
                    String.format(
                            "  %-24s %-10s %7s %8s%n", "scenario", "kind", "labels", "alerted"));
            for (LabelRow r : labels) {
                s.append(
                        String.format(
                                "  %-24s %-10s %7d %8d%n",
                                r.scenario(),
                                r.nearMiss() ? "near miss" : "attack",
                                r.labels(),
                                r.alerted()));
            }
            s.append(String.format("  alerts on no label: %d%n", unlabelledAlerts));
            return s.toString();
        }
    }

    private final RuleRunner runner;
    private final KafkaClientSettings kafka;
    private final String topic;
    private final String labelsTopic;
    private OperationsContext context = OperationsContext.DEFAULT;

    public RuleBacktest(
            RuleRunner runner, String bootstrapServers, String topic, String labelsTopic) {
        this(runner, KafkaClientSettings.plaintext(bootstrapServers), topic, labelsTopic);
    }

    /** A backtest over the broker {@code kafka} names, with its client (security) properties. */
    public RuleBacktest(
            RuleRunner runner, KafkaClientSettings kafka, String topic, String labelsTopic) {
        this.runner = runner;
        this.kafka = kafka;
        this.topic = topic;
        this.labelsTopic = labelsTopic;
    }

    /** The change windows and automation accounts the stack's threat job declares. */
    public RuleBacktest withOperations(OperationsContext context) {
        this.context = context;
        return this;
    }

    public Report run(String ruleId, String rule, Instant from, Instant to) throws Exception {
        RuleRunner.Output out =
                runner.run(
                        List.of(rule),
                        KafkaConnections.source(
                                kafka,
                                topic,
                                "vigil-backtest-" + ruleId,
                                OffsetsInitializer.earliest(),
                                true,
                                new InRange(
                                        new TelemetryDeserializationSchema(
                                                new TelemetryValidator(
                                                        TelemetryValidator.DEFAULT_MAX_FUTURE_SKEW),
                                                new DeadLetterFactory(
                                                        ThreatDetectionPipeline.JOB_NAME)),
                                        from.toEpochMilli(),
                                        to.toEpochMilli())),
                        context);
        List<GroundTruthLabel> labels = labels(from, to);
        Map<String, int[]> rows = new TreeMap<>();
        Set<String> matchedAlerts = new HashSet<>();
        for (GroundTruthLabel label : labels) {
            int[] row =
                    rows.computeIfAbsent(
                            label.getScenario() + (label.getNearMiss() ? "|near" : "|attack"),
                            k -> new int[2]);
            row[0]++;
            boolean alerted = false;
            for (ThreatAlert a : out.alerts()) {
                if (covers(label, a)) {
                    alerted = true;
                    matchedAlerts.add(a.getAlertId());
                }
            }
            if (alerted) {
                row[1]++;
            }
        }
        List<LabelRow> table = new ArrayList<>();
        rows.forEach(
                (k, v) -> {
                    String[] parts = k.split("\\|");
                    table.add(new LabelRow(parts[0], parts[1].equals("near"), v[0], v[1]));
                });
        int unlabelled = 0;
        for (ThreatAlert a : out.alerts()) {
            if (!matchedAlerts.contains(a.getAlertId())) {
                unlabelled++;
            }
        }
        return new Report(
                ruleId, from, to, out.alerts(), out.deadLetters().size(), table, unlabelled);
    }

    static boolean covers(GroundTruthLabel label, ThreatAlert alert) {
        Instant last = alert.getLastEventTime();
        if (last.isBefore(label.getStartTime()) || last.isAfter(label.getEndTime().plus(SLACK))) {
            return false;
        }
        Set<String> nodes = new HashSet<>();
        if (alert.getNodeId() != null) {
            nodes.add(alert.getNodeId());
        }
        for (EvidenceRef e : alert.getEvidence()) {
            nodes.add(e.getNodeId());
        }
        return label.getNodeIds().stream().anyMatch(nodes::contains);
    }

    /** The labels overlapping {@code [from, to)}; none when the topic does not exist. */
    private List<GroundTruthLabel> labels(Instant from, Instant to) throws IOException {
        Properties props = kafka.toProperties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AvroCodec<GroundTruthLabel> codec = AvroCodec.of(GroundTruthLabel.class);
        List<GroundTruthLabel> labels = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(labelsTopic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return labels;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(labelsTopic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot read " + labelsTopic + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    GroundTruthLabel label;
                    try {
                        label = codec.decode(r.value());
                    } catch (Exception e) {
                        continue; // not a label: nothing to score against
                    }
                    if (label.getStartTime().isBefore(to) && !label.getEndTime().isBefore(from)) {
                        labels.add(label);
                    }
                }
            }
        }
        return labels;
    }

    /** Keeps the telemetry whose event time (or, for a dead letter, timestamp) is in range. */
    private static final class InRange
            implements KafkaRecordDeserializationSchema<IngestedTelemetry> {
        private static final long serialVersionUID = 1L;

        private final TelemetryDeserializationSchema inner;
        private final long from;
        private final long to;

        InRange(TelemetryDeserializationSchema inner, long from, long to) {
            this.inner = inner;
            this.from = from;
            this.to = to;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<IngestedTelemetry> out)
                throws IOException {
            inner.deserialize(
                    record,
                    new Collector<>() {
                        @Override
                        public void collect(IngestedTelemetry in) {
                            long t =
                                    in.event != null
                                            ? in.event.getEventTime().toEpochMilli()
                                            : record.timestamp();
                            if (t >= from && t < to) {
                                out.collect(in);
                            }
                        }

                        @Override
                        public void close() {}
                    });
        }

        @Override
        public TypeInformation<IngestedTelemetry> getProducedType() {
            return inner.getProducedType();
        }
    }
}
