package dev.vigil.operators.audit;

import dev.vigil.audit.AuditChain;
import dev.vigil.audit.HybridSigner;
import dev.vigil.operators.eventtime.EventTimeBuffer;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by chain id: appends the audited records to the chain in event-time order — inputs wait for
 * the watermark and are appended sorted by (event time, topic, partition, offset), so a replay
 * builds the same chain — and signs a tree head over the chain at every multiple of {@code
 * headIntervalMillis} of event time that saw new entries ({@link #TREE_HEADS}). The head's {@code
 * created_at} is that instant, and both signatures are deterministic, so heads replay identically
 * too. Records that arrive behind the watermark are appended at once, at the chain's end, never
 * dropped (counted in {@code lateEntries}); the next interval boundary signs them. The chain's
 * state (next sequence, head hash, compact tree, previous head) is a few hundred bytes in keyed
 * state.
 */
public final class AuditChainFunction extends KeyedProcessFunction<String, AuditInput, AuditEvent> {

    private static final long serialVersionUID = 1L;

    /** Signed tree heads. */
    public static final OutputTag<AuditCheckpoint> TREE_HEADS =
            new OutputTag<>("tree-heads", TypeInformation.of(AuditCheckpoint.class));

    static final Comparator<AuditInput> ORDER =
            Comparator.comparingLong((AuditInput i) -> i.occurredAt)
                    .thenComparing(i -> i.sourceTopic)
                    .thenComparingInt(i -> i.partition)
                    .thenComparingLong(i -> i.offset);

    private final SignerSource signerSource;
    private final long headIntervalMillis;
    private transient HybridSigner signer;
    private transient EventTimeBuffer<AuditInput> pending;
    private transient ValueState<byte[][]> chains;
    private transient Counter late;
    private transient Counter appended;

    public AuditChainFunction(SignerSource signerSource, long headIntervalMillis) {
        this.signerSource = signerSource;
        this.headIntervalMillis = headIntervalMillis;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        signer = signerSource.open();
        pending =
                EventTimeBuffer.create(
                        getRuntimeContext(),
                        "waiting",
                        TypeInformation.of(AuditInput.class),
                        ORDER,
                        EventTimeBuffer.Late.atOnce());
        chains =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "chain", TypeInformation.of(byte[][].class)));
        late = getRuntimeContext().getMetricGroup().counter("lateEntries");
        appended = getRuntimeContext().getMetricGroup().counter("entries");
    }

    @Override
    public void processElement(AuditInput in, Context ctx, Collector<AuditEvent> out)
            throws Exception {
        if (pending.add(in, in.occurredAt, ctx.timerService())) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        // behind the watermark: every timer up to it has fired, so nothing pending is older.
        // It goes at the chain's end now - waiting for the watermark to move again could
        // leave it out of the trail for good when the input ends
        late.inc();
        AuditChain chain = chain(ctx.getCurrentKey());
        append(chain, List.of(in), out);
        ctx.timerService()
                .registerEventTimeTimer(
                        Math.floorDiv(watermark, headIntervalMillis) * headIntervalMillis
                                + headIntervalMillis);
        chains.update(state(chain));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AuditEvent> out)
            throws Exception {
        // timers fire in timestamp order: taking the inputs of the timer's own time (not all up to
        // the watermark, which may have jumped further) makes every append and head a function
        // of the data alone
        AuditChain chain = chain(ctx.getCurrentKey());
        List<AuditInput> ready = pending.release(timestamp, ctx.timeDomain());
        long before = chain.size();
        append(chain, ready, out);
        long boundary = Math.floorDiv(timestamp, headIntervalMillis) * headIntervalMillis;
        if (Math.floorMod(timestamp, headIntervalMillis) == 0) {
            AuditCheckpoint head = chain.checkpoint(signer, Instant.ofEpochMilli(timestamp), null);
            if (head != null) {
                ctx.output(TREE_HEADS, head);
            }
        }
        if (chain.size() > before) {
            // the next interval boundary signs what was just appended
            ctx.timerService().registerEventTimeTimer(boundary + headIntervalMillis);
        }
        chains.update(state(chain));
    }

    private void append(AuditChain chain, List<AuditInput> inputs, Collector<AuditEvent> out) {
        for (AuditInput in : inputs) {
            out.collect(
                    chain.append(
                            in.eventType,
                            in.subjectId,
                            in.sourceTopic,
                            in.payload,
                            in.payloadFingerprint,
                            Instant.ofEpochMilli(in.occurredAt),
                            in.signedBy));
        }
        appended.inc(inputs.size());
    }

    private AuditChain chain(String chainId) throws Exception {
        byte[][] s = chains.value();
        return s == null ? new AuditChain(chainId) : AuditChain.restore(chainId, List.of(s));
    }

    private static byte[][] state(AuditChain chain) {
        return chain.state().toArray(new byte[0][]);
    }
}
