package dev.vigil.audit;

import dev.vigil.schema.RemediationCommand;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an edge agent runs before it acts on a command: the command must be signed (Ed25519 and
 * ML-DSA-65) by a key the agent trusts, be meant for this node, not be expired, and not have been
 * accepted before. Checks run in that order, so a forged command never reaches the replay memory. A
 * retry ({@code attempt} + 1) carries the id of the original: once one attempt was accepted, the
 * others are replays.
 */
public final class EdgeAgentVerifier {

    /** Why a command was accepted or rejected. */
    public enum Verdict {
        ACCEPTED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        OTHER_NODE,
        EXPIRED,
        REPLAYED
    }

    private final String nodeId;
    private final Map<String, HybridPublicKeys> keys;
    private final Clock clock;
    private final Set<String> accepted = new HashSet<>();

    public EdgeAgentVerifier(String nodeId, Map<String, HybridPublicKeys> keys, Clock clock) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.clock = clock;
    }

    public Verdict verify(RemediationCommand c) {
        HybridPublicKeys key = keys.get(c.getKeyId());
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        if (!key.verify(CommandSignatures.signedBytes(c), CommandSignatures.signature(c))) {
            return Verdict.BAD_SIGNATURE;
        }
        if (!nodeId.equals(c.getTargetNodeId())) {
            return Verdict.OTHER_NODE;
        }
        if (!clock.instant().isBefore(c.getExpiresAt())) {
            return Verdict.EXPIRED;
        }
        if (!accepted.add(c.getCommandId())) {
            return Verdict.REPLAYED;
        }
        return Verdict.ACCEPTED;
    }
}
