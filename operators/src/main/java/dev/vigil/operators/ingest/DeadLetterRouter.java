package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid telemetry on and sends dead letters to {@link #DEAD_LETTERS}, counting them per
 * reason in the metrics {@code deadLetters} and {@code deadLetters.<REASON>}. With a {@link
 * LatePolicy}, valid events that are too late by their partition watermark become {@code
 * LATE_EVENT} dead letters here, before any job state sees them (counted in {@code lateEvents}).
 */
public final class DeadLetterRouter extends ProcessFunction<IngestedTelemetry, IngestedTelemetry> {

    private static final long serialVersionUID = 1L;

    /** Side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final LatePolicy late;
    private final String topic;
    private final DeadLetterFactory deadLetters;
    private final boolean holdLate;
    private transient Counter total;
    private transient Counter lateEvents;
    private transient Map<RejectReason, Counter> byReason;
    private transient MetricGroup metrics;
    private transient AvroCodec<TelemetryEvent> codec;

    /** Routes dead letters only; lateness is left to the job. */
    public DeadLetterRouter() {
        this(LatePolicy.never(), null, null);
    }

    /**
     * @param topic the telemetry topic, named in late dead letters
     * @param deadLetters makes the late dead letters
     */
    public DeadLetterRouter(LatePolicy late, String topic, DeadLetterFactory deadLetters) {
        this(late, topic, deadLetters, false);
    }

    /**
     * @param holdLate pass late events on marked ({@link IngestedTelemetry#late}) for the
     *     deduplicator to judge: a late copy of an event already delivered is replay evidence, any
     *     other late event becomes its {@code LATE_EVENT} dead letter there
     */
    public DeadLetterRouter(
            LatePolicy late, String topic, DeadLetterFactory deadLetters, boolean holdLate) {
        this.late = late;
        this.topic = topic;
        this.deadLetters = deadLetters;
        this.holdLate = holdLate;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        total = metrics.counter("deadLetters");
        lateEvents = metrics.counter("lateEvents");
        byReason = new EnumMap<>(RejectReason.class);
    }

    @Override
    public void processElement(
            IngestedTelemetry value, Context ctx, Collector<IngestedTelemetry> out) {
        if (value.isValid()) {
            if (deadLetters == null || !late.tooLate(value.eventTime(), value.partitionWatermark)) {
                out.collect(value);
                return;
            }
            if (holdLate) {
                value.late =
                        late.explain(value.eventTime(), value.partition, value.partitionWatermark);
                out.collect(value);
                return;
            }
            lateEvents.inc();
            if (codec == null) {
                codec = AvroCodec.of(TelemetryEvent.class);
            }
            value =
                    IngestedTelemetry.rejected(
                            LateEventDeadLetters.deadLetter(
                                    value,
                                    topic,
                                    late.explain(
                                            value.eventTime(),
                                            value.partition,
                                            value.partitionWatermark),
                                    codec,
                                    deadLetters));
        }
        total.inc();
        RejectReason reason = RejectReason.valueOf(value.deadLetter.getReasonCode());
        byReason.computeIfAbsent(reason, r -> metrics.counter("deadLetters." + r.name())).inc();
        ctx.output(DEAD_LETTERS, value.deadLetter);
    }
}
