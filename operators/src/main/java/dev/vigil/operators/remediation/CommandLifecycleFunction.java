package dev.vigil.operators.remediation;

import dev.vigil.audit.CommandSignatures;
import dev.vigil.audit.HybridSigner;
import dev.vigil.operators.audit.SignerSource;
import dev.vigil.operators.eventtime.EventTimeBuffer;
import dev.vigil.operators.ingest.DeadLetterFactory;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.RejectReason;
import dev.vigil.operators.ingest.Rejection;
import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RemediationCommand;
import dev.vigil.schema.RemediationResult;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by command id: the lifecycle ISSUED → (AWAITING_APPROVAL → APPROVED) → DISPATCHED →
 * RECEIVED → SUCCEEDED / FAILED, or REJECTED, EXPIRED, RETRIES_EXHAUSTED. A command that needs
 * approval is held until an {@code Approval} says APPROVED (before it expires); every command sent
 * is signed here. Without a report from the agent, a command is sent again with {@code attempt} + 1
 * after 1, 2 and 4 s of event time (plus a deterministic jitter of at most 10 %), then given up.
 * Outcomes the job decides (EXPIRED, RETRIES_EXHAUSTED) go to {@link #DECIDED} as {@code
 * RemediationResult}s, so the audit trail records every transition. An approval or report for a
 * command this job does not know becomes an {@code UNKNOWN_COMMAND} dead letter at its event time
 * ({@link DeadLetterRouter#DEAD_LETTERS}), so nothing is kept for it.
 *
 * <p>State is bounded: once a command is final its signed payload (about 3.4 KB) is dropped, and
 * the rest (a few dozen bytes that answer a replayed plan or a repeated report) is removed {@link
 * #RETENTION_MILLIS} after the command expired, when the planner has forgotten the id as well.
 */
public final class CommandLifecycleFunction
        extends KeyedProcessFunction<String, LifecycleInput, RemediationCommand> {

    private static final long serialVersionUID = 1L;

    /** Transitions decided by the job itself. */
    public static final OutputTag<RemediationResult> DECIDED =
            new OutputTag<>("decided", TypeInformation.of(RemediationResult.class));

    static final Comparator<LifecycleInput> INBOX_ORDER =
            Comparator.comparingLong((LifecycleInput i) -> i.time)
                    .thenComparing(i -> i.kind)
                    .thenComparing(i -> i.status)
                    .thenComparing(i -> i.by == null ? "" : i.by);

    /** Retries after the first send. */
    public static final int MAX_RETRIES = 3;

    /**
     * How long after its expiry a final command is remembered: as long as the planner remembers the
     * id it issued ({@link RemediationPlanner#SEEN_RETENTION_MILLIS}), so a replayed cause is
     * recognised for as long as it could be planned again.
     */
    public static final long RETENTION_MILLIS = RemediationPlanner.SEEN_RETENTION_MILLIS;

    private final SignerSource signerSource;
    private final DeadLetterFactory deadLetters;
    private transient HybridSigner signer;
    private transient AvroCodec<RemediationCommand> codec;
    private transient ValueState<LifecycleState> states;
    private transient EventTimeBuffer<LifecycleInput> inbox;
    private transient Counter unknown;
    private transient Counter sent;
    private transient Counter retried;
    private transient Counter expired;
    private transient Counter exhausted;

    public CommandLifecycleFunction(SignerSource signerSource) {
        this(signerSource, new DeadLetterFactory("remediation"));
    }

    public CommandLifecycleFunction(SignerSource signerSource, DeadLetterFactory deadLetters) {
        this.signerSource = signerSource;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        signer = signerSource.open();
        codec = AvroCodec.of(RemediationCommand.class);
        states =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("lifecycle", LifecycleState.class));
        inbox =
                EventTimeBuffer.create(
                        getRuntimeContext(),
                        "waiting",
                        TypeInformation.of(LifecycleInput.class),
                        INBOX_ORDER,
                        EventTimeBuffer.Late.atOnce());
        unknown = getRuntimeContext().getMetricGroup().counter("unknownCommandInputs");
        sent = getRuntimeContext().getMetricGroup().counter("sent");
        retried = getRuntimeContext().getMetricGroup().counter("retried");
        expired = getRuntimeContext().getMetricGroup().counter("expired");
        exhausted = getRuntimeContext().getMetricGroup().counter("retriesExhausted");
    }

    /** Backoff before retry {@code attempt} (1-based): 1, 2, 4 s, plus at most 10 % jitter. */
    public static long backoffMillis(String commandId, int attempt) {
        long base = 1000L << (attempt - 1);
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(commandId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.update((byte) attempt);
            long h = ByteBuffer.wrap(d.digest()).getLong() >>> 1;
            return base + base * (h % 1001) / 10_000;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processElement(LifecycleInput in, Context ctx, Collector<RemediationCommand> out)
            throws Exception {
        if (!LifecycleInput.COMMAND.equals(in.kind)) {
            // approvals and reports take effect at their own event time, in order with the
            // retry and expiry timers, whatever the order they arrive in
            if (!inbox.add(in, in.time, ctx.timerService())) {
                // behind the watermark (every timer up to it has fired): applied now, instead of
                // waiting for a watermark that may not move again
                LifecycleState s = states.value();
                apply(List.of(in), s, ctx, out);
                update(s, ctx);
            }
            return;
        }
        if (states.value() != null) {
            return; // the same command planned again (a replayed cause): already known
        }
        RemediationCommand c = codec.decode(in.command);
        LifecycleState s = new LifecycleState();
        s.command = in.command;
        s.expiresAt = c.getExpiresAt().toEpochMilli();
        ctx.timerService().registerEventTimeTimer(s.expiresAt);
        if (c.getRequiresApproval()) {
            s.status = "AWAITING_APPROVAL";
        } else {
            send(s, c, 0, in.time, ctx, out);
        }
        states.update(s);
    }

    /** Applies an approval or a report at its event time. */
    private void apply(
            LifecycleState s, LifecycleInput in, Context ctx, Collector<RemediationCommand> out)
            throws Exception {
        if (s.isFinal()) {
            return;
        }
        if (LifecycleInput.APPROVAL.equals(in.kind)) {
            if (!"AWAITING_APPROVAL".equals(s.status)) {
                return; // already decided
            }
            if ("APPROVED".equals(in.status) && in.time < s.expiresAt) {
                send(s, codec.decode(s.command), 0, in.time, ctx, out);
            } else {
                s.status = "REJECTED";
            }
            return;
        }
        switch (in.status) {
            case "DISPATCHED" -> s.status = "RECEIVED";
            case "SUCCEEDED", "FAILED", "REJECTED" -> s.status = in.status;
            default -> {
                // the job's own EXPIRED / RETRIES_EXHAUSTED read back: nothing to do
            }
        }
    }

    private void send(
            LifecycleState s,
            RemediationCommand c,
            int attempt,
            long at,
            Context ctx,
            Collector<RemediationCommand> out) {
        c.setAttempt(attempt);
        out.collect(CommandSignatures.sign(c, signer));
        s.status = "DISPATCHED";
        s.attempt = attempt;
        s.sentAt = at;
        (attempt == 0 ? sent : retried).inc();
        // the next retry, or (after the last one) the moment to give up
        ctx.timerService()
                .registerEventTimeTimer(at + backoffMillis(c.getCommandId(), attempt + 1));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RemediationCommand> out)
            throws Exception {
        LifecycleState s = states.value();
        apply(inbox.release(timestamp, ctx.timeDomain()), s, ctx, out);
        if (s == null) {
            return;
        }
        if (s.isFinal() && timestamp >= s.expiresAt + RETENTION_MILLIS) {
            states.clear();
            return;
        }
        if (!s.isFinal()) {
            RemediationCommand c = codec.decode(s.command);
            if (timestamp >= s.expiresAt
                    && ("AWAITING_APPROVAL".equals(s.status) || "DISPATCHED".equals(s.status))) {
                decide(s, c, "EXPIRED", timestamp, ctx);
                expired.inc();
            } else if ("DISPATCHED".equals(s.status)
                    && timestamp == s.sentAt + backoffMillis(c.getCommandId(), s.attempt + 1)) {
                if (s.attempt < MAX_RETRIES) {
                    send(s, c, s.attempt + 1, timestamp, ctx, out);
                } else {
                    decide(s, c, "RETRIES_EXHAUSTED", timestamp, ctx);
                    exhausted.inc();
                }
            }
        }
        update(s, ctx);
    }

    /**
     * Stores the state; a command that just became final keeps only what answers a replayed plan or
     * a repeated report, until its retention ends.
     */
    private void update(LifecycleState s, Context ctx) throws Exception {
        if (s == null) {
            return;
        }
        if (s.isFinal() && s.command != null) {
            s.command = null;
            ctx.timerService().registerEventTimeTimer(s.expiresAt + RETENTION_MILLIS);
        }
        states.update(s);
    }

    /** Applies approvals and reports, in order, at their event time. */
    private void apply(
            List<LifecycleInput> due,
            LifecycleState s,
            Context ctx,
            Collector<RemediationCommand> out)
            throws Exception {
        for (LifecycleInput in : due) {
            if (s == null) {
                // a decision or report for a command this job never planned
                unknown.inc();
                if (in.payload != null) {
                    ctx.output(DeadLetterRouter.DEAD_LETTERS, unknownCommand(in));
                }
            } else {
                apply(s, in, ctx, out);
            }
        }
    }

    private DeadLetter unknownCommand(LifecycleInput in) {
        return deadLetters.decoded(
                in.sourceTopic,
                in.sourcePartition,
                in.sourceOffset,
                Instant.ofEpochMilli(in.time),
                in.commandId.getBytes(StandardCharsets.UTF_8),
                in.payload,
                Map.of(
                        VigilHeaders.SCHEMA_FINGERPRINT,
                        ByteBuffer.wrap(SchemaFingerprint.toBytes(in.payloadFingerprint()))),
                new Rejection(
                        RejectReason.UNKNOWN_COMMAND,
                        (LifecycleInput.APPROVAL.equals(in.kind) ? "approval" : "report")
                                + " for command "
                                + in.commandId
                                + ", which this job never planned or has forgotten"));
    }

    private void decide(
            LifecycleState s, RemediationCommand c, String status, long at, Context ctx) {
        s.status = status;
        ctx.output(
                DECIDED,
                RemediationResult.newBuilder()
                        .setCommandId(c.getCommandId())
                        .setNodeId(c.getTargetNodeId())
                        .setStatus(status)
                        .setAttempt(s.attempt)
                        .setDetail("decided by the remediation job")
                        .setReportedAt(Instant.ofEpochMilli(at))
                        .build());
    }
}
