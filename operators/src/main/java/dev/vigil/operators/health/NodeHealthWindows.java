package dev.vigil.operators.health;

import dev.vigil.operators.ingest.IngestedTelemetry;
import dev.vigil.schema.NodeHealthSummary;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * Per-node tumbling event-time windows of telemetry, summarised as {@link NodeHealthSummary}:
 * revision 0 when the watermark passes the window end, a higher revision for each late event within
 * the allowed lateness, and events later than that on {@link #LATE}.
 */
public final class NodeHealthWindows {

    /** Stable operator id: state in checkpoints and savepoints is bound to it. */
    public static final String UID = "node-health-window";

    /** Events that arrived after their window's allowed lateness. */
    public static final OutputTag<IngestedTelemetry> LATE =
            new OutputTag<>("late-telemetry", TypeInformation.of(IngestedTelemetry.class));

    private NodeHealthWindows() {}

    /** Summarises {@code telemetry} (keyed by node id) in windows of {@code size}. */
    public static SingleOutputStreamOperator<NodeHealthSummary> summarise(
            KeyedStream<IngestedTelemetry, String> telemetry,
            Duration size,
            Duration allowedLateness) {
        return telemetry
                .window(TumblingEventTimeWindows.of(size))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE)
                .aggregate(
                        new NodeHealthAggregate(),
                        new NodeHealthWindowFunction(),
                        TypeInformation.of(NodeHealthAccumulator.class),
                        TypeInformation.of(NodeHealthAccumulator.class),
                        TypeInformation.of(NodeHealthSummary.class))
                .uid(UID)
                .name("node-health-" + size.toSeconds() + "s");
    }
}
