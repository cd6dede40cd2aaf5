package dev.vigil.jobs.rules;

import dev.vigil.jobs.common.EventTimeSettings;
import dev.vigil.jobs.threat.ThreatDetectionPipeline;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.TelemetryDecoder;
import dev.vigil.operators.ingest.TelemetryValidator;
import dev.vigil.operators.threat.engine.IngestedRuleCommand;
import dev.vigil.operators.threat.engine.RuleSet;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.ThreatAlert;
import dev.vigil.schema.avro.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Runs rules over telemetry in an embedded Flink MiniCluster, through the threat-detection job's
 * own pipeline ({@link ThreatDetectionPipeline}: validation, deduplication, event-time clock,
 * enrichment, key-shape routing, the rule engine), as a bounded job at parallelism 1: the same
 * events give the same alerts, and the end of the input releases every waiting match. No Kafka and
 * no running stack are needed; one MiniCluster serves every run of this runner.
 */
public final class RuleRunner implements AutoCloseable {

    /** What a run produced. */
    public record Output(List<ThreatAlert> alerts, List<DeadLetter> deadLetters) {}

    private final MiniCluster cluster;
    private final EventTimeSettings time;

    /** A runner with the jobs' default event-time settings (5 s bound, 10 min dedup horizon). */
    public RuleRunner() throws Exception {
        this(new EventTimeSettings(Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10)));
    }

    public RuleRunner(EventTimeSettings time) throws Exception {
        this.time = time;
        Configuration config = new Configuration();
        config.set(RestOptions.BIND_PORT, "0");
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
    }

    /** Runs {@code rules} (JSON definitions, validated here) over {@code events}, in order. */
    public Output run(List<String> rules, List<TelemetryEvent> events) throws Exception {
        return run(rules, events, OperationsContext.DEFAULT);
    }

    /** As {@link #run(List, List)}, with the change windows and automation accounts declared. */
    public Output run(List<String> rules, List<TelemetryEvent> events, OperationsContext context)
            throws Exception {
        return run(rules, new EncodedEvents(events).source(), context);
    }

    /** Runs {@code rules} over what {@code telemetry} reads (a bounded source). */
    public Output run(
            List<String> rules,
            Source<IngestedTelemetry, ?, ?> telemetry,
            OperationsContext context)
            throws Exception {
        RuleSet.parseCatalogue(rules);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment();
        env.setParallelism(1);
        CollectingSink<ThreatAlert> alerts = CollectingSink.create();
        CollectingSink<RuleAck> acks = CollectingSink.create();
        CollectingSink<DeadLetter> deadLetters = CollectingSink.create();
        new ThreatDetectionPipeline("telemetry", time, rules)
                .withOperations(context)
                .build(env, telemetry, noCommands(), alerts, acks, deadLetters);
        cluster.executeJobBlocking(env.getStreamGraph().getJobGraph());
        acks.drain();
        List<ThreatAlert> raised = new ArrayList<>(alerts.drain());
        raised.sort(
                Comparator.comparing(ThreatAlert::getLastEventTime)
                        .thenComparing(ThreatAlert::getAlertId));
        return new Output(raised, deadLetters.drain());
    }

    /**
     * The rules topic of a local run: bounded, and holding one command that changes nothing (the
     * disabling of a rule that does not exist, rejected), since a generated source cannot be empty.
     */
    private static Source<IngestedRuleCommand, ?, ?> noCommands() {
        return new DataGeneratorSource<>(
                i -> {
                    IngestedRuleCommand none = new IngestedRuleCommand();
                    none.command =
                            RuleCommand.newBuilder()
                                    .setCommandId("local-run")
                                    .setRuleId("local-run-no-such-rule")
                                    .setAction("DISABLE")
                                    .setVersion(0)
                                    .setIssuedBy("vigil rules")
                                    .setIssuedAt(Instant.EPOCH)
                                    .build();
                    return none;
                },
                1,
                TypeInformation.of(IngestedRuleCommand.class));
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    /**
     * Events carried into the job as Avro bytes and read through the telemetry decoder and
     * validator, as records of one partition in this order with their event time as timestamp.
     */
    private static final class EncodedEvents implements GeneratorFunction<Long, IngestedTelemetry> {
        private static final long serialVersionUID = 1L;

        private final List<byte[]> values;
        private final List<byte[]> keys;
        private final long[] times;
        private transient TelemetryDecoder decoder;

        EncodedEvents(List<TelemetryEvent> events) {
            AvroCodec<TelemetryEvent> codec = AvroCodec.of(TelemetryEvent.class);
            List<byte[]> v = new ArrayList<>();
            List<byte[]> k = new ArrayList<>();
            times = new long[events.size()];
            for (int i = 0; i < events.size(); i++) {
                TelemetryEvent e = events.get(i);
                v.add(codec.encode(e));
                k.add(e.getNode().getNodeId().getBytes(StandardCharsets.UTF_8));
                times[i] = e.getEventTime().toEpochMilli();
            }
            values = new ArrayList<>(v);
            keys = new ArrayList<>(k);
        }

        Source<IngestedTelemetry, ?, ?> source() {
            return new DataGeneratorSource<>(
                    this, values.size(), TypeInformation.of(IngestedTelemetry.class));
        }

        @Override
        public void open(SourceReaderContext context) {
            decoder =
                    new TelemetryDecoder(
                            new TelemetryValidator(TelemetryValidator.DEFAULT_MAX_FUTURE_SKEW),
                            new DeadLetterFactory(ThreatDetectionPipeline.JOB_NAME));
        }

        @Override
        public IngestedTelemetry map(Long index) {
            int i = (int) (long) index;
            byte[] value = values.get(i);
            byte[] key = keys.get(i);
            return decoder.decode(
                    new ConsumerRecord<>(
                            "telemetry",
                            0,
                            i,
                            times[i],
                            TimestampType.CREATE_TIME,
                            key.length,
                            value.length,
                            key,
                            value,
                            new RecordHeaders(),
                            Optional.empty()));
        }
    }
}
