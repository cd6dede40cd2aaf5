package dev.vigil.operators.threat.engine;

import dev.vigil.operators.ingest.DeadLetterRouter;
import dev.vigil.schema.RuleCommand;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Readable rule commands on; unreadable ones to {@link DeadLetterRouter#DEAD_LETTERS}. */
public final class RuleCommandSplitter extends ProcessFunction<IngestedRuleCommand, RuleCommand> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(IngestedRuleCommand value, Context ctx, Collector<RuleCommand> out) {
        if (value.command != null) {
            out.collect(value.command);
        } else {
            ctx.output(DeadLetterRouter.DEAD_LETTERS, value.deadLetter);
        }
    }
}
