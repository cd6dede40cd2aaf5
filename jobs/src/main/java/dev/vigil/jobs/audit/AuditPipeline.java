package dev.vigil.jobs.audit;

import dev.vigil.jobs.common.EventTimeInput;
import dev.vigil.operators.audit.AuditChainFunction;
import dev.vigil.operators.audit.AuditInput;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import dev.vigil.schema.DeadLetter;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The audit job: every audited topic → decode → keyBy(chain) → append in event-time order → audit;
 * signed tree heads → audit-checkpoints; unreadable records → dead-letters.
 *
 * <pre>
 * alerts, anomalies, remediation-commands, ─► decode ─► keyBy(chain) ─► hash chain ─► audit
 * remediation-results, approvals, rule-acks                                 └─ tree heads ─► audit-checkpoints
 * </pre>
 */
public final class AuditPipeline {

    public static final String JOB_NAME = "audit";

    /** One audited topic: a name for uids, and its source. */
    public record Input(
            String name, Source<Positioned<Either<DeadLetter, AuditInput>>, ?, ?> source) {}

    private final SignerSource signer;
    private final Duration headInterval;
    private final Duration outOfOrderness;
    private final Duration idleness;

    public AuditPipeline(
            SignerSource signer,
            Duration headInterval,
            Duration outOfOrderness,
            Duration idleness) {
        this.signer = signer;
        this.headInterval = headInterval;
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
    }

    public void build(
            StreamExecutionEnvironment env,
            List<Input> inputs,
            Sink<AuditEvent> auditSink,
            Sink<AuditCheckpoint> headSink,
            Sink<DeadLetter> deadLetterSink) {
        DataStream<AuditInput> records = null;
        DataStream<DeadLetter> unreadable = null;
        for (Input input : inputs) {
            SingleOutputStreamOperator<AuditInput> s =
                    EventTimeInput.read(
                            env,
                            input.source(),
                            input.name(),
                            AuditInput.class,
                            i -> i.occurredAt,
                            outOfOrderness,
                            idleness);
            records = records == null ? s : records.union(s);
            DataStream<DeadLetter> bad = s.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
            unreadable = unreadable == null ? bad : unreadable.union(bad);
        }
        SingleOutputStreamOperator<AuditEvent> entries =
                records.keyBy(i -> i.chainId)
                        .process(new AuditChainFunction(signer, headInterval.toMillis()))
                        .returns(TypeInformation.of(AuditEvent.class))
                        .uid("audit-chains")
                        .name("audit-chains");
        entries.sinkTo(auditSink).uid("audit-sink").name("audit-sink");
        entries.getSideOutput(AuditChainFunction.TREE_HEADS)
                .sinkTo(headSink)
                .uid("audit-checkpoint-sink")
                .name("audit-checkpoint-sink");
        unreadable.sinkTo(deadLetterSink).uid("dead-letter-sink").name("dead-letter-sink");
    }
}
