package dev.vigil.jobs.remediation;

import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.EitherSplitter;
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
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

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

    public RemediationPipeline(
            PolicyCatalogue catalogue,
            RateLimits limits,
            SignerSource signer,
            Duration outOfOrderness,
            Duration idleness) {
        this.catalogue = catalogue;
        this.limits = limits;
        this.signer = signer;
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
    }

    public void build(
            StreamExecutionEnvironment env,
            Source<Either<DeadLetter, ThreatAlert>, ?, ?> alerts,
            Source<Either<DeadLetter, AnomalyScore>, ?, ?> anomalies,
            Source<Either<DeadLetter, Approval>, ?, ?> approvals,
            Source<Either<DeadLetter, RemediationResult>, ?, ?> results,
            Sink<RemediationCommand> commandSink,
            Sink<RemediationResult> decidedSink,
            Sink<DeadLetter> deadLetterSink) {
        SingleOutputStreamOperator<ThreatAlert> a =
                env.fromSource(
                                alerts,
                                strategy((ThreatAlert x) -> x.getLastEventTime().toEpochMilli()),
                                "alerts")
                        .uid("alerts-source")
                        .process(new EitherSplitter<ThreatAlert>())
                        .returns(TypeInformation.of(ThreatAlert.class))
                        .uid("alerts-decoder")
                        .name("decode-alerts");
        SingleOutputStreamOperator<AnomalyScore> s =
                env.fromSource(
                                anomalies,
                                strategy((AnomalyScore x) -> x.getEventTime().toEpochMilli()),
                                "anomalies")
                        .uid("anomalies-source")
                        .process(new EitherSplitter<AnomalyScore>())
                        .returns(TypeInformation.of(AnomalyScore.class))
                        .uid("anomalies-decoder")
                        .name("decode-anomalies");
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
        SingleOutputStreamOperator<Approval> decisions =
                env.fromSource(
                                approvals,
                                strategy((Approval x) -> x.getDecidedAt().toEpochMilli()),
                                "approvals")
                        .uid("approvals-source")
                        .process(new EitherSplitter<Approval>())
                        .returns(TypeInformation.of(Approval.class))
                        .uid("approvals-decoder")
                        .name("decode-approvals");
        SingleOutputStreamOperator<RemediationResult> reports =
                env.fromSource(
                                results,
                                strategy((RemediationResult x) -> x.getReportedAt().toEpochMilli()),
                                "remediation-results")
                        .uid("results-source")
                        .process(new EitherSplitter<RemediationResult>())
                        .returns(TypeInformation.of(RemediationResult.class))
                        .uid("results-decoder")
                        .name("decode-results");
        SingleOutputStreamOperator<RemediationCommand> lifecycle =
                commands.map(LifecycleInput::of)
                        .returns(LifecycleInput.class)
                        .uid("planned")
                        .name("planned")
                        .union(
                                decisions
                                        .map(LifecycleInput::of)
                                        .returns(LifecycleInput.class)
                                        .uid("approval-inputs")
                                        .name("approval-inputs"),
                                reports.map(LifecycleInput::of)
                                        .returns(LifecycleInput.class)
                                        .uid("report-inputs")
                                        .name("report-inputs"))
                        .keyBy(i -> i.commandId)
                        .process(new CommandLifecycleFunction(signer))
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
                        reports.getSideOutput(DeadLetterRouter.DEAD_LETTERS))
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letter-sink");
    }

    private <T> WatermarkStrategy<Either<DeadLetter, T>> strategy(
            SerializableFunction<T, Long> time) {
        WatermarkStrategy<Either<DeadLetter, T>> w =
                WatermarkStrategy.<Either<DeadLetter, T>>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner(
                                (e, ts) -> e.isRight() ? time.apply(e.right()) : Long.MIN_VALUE);
        return idleness.isZero() ? w : w.withIdleness(idleness);
    }
}
