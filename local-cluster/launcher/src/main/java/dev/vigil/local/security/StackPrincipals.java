package dev.vigil.local.security;

import static dev.vigil.schema.Topic.*;

import dev.vigil.schema.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the stack's broker: one Kafka principal per role, each with the least it
 * needs. docs/SECURITY.md is the table in prose; this class is the one place it is decided.
 */
public final class StackPrincipals {

    /** The CLI administrator and the broker itself: a super user, no ACLs needed. */
    public static final String ADMIN = "admin";

    /** Edge sensors: write telemetry, nothing else. */
    public static final String SENSOR = "sensor";

    /** The simulator: a fleet of sensors plus the ground truth and grid feed it invents. */
    public static final String SIMULATOR = "simulator";

    /** Edge agents: read commands, report results. */
    public static final String AGENT = "agent";

    /**
     * Operators: publish rules and models, read their acknowledgements, and read telemetry and
     * ground truth to backtest a rule before enabling it.
     */
    public static final String OPERATOR = "operator";

    /** Approvers: decide on remediation commands that need a human. */
    public static final String APPROVER = "approver";

    /** Analysts (the SQL Gateway's tables): read the output topics only. */
    public static final String ANALYST = "analyst";

    /** Auditors ({@code vigil audit}, {@code vigil agent verify}): the trail and what it covers. */
    public static final String AUDITOR = "auditor";

    /** One principal per job, {@code job-<name>}. */
    public static final String JOB_PREFIX = "job-";

    /** A role: its principal name, what it reads and writes, and the groups it may join. */
    public record Role(
            String name,
            List<Topic> reads,
            List<Topic> writes,
            List<String> groupPrefixes,
            List<String> transactionalIdPrefixes) {

        public String principal() {
            return "User:" + name;
        }
    }

    /** The topics the audit job chains, which an auditor reads to check the trail against. */
    private static final List<Topic> AUDITED =
            List.of(
                    ALERTS,
                    ANOMALIES,
                    APPROVALS,
                    MODELS,
                    REMEDIATION_COMMANDS,
                    REMEDIATION_RESULTS,
                    RULE_ACKS);

    private static final List<Role> ROLES = build();

    private StackPrincipals() {}

    /** Every role but the admin, in a stable order. */
    public static List<Role> roles() {
        return ROLES;
    }

    /** Every principal name, the admin included. */
    public static Set<String> names() {
        Set<String> names = new TreeSet<>();
        names.add(ADMIN);
        ROLES.forEach(r -> names.add(r.name()));
        return names;
    }

    /** The principal of the job whose short name is {@code jobName} (e.g. threat-detection). */
    public static String job(String jobName) {
        return JOB_PREFIX + jobName;
    }

