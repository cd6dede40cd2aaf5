package dev.vigil.cli;

import dev.vigil.schema.Approval;
import dev.vigil.schema.Topic;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * {@code vigil approve <command-id> [reason]} and {@code vigil deny <command-id> <reason>}: a human
 * decision on a command that needs one, signed with the approver's key. The remediation job acts
 * only on decisions whose signature verifies with a key trusted to sign approvals.
 */
final class ApprovalCommand {

    static final String USAGE =
            "usage: ./vigil approve <command-id> [reason]   release a command that waits for a"
                    + " human\n"
                    + "       ./vigil deny <command-id> <reason>      reject it (the reason is"
                    + " required)";

    private final ControlPublisher publisher;
    private final PrintStream out;
    private final Clock clock;

    /**
     * @param clock gives the decision time
     */
    ApprovalCommand(ControlPublisher publisher, PrintStream out, Clock clock) {
        this.publisher = publisher;
        this.out = out;
        this.clock = clock;
    }

    /**
     * @param verb {@code approve} or {@code deny}
     */
    int run(String verb, List<String> args) {
        boolean approve = verb.equals("approve");
        if (args.isEmpty() || (!approve && args.size() < 2) || args.get(0).startsWith("-")) {
            out.println(USAGE);
            return 2;
        }
        String commandId = args.get(0);
        String reason = args.size() > 1 ? String.join(" ", args.subList(1, args.size())) : null;
        Approval decision =
                Approval.newBuilder()
                        .setCommandId(commandId)
                        .setApprover(System.getProperty("user.name", "vigil-cli"))
                        .setDecision(approve ? "APPROVED" : "REJECTED")
                        .setReason(reason)
                        .setDecidedAt(clock.instant())
                        .build();
        publisher.send(Topic.APPROVALS, commandId, decision, Approval.class);
        out.printf(
                "%s command %s (signed with the approver's key); the remediation job releases or"
                        + " cancels it, an unknown command id becomes an UNKNOWN_COMMAND dead"
                        + " letter%n",
                approve ? "approved" : "denied", commandId);
        return 0;
    }
}
