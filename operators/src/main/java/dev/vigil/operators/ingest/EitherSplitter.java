package dev.vigil.operators.ingest;

import dev.vigil.schema.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/** Rights go on; lefts go to {@link DeadLetterRouter#DEAD_LETTERS}. */
public final class EitherSplitter<T> extends ProcessFunction<Either<DeadLetter, T>, T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Either<DeadLetter, T> in, Context ctx, Collector<T> out) {
        if (in.isRight()) {
            out.collect(in.right());
        } else {
            ctx.output(DeadLetterRouter.DEAD_LETTERS, in.left());
        }
    }
}