    /**
     * The roles as the Markdown table of docs/SECURITY.md (a test keeps the document equal to
     * this).
     */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append(
                "| principal | reads | writes | groups (prefix) | transactional ids (prefix) |\n");
        out.append("|---|---|---|---|---|\n");
        out.append("| `admin` | everything (super user) | everything | any | any |\n");
        for (Role role : ROLES) {
            out.append("| `")
                    .append(role.name())
                    .append("` | ")
                    .append(topics(role.reads()))
                    .append(" | ")
                    .append(topics(role.writes()))
                    .append(" | ")
                    .append(names(role.groupPrefixes()))
                    .append(" | ")
                    .append(names(role.transactionalIdPrefixes()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String topics(List<Topic> topics) {
        return topics.isEmpty()
                ? "—"
                : String.join(", ", topics.stream().map(t -> "`" + t.topicName() + "`").toList());
    }

    private static String names(List<String> names) {
        return names.isEmpty()
                ? "—"
                : String.join(", ", names.stream().map(n -> "`" + n + "`").toList());
    }

    /** The ACL bindings of every role. */
    public static List<AclBinding> bindings() {
        List<AclBinding> out = new ArrayList<>();
        for (Role role : ROLES) {
            for (Topic t : role.reads()) {
                out.add(allow(role, ResourceType.TOPIC, t.topicName(), false, AclOperation.READ));
            }
            for (Topic t : role.writes()) {
                out.add(allow(role, ResourceType.TOPIC, t.topicName(), false, AclOperation.WRITE));
            }
            for (String group : role.groupPrefixes()) {
                out.add(allow(role, ResourceType.GROUP, group, true, AclOperation.READ));
            }
            for (String tx : role.transactionalIdPrefixes()) {
                out.add(allow(role, ResourceType.TRANSACTIONAL_ID, tx, true, AclOperation.WRITE));
                out.add(
                        allow(
                                role,
                                ResourceType.TRANSACTIONAL_ID,
                                tx,
                                true,
                                AclOperation.DESCRIBE));
            }
        }
        return out;
    }

    private static AclBinding allow(
            Role role, ResourceType type, String name, boolean prefixed, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(
                        type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
                new AccessControlEntry(role.principal(), "*", operation, AclPermissionType.ALLOW));
    }

    private static List<Role> build() {
        // Flink's Kafka source names a consumer group KafkaSource-<random> when none is given
        List<String> sourceGroups = List.of("KafkaSource-");
        List<Role> roles = new ArrayList<>();
        roles.add(new Role(SENSOR, List.of(), List.of(TELEMETRY), List.of(), List.of()));
        roles.add(
                new Role(
                        SIMULATOR,
                        List.of(),
                        List.of(TELEMETRY, GROUND_TRUTH, GRID_INTENSITY),
                        List.of(),
                        List.of()));
        roles.add(
                new Role(
                        AGENT,
                        List.of(REMEDIATION_COMMANDS),
                        List.of(REMEDIATION_RESULTS),
                        List.of(),
                        List.of()));
        roles.add(
                new Role(
                        OPERATOR,
                        // telemetry and labels: vigil rules backtest replays them
                        List.of(RULES, RULE_ACKS, MODELS, TELEMETRY, GROUND_TRUTH),
                        List.of(RULES, MODELS),
                        List.of(),
                        List.of()));
        roles.add(
                new Role(
                        APPROVER,
                        List.of(REMEDIATION_COMMANDS, APPROVALS),
                        List.of(APPROVALS),
                        List.of(),
                        List.of()));
        roles.add(
                new Role(
                        ANALYST,
                        List.of(
                                ALERTS,
                                ANOMALIES,
                                CARBON,
                                NODE_HEALTH,
                                RULE_ACKS,
                                REMEDIATION_COMMANDS,
                                REMEDIATION_RESULTS,
                                APPROVALS,
                                AUDIT,
                                AUDIT_CHECKPOINTS,
                                DEAD_LETTERS,
                                GROUND_TRUTH),
                        List.of(),
                        sourceGroups,
                        List.of()));
        roles.add(
                new Role(
                        AUDITOR,
                        concat(List.of(AUDIT, AUDIT_CHECKPOINTS), AUDITED),
                        List.of(),
                        List.of("vigil-audit-verify-"),
                        List.of()));
        roles.add(
                jobRole(
                        "node-health",
                        List.of(TELEMETRY),
                        List.of(NODE_HEALTH, DEAD_LETTERS),
                        sourceGroups));
        roles.add(
                jobRole(
                        "threat-detection",
                        List.of(TELEMETRY, RULES, ANOMALIES),
                        List.of(ALERTS, RULE_ACKS, DEAD_LETTERS),
                        sourceGroups));
        roles.add(
                jobRole(
                        "node-inference",
                        List.of(TELEMETRY, MODELS),
                        List.of(ANOMALIES, DEAD_LETTERS),
                        sourceGroups));
        roles.add(
                jobRole(
                        "carbon",
                        List.of(TELEMETRY, GRID_INTENSITY),
                        List.of(CARBON, ALERTS, DEAD_LETTERS),
                        sourceGroups));
        roles.add(
                jobRole(
                        "remediation",
                        List.of(ALERTS, ANOMALIES, APPROVALS, REMEDIATION_RESULTS),
                        List.of(REMEDIATION_COMMANDS, REMEDIATION_RESULTS, DEAD_LETTERS),
                        sourceGroups));
        roles.add(
                jobRole(
                        "audit",
                        AUDITED,
                        List.of(AUDIT, AUDIT_CHECKPOINTS, DEAD_LETTERS),
                        sourceGroups));
        return List.copyOf(roles);
    }

    private static List<Topic> concat(List<Topic> a, List<Topic> b) {
        List<Topic> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static Role jobRole(
            String jobName, List<Topic> reads, List<Topic> writes, List<String> groups) {
        // the sinks' transactional ids are vigil-<job>-<sink>-...; see JobSetup. A sink also
        // reads its topics: on recovery it asks for the open transactions on them
        // (DescribeProducers), which Kafka authorizes as READ
        Set<Topic> all = new java.util.LinkedHashSet<>(reads);
        all.addAll(writes);
        return new Role(
                job(jobName), List.copyOf(all), writes, groups, List.of("vigil-" + jobName));
    }
}
