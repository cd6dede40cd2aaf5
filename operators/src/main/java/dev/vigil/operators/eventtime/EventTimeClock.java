package dev.vigil.operators.eventtime;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The event-time clock of one Kafka input, chained right behind its source. It gives event time
 * three properties that a source's watermark generator alone cannot:
 *
 * <ul>
 *   <li><b>Lateness by partition.</b> Every record passes on with its partition watermark ({@link
 *       PartitionClocks}): whether it is late is decided here, from its own partition's records, so
 *       it never depends on read speeds, start-up order, idleness or restarts.
 *   <li><b>Restart completeness.</b> The partition clocks and the last watermark are operator
 *       state. A job restored from a checkpoint or savepoint re-emits that watermark at once, so
 *       work that waited for it (windows, rule matches, audit appends) completes without new input,
 *       exactly as it would have without the restart.
 *   <li><b>End of input.</b> When the source reports that all its partitions are idle (nothing read
 *       for the idleness timeout), the out-of-orderness bound is released: the watermark moves to
 *       the newest (clamped) event time read, so every event read is processed and what waited for
 *       the bound is not held back forever by a silent input. The source's idle status is then
 *       passed on, so a silent input never holds back others.
 * </ul>
 *
 * Watermarks from the source (bounded out-of-orderness on clamped event times, with idleness per
 * partition, see {@link ClampedWatermarks}) are forwarded when they move past what was already
 * emitted; {@code Long.MAX_VALUE} at the end of a bounded input passes through.
 */
public final class EventTimeClock<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {

    private static final long serialVersionUID = 1L;

    private static final ListStateDescriptor<long[]> CLOCKS =
            new ListStateDescriptor<>(
                    "partition-clocks", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final ListStateDescriptor<Long> WATERMARK =
            new ListStateDescriptor<>("watermark", Types.LONG);

    private final long boundMillis;
    private final ClockAccess<IN, OUT> access;

    private transient PartitionClocks clocks;
    private transient ListState<long[]> clockState;
    private transient ListState<Long> watermarkState;
    private transient long emitted;
    private transient long restored;
    private transient boolean idle;
    private transient Counter releases;

    public EventTimeClock(Duration outOfOrderness, ClockAccess<IN, OUT> access) {
        this.boundMillis = outOfOrderness.toMillis();
        this.access = access;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        clocks = new PartitionClocks(boundMillis);
        emitted = Long.MIN_VALUE;
        restored = Long.MIN_VALUE;
        // union state: after a rescale every subtask knows every partition's clock, whichever
        // partitions the source now assigns to it
        clockState = context.getOperatorStateStore().getUnionListState(CLOCKS);
        watermarkState = context.getOperatorStateStore().getUnionListState(WATERMARK);
        if (context.isRestored()) {
            for (long[] entry : clockState.get()) {
                clocks.restore((int) entry[0], entry[1]);
            }
            long lowest = Long.MAX_VALUE;
            boolean any = false;
            for (Long w : watermarkState.get()) {
                lowest = Math.min(lowest, w);
                any = true;
            }
            // the lowest of the old subtasks' watermarks is safe for every partition
            restored = any ? lowest : Long.MIN_VALUE;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        releases = getMetricGroup().counter("eventTimeReleases");
        if (restored > Long.MIN_VALUE) {
            // emitted from the mailbox once the task runs, ahead of any new record
            getProcessingTimeService()
                    .registerTimer(
                            getProcessingTimeService().getCurrentProcessingTime(),
                            time -> advanceTo(restored));
        }
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        IN record = element.getValue();
        long eventTime = access.eventTime(record);
        long partitionWatermark = EventTimes.NONE;
        if (eventTime != EventTimes.NONE) {
            partitionWatermark =
                    clocks.observe(
                            access.partition(record), eventTime, access.referenceTime(record));
        }
        output.collect(element.replace(access.output(record, partitionWatermark)));
    }

    @Override
    public void processWatermark(Watermark mark) {
        advanceTo(mark.getTimestamp());
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        if (status.isIdle() && !idle) {
            // nothing read for the idleness timeout from any partition: release the bound
            long newest = clocks.newest();
            if (newest != EventTimes.NONE) {
                if (newest > emitted) {
                    releases.inc();
                }
                advanceTo(newest);
            }
            idle = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        } else if (status.isActive() && idle) {
            idle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
    }

    private void advanceTo(long watermark) {
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        clockState.clear();
        for (Map.Entry<Integer, Long> e : clocks.snapshot().entrySet()) {
            clockState.add(new long[] {e.getKey(), e.getValue()});
        }
        watermarkState.clear();
        watermarkState.add(Math.max(emitted, restored));
    }
}
