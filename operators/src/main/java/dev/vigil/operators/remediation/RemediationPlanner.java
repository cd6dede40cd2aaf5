package dev.vigil.operators.remediation;

import dev.vigil.schema.RemediationCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides the commands for one target's triggers, in event-time order: the matching policies, each
 * at most once per cooldown (an escalating policy takes its next action each time), deduplicated by
 * a deterministic command id (the same cause, policy, action and target always give the same id,
 * also after a replay), within the target's token bucket. Pure: the state is passed in.
 */
public final class RemediationPlanner {

    /** Why a trigger did not become a command. */
    public enum Outcome {
        ISSUED,
        NO_POLICY,
        COOLDOWN,
        DUPLICATE,
        RATE_LIMITED
    }

    /** Remembered command ids are kept this long after they expire. */
    static final long SEEN_RETENTION_MILLIS = 24 * 3_600_000L;

    private final PolicyCatalogue catalogue;
    private final RateLimits limits;

    public RemediationPlanner(PolicyCatalogue catalogue, RateLimits limits) {
        this.catalogue = catalogue;
        this.limits = limits;
    }

    /** Plans one trigger; appends the commands (unsigned) and returns the outcome per decision. */
    public List<Outcome> plan(Trigger t, TargetState s, List<RemediationCommand> out) {
        List<Outcome> outcomes = new ArrayList<>();
        List<RemediationPolicy> policies = catalogue.matching(t);
        if (policies.isEmpty()) {
            outcomes.add(Outcome.NO_POLICY);
        }
        for (RemediationPolicy p : policies) {
            Long last = s.lastIssued.get(p.id());
            if (last != null && t.eventTime < last + p.cooldownMillis()) {
                outcomes.add(Outcome.COOLDOWN);
                continue;
            }
            int step = s.step.getOrDefault(p.id(), 0);
            if (last != null && t.eventTime >= last + 3 * p.cooldownMillis()) {
                step = 0; // quiet for three cooldowns: start again from the first action
            }
            List<String> actions =
                    p.escalate()
                            ? List.of(p.actions().get(Math.min(step, p.actions().size() - 1)))
                            : p.actions();
            boolean issued = false;
            for (String action : actions) {
                String id = commandId(t.causeId, p, action, t.target);
                if (s.seen.containsKey(id)) {
                    outcomes.add(Outcome.DUPLICATE);
                    continue;
                }
                if (!s.bucket.take(t.eventTime, limits.perTarget(), limits.periodMillis())) {
                    outcomes.add(Outcome.RATE_LIMITED);
                    continue;
                }
                out.add(command(id, t, p, action));
                s.seen.put(id, t.eventTime + p.ttlMillis() + SEEN_RETENTION_MILLIS);
                outcomes.add(Outcome.ISSUED);
                issued = true;
            }
            if (issued) {
                s.lastIssued.put(p.id(), t.eventTime);
                s.step.put(p.id(), step + 1);
            }
        }
        s.seen.values().removeIf(until -> until < t.eventTime);
        return outcomes;
    }

    /**
     * The event time from which {@code s} decides every trigger exactly as a target never seen
     * would: every remembered command id has expired, every policy's cooldown and escalation (three
     * cooldowns) have run out, and the token bucket has refilled. The target's state can then be
     * dropped; {@code Long.MIN_VALUE} when it holds nothing at all.
     */
    public long forgettableFrom(TargetState s) {
        long from = Long.MIN_VALUE;
        for (long until : s.seen.values()) {
            from = Math.max(from, until + 1);
        }
        for (RemediationPolicy p : catalogue.policies()) {
            Long last = s.lastIssued.get(p.id());
            if (last != null) {
                from = Math.max(from, last + 3 * p.cooldownMillis());
            }
        }
        for (long last : s.lastIssued.values()) {
            from = Math.max(from, last); // a policy no longer in the catalogue
        }
        if (s.bucket.micros >= 0) {
            from = Math.max(from, s.bucket.last + limits.periodMillis());
        }
        return from;
    }

    /** The deterministic id: SHA-256 of cause, policy and version, action and target (128 bits). */
    public static String commandId(
            String cause, RemediationPolicy p, String action, String target) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part :
                    new String[] {cause, p.id(), Integer.toString(p.version()), action, target}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                d.update(ByteBuffer.allocate(4).putInt(b.length).array());
                d.update(b);
            }
            return "cmd-" + HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RemediationCommand command(String id, Trigger t, RemediationPolicy p, String action) {
        Map<String, String> parameters = new TreeMap<>();
        if (t.ruleId != null) {
            parameters.put("rule_id", t.ruleId);
        }
        if (t.groupBy != null) {
            parameters.put("group_by", t.groupBy);
            parameters.put("group_key", t.groupKey);
        }
        if (action.equals("REVOKE_CREDENTIAL")) {
            parameters.put("credential", "user".equals(t.groupBy) ? t.groupKey : "svc-" + t.target);
        }
        return RemediationCommand.newBuilder()
                .setCommandId(id)
                .setCauseId(t.causeId)
                .setPolicyId(p.id())
                .setPolicyVersion(p.version())
                .setTargetNodeId(t.target)
                .setAction(action)
                .setParameters(new java.util.LinkedHashMap<>(parameters))
                .setRequiresApproval(p.requiresApproval())
                .setAttempt(0)
                .setIssuedAt(Instant.ofEpochMilli(t.eventTime))
                .setExpiresAt(Instant.ofEpochMilli(t.eventTime + p.ttlMillis()))
                .setKeyId("")
                .setSignatureEd25519(ByteBuffer.allocate(0))
                .setSignatureMlDsa(ByteBuffer.allocate(0))
                .build();
    }
}
