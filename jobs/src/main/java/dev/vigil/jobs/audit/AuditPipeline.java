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

    /**
     * One audited topic: a name for uids, its source, and whether its event time is the control
     * plane's (rule acknowledgements and model updates are stamped when the command was handled,
     * not on the data's timeline).
     */
    public record Input(
            String name,
            Source<Positioned<Either<DeadLetter, AuditInput>>, ?, ?> source,
            boolean control) {}

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
        // two chain operators, one per timeline: the control plane's clock (now) must not move
        // the data chains' event time, or their records would be appended as late ones
        DataStream<AuditInput> data = null;
        DataStream<AuditInput> control = null;
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
            if (input.control()) {
                control = control == null ? s : control.union(s);
            } else {
                data = data == null ? s : data.union(s);
            }
            DataStream<DeadLetter> bad = s.getSideOutput(DeadLetterRouter.DEAD_LETTERS);
            unreadable = unreadable == null ? bad : unreadable.union(bad);
        }
        SingleOutputStreamOperator<AuditEvent> entries = chains(data, "audit-chains");
        SingleOutputStreamOperator<AuditEvent> controlEntries =
                chains(control, "audit-control-chains");
        entries.union(controlEntries).sinkTo(auditSink).uid("audit-sink").name("audit-sink");
        entries.getSideOutput(AuditChainFunction.TREE_HEADS)
                .union(controlEntries.getSideOutput(AuditChainFunction.TREE_HEADS))
                .sinkTo(headSink)
                .uid("audit-checkpoint-sink")
                .name("audit-checkpoint-sink");
        unreadable.sinkTo(deadLetterSink).uid("dead-letter-sink").name("dead-letter-sink");
    }

    private SingleOutputStreamOperator<AuditEvent> chains(DataStream<AuditInput> in, String uid) {
        return in.keyBy(i -> i.chainId)
                .process(new AuditChainFunction(signer, headInterval.toMillis()))
                .returns(TypeInformation.of(AuditEvent.class))
                .uid(uid)
                .name(uid);
    }
}
