package dev.vigil.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The command ids an edge agent has accepted. An id needs remembering only until its command
 * expires: after that the agent refuses the command as expired whatever its memory says, so the
 * memory stays bounded by the commands live at one time.
 */
public interface ReplayMemory {

    /**
     * Records {@code commandId} as accepted; false when it was accepted before. The record must be
     * durable before this returns true, so that an agent that crashes right after acting on a
     * command still refuses it after a restart.
     */
    boolean firstTime(String commandId, Instant expiresAt);

    /** A memory that lives as long as the process (a restarted agent forgets). */
    static ReplayMemory inMemory() {
        Map<String, Instant> accepted = new HashMap<>();
        return (id, expiresAt) -> accepted.putIfAbsent(id, expiresAt) == null;
    }
}
