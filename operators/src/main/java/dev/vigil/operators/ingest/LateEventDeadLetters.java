package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.TelemetryEvent;
import dev.vigil.schema.avro.AvroCodec;
import dev.vigil.schema.avro.SchemaFingerprint;
import dev.vigil.schema.avro.VigilHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns events that arrived after their window's allowed lateness into {@link DeadLetter}s with
 * reason {@code LATE_EVENT}, so that late data is kept and counted ({@code lateEvents}), never
 * silently dropped. The dead letter holds the event re-encoded in the current schema and its
 * original partition and offset.
 *
 * <p>Events too late by their partition watermark are dead-lettered at ingest ({@link
 * DeadLetterRouter} with a {@link LatePolicy}); what reaches this function is what a job's own
 * event time had passed although the partition rule let it through — possible only after its
 * partition was idle while others advanced.
 */
public final class LateEventDeadLetters extends ProcessFunction<IngestedTelemetry, DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Duration window;
    private final Duration allowedLateness;
    private final DeadLetterFactory deadLetters;
    private transient AvroCodec<TelemetryEvent> codec;
    private transient Counter lateEvents;

    public LateEventDeadLetters(
            String topic,
            Duration window,
            Duration allowedLateness,
            DeadLetterFactory deadLetters) {
        this.topic = topic;
        this.window = window;
        this.allowedLateness = allowedLateness;
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = AvroCodec.of(TelemetryEvent.class);
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(IngestedTelemetry late, Context ctx, Collector<DeadLetter> out) {
        lateEvents.inc();
        TelemetryEvent event = late.event;
        long eventTime = event.getEventTime().toEpochMilli();
        String message =
                window == null ? behindWatermark(event, ctx) : afterWindow(event, eventTime, ctx);
        out.collect(deadLetter(late, topic, message, codec, deadLetters));
    }

    /**
     * A {@code LATE_EVENT} dead letter for a valid event: the event re-encoded in the current
     * schema, with its original partition and offset.
     */
    static DeadLetter deadLetter(
            IngestedTelemetry late,
            String topic,
            String message,
            AvroCodec<TelemetryEvent> codec,
            DeadLetterFactory deadLetters) {
        TelemetryEvent event = late.event;
        return deadLetters.late(
                topic,
                late.partition,
                late.offset,
                event.getEventTime(),
                event.getNode().getNodeId().getBytes(StandardCharsets.UTF_8),
                codec.encode(event),
                Map.of(
                        VigilHeaders.SCHEMA_FINGERPRINT,
                        ByteBuffer.wrap(SchemaFingerprint.toBytes(codec.fingerprint()))),
                message);
    }

    private static String behindWatermark(TelemetryEvent event, Context ctx) {
        return String.format(
                "event_time %s arrived behind the watermark %s; events are evaluated in event-time"
                        + " order and this one came too late",
                event.getEventTime(), Instant.ofEpochMilli(ctx.timerService().currentWatermark()));
    }

    private String afterWindow(TelemetryEvent event, long eventTime, Context ctx) {
        long windowStart = eventTime - Math.floorMod(eventTime, window.toMillis());
        return String.format(
                "event_time %s belongs to the window [%s, %s), which closed for good at"
                        + " watermark %s (allowed lateness %s)",
                event.getEventTime(),
                Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowStart + window.toMillis()),
                Instant.ofEpochMilli(ctx.timerService().currentWatermark()),
                allowedLateness);
    }
}
