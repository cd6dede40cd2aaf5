package dev.vigil.operators.eventtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * Keyed elements that wait for the watermark, then are handed back in event-time order: the one
 * "buffer until the watermark, sort, process" mechanism of Vigil's operators (rule engine, audit
 * chain, remediation planner, dispatch gate, command lifecycle).
 *
 * <p>Shaped like Flink's own CEP buffer: a {@code MapState} keyed by event time, one event-time
 * timer per distinct time. Adding an element touches only its own time's entry; a timer firing at
 * {@code t} takes only the entry at {@code t} (timers fire in time order, so everything earlier has
 * been handed back already). The cost per element is the timer queue's O(log n) plus the elements
 * that share its millisecond, whatever the backlog; nothing ever reads or rewrites the whole
 * buffer. Elements of one time come back sorted by the operator's {@code order}, so a replay
 * processes them identically whatever order the partitions delivered them in.
 *
 * <p>What an element behind the watermark does is the operator's {@link Late} policy.
 *
 * @param <T> the element type
 */
public final class EventTimeBuffer<T> {

    /** What happens to an element that arrives at or behind the current watermark. */
    public static final class Late {

        private final boolean atOnce;
        private final long waitMillis;

        private Late(boolean atOnce, long waitMillis) {
            this.atOnce = atOnce;
            this.waitMillis = waitMillis;
        }

        /**
         * The operator handles it at once ({@link #add} returns {@code false}): for work that must
         * not wait for a watermark that may never come, such as an audit append.
         */
        public static Late atOnce() {
            return new Late(true, 0);
        }

        /**
         * It waits for the next watermark and is handed back in order with what that brings (Flink
         * fires a timer behind the watermark with the next one).
         */
        public static Late nextWatermark() {
            return new Late(false, 0);
        }

        /**
         * As {@link #nextWatermark()}, or after {@code wait} of processing time (ending on a whole
         * second, see {@link LateWork}) should event time not move again.
         */
        public static Late nextWatermarkOr(Duration wait) {
            if (wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("the late wait must be positive, was " + wait);
            }
            return new Late(false, wait.toMillis());
        }
    }

    private final MapState<Long, List<T>> slots;
    private final MapState<Long, Boolean> lateSlots;
    private final Comparator<? super T> order;
    private final Late late;

    private EventTimeBuffer(
            MapState<Long, List<T>> slots,
            MapState<Long, Boolean> lateSlots,
            Comparator<? super T> order,
            Late late) {
        this.slots = slots;
        this.lateSlots = lateSlots;
        this.order = order;
        this.late = late;
    }

    /**
     * A buffer in the keyed state of {@code context}, under state names {@code name} (and {@code
     * name + "-late"} for a policy that waits in processing time). Call from {@code open}.
     */
    public static <T> EventTimeBuffer<T> create(
            RuntimeContext context,
            String name,
            TypeInformation<T> type,
            Comparator<? super T> order,
            Late late) {
        MapState<Long, List<T>> slots =
                context.getMapState(new MapStateDescriptor<>(name, Types.LONG, Types.LIST(type)));
        MapState<Long, Boolean> lateSlots =
                late.waitMillis > 0
                        ? context.getMapState(
                                new MapStateDescriptor<>(name + "-late", Types.LONG, Types.BOOLEAN))
                        : null;
        return new EventTimeBuffer<>(slots, lateSlots, order, late);
    }

    /**
     * Takes {@code element} at event time {@code time} for the current key. Returns {@code true}
     * when it waits (an event-time timer at {@code time} hands it back); {@code false} when the
     * caller must handle it now: it is behind the watermark and the policy is {@link
     * Late#atOnce()}, or the input has ended (no watermark follows).
     */
    public boolean add(T element, long time, TimerService timers) throws Exception {
        long watermark = timers.currentWatermark();
        boolean behind = time <= watermark;
        if (behind && (late.atOnce || watermark == Long.MAX_VALUE)) {
            return false;
        }
        List<T> slot = slots.get(time);
        if (slot == null) {
            slot = new ArrayList<>(1);
        }
        slot.add(element);
        slots.put(time, slot);
        timers.registerEventTimeTimer(time);
        if (behind && lateSlots != null) {
            lateSlots.put(time, Boolean.TRUE);
            timers.registerProcessingTimeTimer(
                    LateWork.fallbackTime(timers.currentProcessingTime(), late.waitMillis));
        }
        return true;
    }

    /**
     * The elements a timer hands back, in order: for an event-time timer at {@code timestamp},
     * those of that time; for a processing-time timer, every late element still waiting (the
     * watermark has not moved since they came, or its timers would have taken them). Empty when the
     * timer was the operator's own.
     */
    public List<T> release(long timestamp, TimeDomain domain) throws Exception {
        if (domain == TimeDomain.EVENT_TIME) {
            List<T> slot = take(timestamp);
            return slot == null ? List.of() : slot;
        }
        if (lateSlots == null) {
            return List.of();
        }
        TreeSet<Long> due = new TreeSet<>();
        for (Long t : lateSlots.keys()) {
            due.add(t);
        }
        List<T> released = new ArrayList<>();
        for (long t : due) {
            List<T> slot = take(t);
            if (slot != null) {
                released.addAll(slot);
            }
        }
        return released;
    }

    private List<T> take(long time) throws Exception {
        List<T> slot = slots.get(time);
        if (lateSlots != null) {
            lateSlots.remove(time);
        }
        if (slot == null) {
            return null;
        }
        slots.remove(time);
        List<T> sorted = new ArrayList<>(slot);
        sorted.sort(order);
        return sorted;
    }

    /** Every element still waiting for the current key, in no particular order. */
    public Iterable<T> waiting() throws Exception {
        List<T> all = new ArrayList<>();
        for (List<T> slot : slots.values()) {
            all.addAll(slot);
        }
        return all;
    }

    /** True when nothing waits for the current key. */
    public boolean isEmpty() throws Exception {
        return slots.isEmpty();
    }
}
