package dev.vigil.audit;

import dev.vigil.schema.RemediationCommand;
import java.time.Clock;
import java.util.Map;

/**
 * What an edge agent runs before it acts on a command: the command must be signed (Ed25519 and
 * ML-DSA-65) by a key the agent trusts and that is not revoked, be meant for this node, not be
 * expired, and not have been accepted before. Checks run in that order, so a forged command never
 * reaches the replay memory. A retry ({@code attempt} + 1) carries the id of the original: once one
 * attempt was accepted, the others are replays. With a {@link FileReplayMemory} the memory survives
 * a restart of the agent.
 */
public final class EdgeAgentVerifier {

    /** Why a command was accepted or rejected. */
    public enum Verdict {
        ACCEPTED,
        UNKNOWN_KEY,
        REVOKED_KEY,
        BAD_SIGNATURE,
        OTHER_NODE,
        EXPIRED,
        REPLAYED
    }

    private final String nodeId;
    private final Map<String, HybridPublicKeys> keys;
    private final KeyRevocations revocations;
    private final ReplayMemory accepted;
    private final Clock clock;

    /** An agent without revocations whose memory lasts as long as this object. */
    public EdgeAgentVerifier(String nodeId, Map<String, HybridPublicKeys> keys, Clock clock) {
        this(nodeId, keys, KeyRevocations.none(), ReplayMemory.inMemory(), clock);
    }

    public EdgeAgentVerifier(
            String nodeId,
            Map<String, HybridPublicKeys> keys,
            KeyRevocations revocations,
            ReplayMemory accepted,
            Clock clock) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.revocations = revocations;
        this.accepted = accepted;
        this.clock = clock;
    }

    /**
     * Checks a command as received from {@code topic}: with a record signature in its headers
     * ({@link RecordSignatures}) that signature is checked over the value bytes received, whatever
     * schema this agent decoded {@code decoded} with; without one, the command's own signature
     * fields ({@link #verify(RemediationCommand)}, which re-encodes the command and so needs the
     * writer's schema). Then node, expiry and replay as always.
     */
    public Verdict verify(
            String topic,
            byte[] value,
            java.util.function.Function<String, byte[]> headers,
            RemediationCommand decoded) {
        switch (RecordSignatures.verify(topic, value, headers, keys, revocations)) {
            case UNSIGNED:
                return verify(decoded);
            case UNKNOWN_KEY:
                return Verdict.UNKNOWN_KEY;
            case REVOKED_KEY:
                return Verdict.REVOKED_KEY;
            case BAD_SIGNATURE:
                return Verdict.BAD_SIGNATURE;
            case VALID:
            default:
                return meantForUs(decoded);
        }
    }

    public Verdict verify(RemediationCommand c) {
        HybridPublicKeys key = keys.get(c.getKeyId());
        if (key == null) {
            return Verdict.UNKNOWN_KEY;
        }
        if (revocations.isRevoked(c.getKeyId())) {
            return Verdict.REVOKED_KEY;
        }
        if (!key.verify(CommandSignatures.signedBytes(c), CommandSignatures.signature(c))) {
            return Verdict.BAD_SIGNATURE;
        }
        return meantForUs(c);
    }

    /** The checks after the signature: this node, not expired, not accepted before. */
    private Verdict meantForUs(RemediationCommand c) {
        if (!nodeId.equals(c.getTargetNodeId())) {
            return Verdict.OTHER_NODE;
        }
        if (!clock.instant().isBefore(c.getExpiresAt())) {
            return Verdict.EXPIRED;
        }
        if (!accepted.firstTime(c.getCommandId(), c.getExpiresAt())) {
            return Verdict.REPLAYED;
        }
        return Verdict.ACCEPTED;
    }
}
