package dev.vigil.operators.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The remediation policies in force, parsed from JSON ({@code dev/vigil/remediation/policies.json}
 * is the built-in catalogue). Every problem is reported with the policy and field at fault.
 */
public final class PolicyCatalogue implements Serializable {

    private static final long serialVersionUID = 1L;

    static final Set<String> ACTIONS =
            Set.of(
                    "SCALE_UP",
                    "REDISTRIBUTE_LOAD",
                    "OPTIMIZE_PERFORMANCE",
                    "RESTART_SERVICE",
                    "ISOLATE_NODE",
                    "REVOKE_CREDENTIAL",
                    "CLEAN_DISK",
                    "SHIFT_WORKLOAD");

    private final List<RemediationPolicy> policies;

    private PolicyCatalogue(List<RemediationPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    public List<RemediationPolicy> policies() {
        return policies;
    }

    /** The policies {@code t} triggers, in catalogue order. */
    public List<RemediationPolicy> matching(Trigger t) {
        List<RemediationPolicy> out = new ArrayList<>();
        for (RemediationPolicy p : policies) {
            if (p.matches(t)) {
                out.add(p);
            }
        }
        return out;
    }

    public static PolicyCatalogue builtIn() {
        try (InputStream in =
                PolicyCatalogue.class.getResourceAsStream("/dev/vigil/remediation/policies.json")) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the built-in remediation policies cannot be read", e);
        }
    }

    /** Parses a catalogue; {@link IllegalArgumentException} names the policy and field at fault. */
    public static PolicyCatalogue parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "remediation policies: not JSON: " + e.getMessage(), e);
        }
        JsonNode list = root.path("policies");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "remediation policies: 'policies' must be a non-empty array");
        }
        List<RemediationPolicy> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode p : list) {
            String id = text(p, "id", "a policy");
            if (!ids.add(id)) {
                throw new IllegalArgumentException("policy " + id + ": the id is used twice");
            }
            String mode = p.path("mode").asText("escalate");
            if (!mode.equals("all") && !mode.equals("escalate")) {
                throw new IllegalArgumentException(
                        "policy " + id + ": mode must be all or escalate, was '" + mode + "'");
            }
            List<String> actions = new ArrayList<>();
            for (JsonNode a : p.path("actions")) {
                if (!ACTIONS.contains(a.asText())) {
                    throw new IllegalArgumentException(
                            "policy "
                                    + id
                                    + ": action '"
                                    + a.asText()
                                    + "' is not one of "
                                    + new java.util.TreeSet<>(ACTIONS));
                }
                actions.add(a.asText());
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException(
                        "policy " + id + ": 'actions' must name at least one action");
            }
            JsonNode m = p.path("match");
            String kind = text(m, "kind", "policy " + id + " match");
            if (!kind.equals(Trigger.ALERT) && !kind.equals(Trigger.FAILURE_PREDICTION)) {
                throw new IllegalArgumentException(
                        "policy " + id + ": match.kind must be ALERT or FAILURE_PREDICTION");
            }
            Set<String> severities = new LinkedHashSet<>();
            m.path("severities").forEach(s -> severities.add(s.asText()));
            Set<String> rules = new LinkedHashSet<>();
            m.path("rules").forEach(s -> rules.add(s.asText()));
            List<String> prefixes = new ArrayList<>();
            m.path("feature_prefixes").forEach(s -> prefixes.add(s.asText()));
            out.add(
                    new RemediationPolicy(
                            id,
                            p.path("version").asInt(1),
                            mode.equals("escalate"),
                            actions,
                            p.path("requires_approval").asBoolean(false),
                            duration(p, "cooldown", id),
                            duration(p, "ttl", id),
                            new RemediationPolicy.Match(
                                    kind,
                                    severities,
                                    rules,
                                    m.path("min_probability").asDouble(0.8),
                                    prefixes)));
        }
        return new PolicyCatalogue(out);
    }

    private static String text(JsonNode n, String field, String where) {
        String v = n.path(field).asText("");
        if (v.isEmpty()) {
            throw new IllegalArgumentException(where + ": '" + field + "' is missing");
        }
        return v;
    }

    private static long duration(JsonNode p, String field, String id) {
        String v = text(p, field, "policy " + id);
        try {
            return Duration.parse(v).toMillis();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "policy "
                            + id
                            + ": "
                            + field
                            + " '"
                            + v
                            + "' is not an ISO-8601 duration such as PT5M",
                    e);
        }
    }
}
