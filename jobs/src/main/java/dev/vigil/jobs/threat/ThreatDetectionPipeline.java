package dev.vigil.jobs.threat;

import dev.vigil.jobs.common.EventTimeInput;
import dev.vigil.jobs.common.EventTimeSettings;
import dev.vigil.jobs.common.ValidatedTelemetry;
import dev.vigil.operators.eventtime.ControlStreams;
import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.LateEventDeadLetters;
import dev.vigil.operators.ingest.LatePolicy;
import dev.vigil.operators.threat.engine.AnomalyRiskJoin;
import dev.vigil.operators.threat.engine.IngestedRuleCommand;
import dev.vigil.operators.threat.engine.KeyShapeRouter;
import dev.vigil.operators.threat.engine.RoutedEvent;
import dev.vigil.operators.threat.engine.RuleBroadcast;
import dev.vigil.operators.threat.engine.RuleCommandSplitter;
import dev.vigil.operators.threat.engine.RuleEngineFunction;
import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.enrich.OperationsContext;
import dev.vigil.operators.threat.enrich.TelemetryEnricher;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RuleAck;
import dev.vigil.schema.RuleCommand;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * Threat detection: telemetry → decode and validate → per-node enrichment → routed once per key
 * shape → the rule engine (CEP rules, hot-reloaded from the {@code rules} topic) → alerts, with
 * every command acknowledged and every rejected or late record in the dead letters.
 *
 * <pre>
 * telemetry ─► validate ─► keyBy(node) ─► enrich ─► route by key shape ─► keyBy(shape|key) ─► rule engine ─► alerts
 *                 │                                      ▲                                  ▲      │  └─► rule-acks
 * rules ─► decode ┼──────────── broadcast(rules) ────────┴──────────────────────────────────┘      └─► late ┐
 *                 └───────────────────────────────► dead letters ◄────────────────────────────────────────┘
 *
 * alerts of one node ─► keyBy(node) ─► anomaly risk join ─► alerts    (when withAnomalies is set)
 * anomalies ─► decode ─► keyBy(node) ──────┘
 * </pre>
 */
public final class ThreatDetectionPipeline {

    public static final String JOB_NAME = "threat-detection";

    private final String telemetryTopic;
    private final EventTimeSettings time;
    private final List<String> catalogue;
    private Source<Positioned<Either<DeadLetter, AnomalyScore>>, ?, ?> anomalies;
    private AnomalyRiskJoin riskJoin;
    private OperationsContext operations = OperationsContext.DEFAULT;
    private boolean verifiedCommands;

    /**
     * @param catalogue the built-in rules (JSON), in force until the rules topic changes them
     */
    public ThreatDetectionPipeline(
            String telemetryTopic, EventTimeSettings time, List<String> catalogue) {
        this.telemetryTopic = telemetryTopic;
        this.time = time;
        this.catalogue = List.copyOf(catalogue);
    }

    /**
     * Joins the inference job's scores into alert risk ({@link AnomalyRiskJoin}); without this call
     * the anomaly input of the risk score stays neutral.
     */
    public ThreatDetectionPipeline withAnomalies(
            Source<Positioned<Either<DeadLetter, AnomalyScore>>, ?, ?> source,
            AnomalyRiskJoin join) {
        this.anomalies = source;
        this.riskJoin = join;
        return this;
    }

    /**
     * Whether the rule commands source checks authors' signatures: acknowledgements then name the
     * verified signer.
     */
    public ThreatDetectionPipeline verifiedCommands(boolean verified) {
        this.verifiedCommands = verified;
        return this;
    }

    /** The change windows and automation accounts operations declared (default: 02:00-04:00). */
    public ThreatDetectionPipeline withOperations(OperationsContext operations) {
        this.operations = operations;
        return this;
    }

