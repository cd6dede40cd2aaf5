package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
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
 * reason in the metrics {@code deadLetters} and {@code deadLetters.<REASON>}.
 */
public final class DeadLetterRouter extends ProcessFunction<IngestedTelemetry, IngestedTelemetry> {

    private static final long serialVersionUID = 1L;

    /** Side output of rejected records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter total;
    private transient Map<RejectReason, Counter> byReason;
    private transient MetricGroup metrics;

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        total = metrics.counter("deadLetters");
        byReason = new EnumMap<>(RejectReason.class);
    }

    @Override
    public void processElement(
            IngestedTelemetry value, Context ctx, Collector<IngestedTelemetry> out) {
        if (value.isValid()) {
            out.collect(value);
            return;
        }
        total.inc();
        RejectReason reason = RejectReason.valueOf(value.deadLetter.getReasonCode());
        byReason.computeIfAbsent(reason, r -> metrics.counter("deadLetters." + r.name())).inc();
        ctx.output(DEAD_LETTERS, value.deadLetter);
    }
}
