package dev.vigil.operators.threat.engine;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.RuleCommand;

/**
 * A record of the {@code rules} topic: a readable command or the dead letter of an unreadable one.
 * A Flink POJO.
 */
public class IngestedRuleCommand {

    public RuleCommand command;
    public DeadLetter deadLetter;

    public IngestedRuleCommand() {}

    static IngestedRuleCommand of(RuleCommand command) {
        IngestedRuleCommand in = new IngestedRuleCommand();
        in.command = command;
        return in;
    }

    static IngestedRuleCommand rejected(DeadLetter deadLetter) {
        IngestedRuleCommand in = new IngestedRuleCommand();
        in.deadLetter = deadLetter;
        return in;
    }
}
