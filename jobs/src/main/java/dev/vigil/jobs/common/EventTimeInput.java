package dev.vigil.jobs.common;

import dev.vigil.operators.eventtime.ClampedWatermarks;
import dev.vigil.operators.eventtime.EitherClock;
import dev.vigil.operators.eventtime.EventTimeClock;
import dev.vigil.operators.eventtime.Positioned;
import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.operators.ingest.EitherSplitter;
import dev.vigil.schema.DeadLetter;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * An event-time input other than telemetry (alerts, anomalies, approvals, agent reports, audited
 * records, grid intensities): source with clamped watermarks, its {@link EventTimeClock} (event
 * time that survives restarts and is released at the end of input), then the decoder's dead letters
 * split off to {@link DeadLetterRouter#DEAD_LETTERS}. Uids: {@code <name>-source}, {@code
 * <name>-clock}, {@code <name>-decoder}.
 */
public final class EventTimeInput {

    private EventTimeInput() {}

    /** An input whose event time is clamped to each record's reference time. */
    public static <T> SingleOutputStreamOperator<T> read(
            StreamExecutionEnvironment env,
            Source<Positioned<Either<DeadLetter, T>>, ?, ?> source,
            String name,
            Class<T> type,
            EitherClock.EventTime<T> eventTime,
            Duration outOfOrderness,
            Duration idleness) {
        return read(
                env, source, name, type, new EitherClock<>(eventTime), outOfOrderness, idleness);
    }

    /** An input with its own {@link EitherClock}. */
    public static <T> SingleOutputStreamOperator<T> read(
            StreamExecutionEnvironment env,
            Source<Positioned<Either<DeadLetter, T>>, ?, ?> source,
            String name,
            Class<T> type,
            EitherClock<T> clock,
            Duration outOfOrderness,
            Duration idleness) {
        return env.fromSource(
                        source, ClampedWatermarks.strategy(outOfOrderness, idleness, clock), name)
                .uid(name + "-source")
                .transform(
                        name + "-clock",
                        new EitherTypeInfo<>(
                                TypeInformation.of(DeadLetter.class), TypeInformation.of(type)),
                        new EventTimeClock<>(outOfOrderness, clock))
                .uid(name + "-clock")
                .process(new EitherSplitter<T>())
                .returns(TypeInformation.of(type))
                .uid(name + "-decoder")
                .name("decode-" + name);
    }

    /** Like {@link #read}, but each record keeps where it was read (for later dead letters). */
    public static <T> SingleOutputStreamOperator<Positioned<T>> readPositioned(
            StreamExecutionEnvironment env,
            Source<Positioned<Either<DeadLetter, T>>, ?, ?> source,
            String name,
            Class<T> type,
            EitherClock.EventTime<T> eventTime,
            Duration outOfOrderness,
            Duration idleness) {
        EitherClock<T> clock = new EitherClock<>(eventTime);
        TypeInformation<Either<DeadLetter, T>> either =
                new EitherTypeInfo<>(
                        TypeInformation.of(DeadLetter.class), TypeInformation.of(type));
        return env.fromSource(
                        source, ClampedWatermarks.strategy(outOfOrderness, idleness, clock), name)
                .uid(name + "-source")
                .transform(
                        name + "-clock",
                        Positioned.typeInfo(either),
                        new EventTimeClock<>(outOfOrderness, clock.keepingPosition()))
                .uid(name + "-clock")
                .process(new PositionedSplitter<T>())
                .returns(Positioned.typeInfo(TypeInformation.of(type)))
                .uid(name + "-decoder")
                .name("decode-" + name);
    }

    /** Rights go on with their position; lefts go to the dead letters. */
    private static final class PositionedSplitter<T>
            extends ProcessFunction<Positioned<Either<DeadLetter, T>>, Positioned<T>> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(
                Positioned<Either<DeadLetter, T>> in, Context ctx, Collector<Positioned<T>> out) {
            Either<DeadLetter, T> value = in.value();
            if (value.isRight()) {
                out.collect(
                        new Positioned<>(
                                value.right(), in.partition(), in.offset(), in.referenceTime()));
            } else {
                ctx.output(DeadLetterRouter.DEAD_LETTERS, value.left());
            }
        }
    }
}