    /** Adds the pipeline to {@code env}. */
    public void build(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> telemetry,
            Source<IngestedRuleCommand, ?, ?> rules,
            Sink<ThreatAlert> alertSink,
            Sink<RuleAck> ackSink,
            Sink<DeadLetter> deadLetterSink) {
        // rules are evaluated in event-time order: an event behind its partition watermark is
        // late, whatever the job's other partitions have done
        ValidatedTelemetry valid =
                ValidatedTelemetry.read(
                        env,
                        telemetry,
                        time,
                        LatePolicy.events(Duration.ZERO),
                        telemetryTopic,
                        JOB_NAME,
                        true);

        SingleOutputStreamOperator<RuleCommand> commands =
                env.fromSource(rules, ControlStreams.<IngestedRuleCommand>noEventTime(), "rules")
                        .uid("rules-source")
                        .setParallelism(1)
                        .process(new RuleCommandSplitter())
                        .uid("rule-command-decoder")
                        .setParallelism(1)
                        .name("decode-rule-commands");
        BroadcastStream<RuleCommand> ruleBroadcast = commands.broadcast(RuleBroadcast.OVERRIDES);

        DataStream<EnrichedEvent> enriched =
                valid.events()
                        .process(new TelemetryEnricher(operations))
                        .uid("telemetry-enricher")
                        .name("enrich");

        DataStream<RoutedEvent> routed =
                enriched.connect(ruleBroadcast)
                        .process(new KeyShapeRouter(catalogue))
                        .uid("key-shape-router")
                        .name("route-by-key-shape");

        SingleOutputStreamOperator<ThreatAlert> alerts =
                routed.keyBy(RoutedEvent::key)
                        .connect(ruleBroadcast)
                        .process(
                                new RuleEngineFunction(catalogue)
                                        .verifiedCommands(verifiedCommands))
                        .uid("rule-engine")
                        .name("rule-engine");

        DataStream<ThreatAlert> risked = alerts;
        DataStream<DeadLetter> badScores = null;
        if (anomalies != null) {
            SingleOutputStreamOperator<AnomalyScore> scores =
                    EventTimeInput.read(
                            env,
                            anomalies,
                            "anomalies",
                            AnomalyScore.class,
                            s -> s.getEventTime().toEpochMilli(),
                            time.outOfOrderness(),
                            time.idleness().isZero() ? Duration.ofSeconds(30) : time.idleness());
            badScores = scores.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
            DataStream<ThreatAlert> nodeAlerts =
                    alerts.filter(a -> a.getNodeId() != null)
                            .uid("node-alerts")
                            .name("node-alerts");
            DataStream<ThreatAlert> otherAlerts =
                    alerts.filter(a -> a.getNodeId() == null)
                            .uid("group-alerts")
                            .name("group-alerts");
            risked =
                    nodeAlerts
                            .keyBy(ThreatAlert::getNodeId)
                            .connect(scores.keyBy(AnomalyScore::getNodeId))
                            .process(riskJoin)
                            .uid("anomaly-risk-join")
                            .name("anomaly-risk-join")
                            .union(otherAlerts);
        }
        risked.sinkTo(alertSink).uid("alert-sink").name("alert-sink");
        alerts.getSideOutput(RuleEngineFunction.ACKS)
                .sinkTo(ackSink)
                .uid("rule-ack-sink")
                .name("rule-ack-sink");

        DataStream<DeadLetter> late =
                alerts.getSideOutput(RuleEngineFunction.LATE)
                        .map(e -> IngestedTelemetry.valid(e.event, e.partition, e.offset))
                        .returns(TypeInformation.of(IngestedTelemetry.class))
                        .uid("late-rule-input")
                        .process(
                                new LateEventDeadLetters(
                                        telemetryTopic,
                                        null,
                                        null,
                                        new DeadLetterFactory(JOB_NAME)))
                        .uid("late-events")
                        .name("late-events");
        DataStream<DeadLetter> deadLetters =
                valid.deadLetters()
                        .union(commands.getSideOutput(DeadLetterRouter.DEAD_LETTERS), late);
        if (badScores != null) {
            deadLetters = deadLetters.union(badScores);
        }
        deadLetters.sinkTo(deadLetterSink).uid("dead-letter-sink").name("dead-letter-sink");
    }
}
