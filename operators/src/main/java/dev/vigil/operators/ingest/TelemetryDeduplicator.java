package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by node: passes each telemetry event on once. An edge producer that retries after a timeout
 * sends the same event again; the copy has the same event id and event time and is dropped here,
 * counted in {@code duplicateEvents}, so that no job counts it twice. A record that reuses an id at
 * the same event time with different content is not a retry: it becomes a {@code
 * CONFLICTING_DUPLICATE} dead letter (the first one read stands).
 *
 * <p>With {@code passResentCopies} (the threat job), an exact copy is still counted but passed on
 * numbered ({@link IngestedTelemetry#copy}), so that rules looking for replays can see it while
 * rules counting events ignore it.
 *
 * <p>Late events held back for a replay check ({@link IngestedTelemetry#late}, the threat job): a
 * late exact copy of a remembered event is passed on as a copy like any other; a late event further
 * behind its partition watermark than the horizon (where ids are forgotten) whose sequence number
 * the node has already delivered — a replay of old telemetry — is passed on as a first copy too;
 * every other late event becomes its {@code LATE_EVENT} dead letter here (counted in {@code
 * lateEvents}). For this the deduplicator keeps, in that mode, the node's delivered sequence
 * numbers as at most {@link #MAX_RANGES} ranges (a node counts up, so one range normally; the
 * oldest go first).
 *
 * <p>What is remembered: per node and second of event time, a 64-bit hash of each event id and of
 * each event's content and the copies seen (24 bytes per event), kept until the node's event time
 * is {@code horizon} past that second. Anything older than the horizon is too late for every job
 * anyway ({@link LatePolicy#withHorizon}), so no copy can get through after its original was
 * forgotten.
 */
public final class TelemetryDeduplicator
        extends KeyedProcessFunction<String, IngestedTelemetry, IngestedTelemetry> {

    private static final long serialVersionUID = 1L;

    /** Longs per remembered event: id hash, content hash, copies seen. */
    private static final int STRIDE = 3;

    private static final MapStateDescriptor<Long, long[]> SEEN =
            new MapStateDescriptor<>(
                    "seen-events",
                    Types.LONG,
                    PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Ranges of delivered sequence numbers kept per node. */
    static final int MAX_RANGES = 16;

    private static final ValueStateDescriptor<long[]> DELIVERED =
            new ValueStateDescriptor<>(
                    "delivered-sequences", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private final long horizonMillis;
    private final String topic;
    private final DeadLetterFactory deadLetters;
    private final boolean passResentCopies;
    private transient MapState<Long, long[]> seen;
    private transient ValueState<long[]> delivered;
    private transient Counter lateEvents;
    private transient Counter replayed;
    private transient AvroCodec<TelemetryEvent> codec;
    private transient Counter duplicates;
    private transient Counter conflicts;

    /**
     * @param horizon how long (in event time) an event id is remembered
     * @param topic the telemetry topic, named in dead letters
     */
    public TelemetryDeduplicator(Duration horizon, String topic, DeadLetterFactory deadLetters) {
        this(horizon, topic, deadLetters, false);
    }

    /**
     * @param passResentCopies pass exact copies on, numbered, instead of dropping them
     */
    public TelemetryDeduplicator(
            Duration horizon,
            String topic,
            DeadLetterFactory deadLetters,
            boolean passResentCopies) {
        this.passResentCopies = passResentCopies;
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("the deduplication horizon must be positive");
        }
        this.horizonMillis = horizon.toMillis();
        this.topic = topic;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(SEEN);
        delivered = getRuntimeContext().getState(DELIVERED);
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        replayed = getRuntimeContext().getMetricGroup().counter("replayedEvents");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        conflicts = getRuntimeContext().getMetricGroup().counter("conflictingDuplicates");
    }

    @Override
    public void processElement(IngestedTelemetry in, Context ctx, Collector<IngestedTelemetry> out)
            throws Exception {
        TelemetryEvent event = in.event;
        long second = Math.floorDiv(in.eventTime(), 1000L);
        long id = hash(event.getEventId());
        long content = event.hashCode();
        long[] known = seen.get(second);
        if (known != null) {
            for (int i = 0; i < known.length; i += STRIDE) {
                if (known[i] != id) {
                    continue;
                }
                if (known[i + 1] == content) {
                    duplicates.inc();
                    known[i + 2]++;
                    seen.put(second, known);
                    if (passResentCopies) {
                        in.copy = (int) Math.min(Integer.MAX_VALUE, known[i + 2]);
                        out.collect(in);
                    }
                } else {
                    conflicts.inc();
                    if (codec == null) {
                        codec = AvroCodec.of(TelemetryEvent.class);
                    }
                    ctx.output(
                            DeadLetterRouter.DEAD_LETTERS,
                            conflict(in, "another event with event_id '" + event.getEventId()));
                }
                return;
            }
        }
        if (in.late != null) {
            if (codec == null) {
                codec = AvroCodec.of(TelemetryEvent.class);
            }
            // within the horizon a copy is known by its id (above); beyond it, where ids are
            // forgotten, a sequence number the node already delivered says it is one
            boolean beyondHorizon =
                    in.partitionWatermark != Long.MIN_VALUE
                            && in.eventTime() < in.partitionWatermark - horizonMillis;
            if (passResentCopies
                    && beyondHorizon
                    && contains(delivered.value(), event.getSequence())) {
                // an old event sent again: not new data for any job, evidence for replay rules
                replayed.inc();
                in.copy = 1;
                out.collect(in);
            } else {
                lateEvents.inc();
                ctx.output(
                        DeadLetterRouter.DEAD_LETTERS,
                        LateEventDeadLetters.deadLetter(in, topic, in.late, codec, deadLetters));
            }
            return;
        }
        if (passResentCopies) {
            delivered.update(add(delivered.value(), event.getSequence()));
        }
        long[] updated =
                known == null ? new long[STRIDE] : Arrays.copyOf(known, known.length + STRIDE);
        updated[updated.length - STRIDE] = id;
        updated[updated.length - STRIDE + 1] = content;
        seen.put(second, updated);
        if (known == null) {
            ctx.timerService().registerEventTimeTimer(second * 1000L + 999 + horizonMillis);
        }
        out.collect(in);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IngestedTelemetry> out)
            throws Exception {
        seen.remove(Math.floorDiv(timestamp - 999 - horizonMillis, 1000L));
    }

    private DeadLetter conflict(IngestedTelemetry in, String what) {
        TelemetryEvent event = in.event;
        return deadLetters.decoded(
                topic,
                in.partition,
                in.offset,
                event.getEventTime(),
                event.getNode().getNodeId().getBytes(StandardCharsets.UTF_8),
                codec.encode(event),
                Map.of(
                        VigilHeaders.SCHEMA_FINGERPRINT,
                        ByteBuffer.wrap(SchemaFingerprint.toBytes(codec.fingerprint()))),
                new Rejection(
                        RejectReason.CONFLICTING_DUPLICATE,
                        what
                                + "' and event_time "
                                + event.getEventTime()
                                + " but different content was read first on node "
                                + event.getNode().getNodeId()));
    }

    /** True when {@code sequence} lies in one of the ranges ({@code [lo, hi]} pairs). */
    static boolean contains(long[] ranges, long sequence) {
        if (ranges == null) {
            return false;
        }
        for (int i = 0; i < ranges.length; i += 2) {
            if (sequence >= ranges[i] && sequence <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ranges with {@code sequence} added: extends the range it follows or precedes (the usual
     * case, a node counting up), merges ranges that meet, or starts a new one; beyond {@link
     * #MAX_RANGES} the lowest range goes. Ranges stay sorted.
     */
    static long[] add(long[] ranges, long sequence) {
        if (ranges == null || ranges.length == 0) {
            return new long[] {sequence, sequence};
        }
        java.util.List<long[]> list = new java.util.ArrayList<>();
        for (int i = 0; i < ranges.length; i += 2) {
            list.add(new long[] {ranges[i], ranges[i + 1]});
        }
        int last = list.size() - 1;
        if (sequence == list.get(last)[1] + 1) {
            list.get(last)[1] = sequence;
        } else if (!contains(ranges, sequence)) {
            list.add(new long[] {sequence, sequence});
            list.sort((a, b) -> Long.compare(a[0], b[0]));
            java.util.List<long[]> merged = new java.util.ArrayList<>();
            for (long[] r : list) {
                long[] top = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (top != null && r[0] <= top[1] + 1) {
                    top[1] = Math.max(top[1], r[1]);
                } else {
                    merged.add(r);
                }
            }
            list = merged;
            while (list.size() > MAX_RANGES) {
                list.remove(0);
            }
        } else {
            return ranges;
        }
        long[] out = new long[list.size() * 2];
        for (int i = 0; i < list.size(); i++) {
            out[2 * i] = list.get(i)[0];
            out[2 * i + 1] = list.get(i)[1];
        }
        return out;
    }

    /** 64-bit FNV-1a of the id's UTF-8 bytes. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
