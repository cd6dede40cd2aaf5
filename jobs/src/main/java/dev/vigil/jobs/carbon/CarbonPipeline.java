package dev.vigil.jobs.carbon;

import dev.vigil.jobs.common.EventTimeInput;
import dev.vigil.jobs.common.EventTimeSettings;
import dev.vigil.jobs.common.ValidatedTelemetry;
import dev.vigil.operators.carbon.CarbonReports;
import dev.vigil.operators.carbon.CarbonRollUp;
import dev.vigil.operators.carbon.CarbonSettings;
import dev.vigil.operators.carbon.NodeCarbonFunction;
import dev.vigil.operators.carbon.NodeMinute;
import dev.vigil.operators.carbon.RollUpDelta;
import dev.vigil.operators.carbon.ShiftWorkloadSignal;
import dev.vigil.operators.eventtime.EitherClock;
import dev.vigil.operators.eventtime.MainTimedBroadcastOperator;
import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.operators.ingest.LateEventDeadLetters;
import dev.vigil.operators.ingest.LatePolicy;
import dev.vigil.schema.CarbonReport;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.GridIntensity;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * The carbon job: power samples → energy per node-minute → emissions at the grid intensity valid at
 * each slice's time → roll-ups to node hours and days, clusters, regions and hubs.
 *
 * <pre>
 * telemetry ─► decode+validate ─► keyBy(node) ─► node ledger ─┬─► node 1m reports ────────┬─► carbon
 * grid-intensity ─► decode ─┬─► broadcast(timelines) ──┘      └─► 11 roll-up deltas        │
 *                           │                                      ─► keyBy(window) ─► sum ┘
 *                           └─► keyBy(region) ─► shift_workload ─► alerts
 * rejected / too late ─► dead-letters
 * </pre>
 */
public final class CarbonPipeline {

    /** Name the job's dead letters carry in {@code DeadLetter.job}. */
    public static final String JOB_NAME = "carbon";

    private final String telemetryTopic;
    private final CarbonSettings settings;
    private final EventTimeSettings time;
    private final double shiftThreshold;

    public CarbonPipeline(
            String telemetryTopic,
            CarbonSettings settings,
            EventTimeSettings time,
            double shiftThresholdGPerKwh) {
        this.telemetryTopic = telemetryTopic;
        this.settings = settings;
        this.time = time;
        this.shiftThreshold = shiftThresholdGPerKwh;
    }

    /** Adds the pipeline to {@code env}. */
    public void build(
            StreamExecutionEnvironment env,
            Source<IngestedTelemetry, ?, ?> telemetry,
            Source<Positioned<Either<DeadLetter, GridIntensity>>, ?, ?> grid,
            Sink<CarbonReport> carbonSink,
            Sink<ThreatAlert> alertSink,
            Sink<DeadLetter> deadLetterSink) {
        ValidatedTelemetry valid =
                ValidatedTelemetry.read(
                        env,
                        telemetry,
                        time,
                        LatePolicy.events(Duration.ofMillis(settings.allowedLatenessMillis())),
                        telemetryTopic,
                        JOB_NAME);

        // the feed is published ahead of or at its validity: its watermark is the newest
        // valid_from, not clamped to the broker clock (forecasts lie ahead by design); it can only
        // hold the ledger back, never move it past the telemetry (MainTimedBroadcastOperator);
        // idle (no feed, or between publications) it stops holding time back
        SingleOutputStreamOperator<GridIntensity> intensities =
                EventTimeInput.read(
                        env,
                        grid,
                        "grid-intensity",
                        GridIntensity.class,
                        new EitherClock<GridIntensity>(g -> g.getValidFrom().toEpochMilli(), false),
                        Duration.ZERO,
                        time.idleness().isZero() ? Duration.ofSeconds(30) : time.idleness());

        SingleOutputStreamOperator<NodeMinute> minutes =
                valid.events()
                        // broadcast partitioning into a keyed-broadcast operator of our own:
                        // Flink's broadcast API builds its operator itself
                        .connect(intensities.broadcast())
                        .transform(
                                "node-carbon-ledger",
                                TypeInformation.of(NodeMinute.class),
                                new MainTimedBroadcastOperator<>(
                                        new NodeCarbonFunction(settings),
                                        List.of(NodeCarbonFunction.TIMELINES)))
                        .uid("node-carbon-ledger");

        CarbonSettings s = settings;
        DataStream<CarbonReport> nodeReports =
                minutes.map(m -> CarbonReports.ofNodeMinute(m, s))
                        .returns(TypeInformation.of(CarbonReport.class))
                        .uid("node-carbon-reports")
                        .name("node-carbon-reports");

        DataStream<CarbonReport> rollUps =
                minutes.flatMap(
                                (NodeMinute m, Collector<RollUpDelta> out) ->
                                        RollUpDelta.of(m).forEach(out::collect))
                        .returns(RollUpDelta.class)
                        .uid("carbon-roll-up-deltas")
                        .name("carbon-roll-up-deltas")
                        .keyBy(RollUpDelta::windowKey)
                        .process(new CarbonRollUp(settings))
                        .returns(TypeInformation.of(CarbonReport.class))
                        .uid("carbon-roll-ups")
                        .name("carbon-roll-ups");

        nodeReports.union(rollUps).sinkTo(carbonSink).uid("carbon-sink").name("carbon-sink");

        intensities
                .keyBy(GridIntensity::getRegion)
                .process(new ShiftWorkloadSignal(shiftThreshold))
                .returns(TypeInformation.of(ThreatAlert.class))
                .uid("shift-workload-signal")
                .name("shift-workload-signal")
                .sinkTo(alertSink)
                .uid("alert-sink")
                .name("alert-sink");

        DataStream<DeadLetter> late =
                minutes.getSideOutput(NodeCarbonFunction.TOO_LATE)
                        .process(
                                new LateEventDeadLetters(
                                        telemetryTopic,
                                        Duration.ofMinutes(1),
                                        Duration.ofMillis(settings.allowedLatenessMillis()),
                                        new DeadLetterFactory(JOB_NAME)))
                        .uid("late-events")
                        .name("late-events");
        valid.deadLetters()
                .union(intensities.getSideOutput(DeadLetterRouter.DEAD_LETTERS), late)
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letter-sink");
    }
}
