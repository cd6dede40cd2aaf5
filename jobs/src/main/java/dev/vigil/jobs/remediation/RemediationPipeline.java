package dev.vigil.jobs.remediation;

import dev.vigil.jobs.common.EventTimeInput;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.eventtime.EitherClock;
import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.remediation.CommandDispatchFunction;
import dev.vigil.operators.remediation.CommandLifecycleFunction;
import dev.vigil.operators.remediation.LifecycleInput;
import dev.vigil.operators.remediation.PolicyCatalogue;
import dev.vigil.operators.remediation.RateLimits;
import dev.vigil.operators.remediation.TargetRemediationFunction;
import dev.vigil.operators.remediation.Trigger;
import dev.vigil.schema.AnomalyScore;
import dev.vigil.schema.Approval;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.ThreatAlert;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * The remediation job: alerts and failure predictions → keyBy(target) → policies, cooldown,
 * escalation, dedup, per-target budget → one fleet-wide gate (per-action and global budgets) →
 * keyBy(command) lifecycle: approval gate, signing, retries, expiry → remediation-commands.
 *
 * <pre>
 * alerts ─────► decode ─► trigger ─┐
 * anomalies ──► decode ─► trigger ─┴─► keyBy(target) ─► plan ─► gate (budgets) ─┐
 * approvals ──────────────────────────────────────────────────────────────────┼─► keyBy(command)
 * remediation-results ────────────────────────────────────────────────────────┘   lifecycle + sign
 *                                      remediation-commands ◄─┘ └─► EXPIRED / RETRIES_EXHAUSTED ─►
 *                                                                    remediation-results
 * </pre>
 */
public final class RemediationPipeline {

    public static final String JOB_NAME = "remediation";

    private final PolicyCatalogue catalogue;
    private final RateLimits limits;
    private final SignerSource signer;
    private final Duration outOfOrderness;
    private final Duration idleness;
    private final String approvalsTopic;
    private final String resultsTopic;

    /**
     * @param approvalsTopic the approvals topic, named in dead letters
     * @param resultsTopic the agents' reports topic, named in dead letters
     */
    public RemediationPipeline(
            PolicyCatalogue catalogue,
            RateLimits limits,
            SignerSource signer,
            Duration outOfOrderness,
            Duration idleness,
            String approvalsTopic,
            String resultsTopic) {
        this.catalogue = catalogue;
        this.limits = limits;
        this.signer = signer;
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
        this.approvalsTopic = approvalsTopic;
        this.resultsTopic = resultsTopic;
    }

    public void build(
            StreamExecutionEnvironment env,
            Source<Positioned<Either<DeadLetter, ThreatAlert>>, ?, ?> alerts,
            Source<Positioned<Either<DeadLetter, AnomalyScore>>, ?, ?> anomalies,
            Source<Positioned<Either<DeadLetter, Approval>>, ?, ?> approvals,
            Source<Positioned<Either<DeadLetter, RemediationResult>>, ?, ?> results,
            Sink<RemediationCommand> commandSink,
            Sink<RemediationResult> decidedSink,
            Sink<DeadLetter> deadLetterSink) {
        SingleOutputStreamOperator<ThreatAlert> a =
                input(
                        env,
                        alerts,
                        "alerts",
                        ThreatAlert.class,
                        x -> x.getLastEventTime().toEpochMilli());
        SingleOutputStreamOperator<AnomalyScore> s =
                input(
                        env,
                        anomalies,
                        "anomalies",
                        AnomalyScore.class,
                        x -> x.getEventTime().toEpochMilli());
        DataStream<Trigger> triggers =
                a.map(Trigger::of)
                        .returns(Trigger.class)
                        .uid("alert-triggers")
                        .name("alert-triggers")
                        .union(
                                s.flatMap(
                                                (AnomalyScore x, Collector<Trigger> out) -> {
                                                    Trigger t = Trigger.of(x);
                                                    if (t != null) {
                                                        out.collect(t);
                                                    }
                                                })
                                        .returns(Trigger.class)
                                        .uid("prediction-triggers")
                                        .name("prediction-triggers"));
        SingleOutputStreamOperator<RemediationCommand> commands =
                triggers.filter(t -> t.target != null)
                        .uid("with-target")
                        .name("with-target")
                        .keyBy(t -> t.target)
                        .process(new TargetRemediationFunction(catalogue, limits))
                        .returns(TypeInformation.of(RemediationCommand.class))
                        .uid("plan")
                        .name("plan")
                        .keyBy(c -> 0)
                        .process(new CommandDispatchFunction(limits))
                        .returns(TypeInformation.of(RemediationCommand.class))
                        .uid("gate")
                        .name("gate");
        SingleOutputStreamOperator<Positioned<Approval>> decisions =
                EventTimeInput.readPositioned(
                        env,
                        approvals,
                        "approvals",
                        Approval.class,
                        x -> x.getDecidedAt().toEpochMilli(),
                        outOfOrderness,
                        idleness);
        SingleOutputStreamOperator<Positioned<RemediationResult>> reports =
                EventTimeInput.readPositioned(
                        env,
                        results,
                        "results",
                        RemediationResult.class,
                        x -> x.getReportedAt().toEpochMilli(),
                        outOfOrderness,
                        idleness);
        String approvalsTopic = this.approvalsTopic;
        String resultsTopic = this.resultsTopic;
        SingleOutputStreamOperator<RemediationCommand> lifecycle =
                commands.map(LifecycleInput::of)
                        .returns(LifecycleInput.class)
                        .uid("planned")
                        .name("planned")
                        .union(
                                decisions
                                        .map(
                                                p ->
                                                        LifecycleInput.of(
                                                                p.value(),
                                                                approvalsTopic,
                                                                p.partition(),
                                                                p.offset()))
                                        .returns(LifecycleInput.class)
                                        .uid("approval-inputs")
                                        .name("approval-inputs"),
                                reports.map(
                                                p ->
                                                        LifecycleInput.of(
                                                                p.value(),
                                                                resultsTopic,
                                                                p.partition(),
                                                                p.offset()))
                                        .returns(LifecycleInput.class)
                                        .uid("report-inputs")
                                        .name("report-inputs"))
                        .keyBy(i -> i.commandId)
                        .process(
                                new CommandLifecycleFunction(
                                        signer, new DeadLetterFactory(JOB_NAME)))
                        .returns(TypeInformation.of(RemediationCommand.class))
                        .uid("lifecycle-and-sign")
                        .name("lifecycle-and-sign");
        lifecycle.sinkTo(commandSink).uid("command-sink").name("command-sink");
        lifecycle
                .getSideOutput(CommandLifecycleFunction.DECIDED)
                .sinkTo(decidedSink)
                .uid("decided-sink")
                .name("decided-sink");
        a.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(
                        s.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        decisions.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        reports.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        lifecycle.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letter-sink");
    }

    private <T> SingleOutputStreamOperator<T> input(
            StreamExecutionEnvironment env,
            Source<Positioned<Either<DeadLetter, T>>, ?, ?> source,
            String name,
            Class<T> type,
            EitherClock.EventTime<T> eventTime) {
        return EventTimeInput.read(env, source, name, type, eventTime, outOfOrderness, idleness);
    }
}
